/**
 * The KQL function schema (function.schema.json): a workspace function kept as content in
 * `functions/<alias>.yaml` and deployed as a Log Analytics saved search with `functionAlias`.
 * Field names follow the SavedSearch properties of the Log Analytics REST API
 * (Microsoft.OperationalInsights/workspaces/savedSearches: category, displayName, query,
 * functionAlias, functionParameters, version, tags); `body` is the saved search's `query`.
 */
import { Type } from '@sinclair/typebox';
import { JSON_SCHEMA_DRAFT, common, patterned, stringEnum, text } from './common.ts';
import { PARAMETER_TYPES } from './rule.ts';

const KQL_IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';
const strict = { additionalProperties: false } as const;

/** One scalar parameter of the function; parameters are positional, in the order listed. */
export const FunctionParameterSchema = Type.Object({
  name: patterned(KQL_IDENTIFIER, 'a KQL identifier (letters, digits, _; not starting with a digit)'),
  type: stringEnum(PARAMETER_TYPES, { description: 'Scalar KQL type of the parameter.' }),
  default: Type.Optional(Type.Unknown({
    description: 'Default value (a YAML value of the declared type: text, number, true/false, a duration like 1d, an ISO date). Parameters with a default come after those without.',
  })),
  description: Type.Optional(text()),
}, strict);

export const FunctionSchema = Type.Object({
  alias: patterned(KQL_IDENTIFIER, 'a KQL identifier (letters, digits, _; not starting with a digit)', {
    description: "The name queries call (the saved search's functionAlias); the file must be functions/<alias>.yaml. Must not be a table or a built-in or ASIM function.",
  }),
  displayName: text({ maxLength: 256, description: 'Name shown in the Logs UI (saved search displayName).' }),
  category: text({ maxLength: 256, description: 'Group in the Logs UI function list (saved search category).' }),
  description: text({ description: 'What the function returns; kept in the repository (the saved search has no description field).' }),
  parameters: Type.Optional(Type.Array(FunctionParameterSchema, {
    description: 'Parameters in call order; deployed as functionParameters "name:type = default, …".',
  })),
  body: text({ description: 'The KQL body (the saved search query). It may use the parameters by name.' }),
  version: Type.Optional(common('semver', { description: 'Content version (default 1.0.0); recorded in the ownership metadata.' })),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'function.schema.json',
  title: 'KQL function (workspace saved search with functionAlias)',
  description: 'A KQL function kept as content: validated like a rule query, testable with functions/<alias>.tests.yaml, deployed to each target as a Log Analytics saved search with functionAlias.',
  ...strict,
});

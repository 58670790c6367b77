/**
 * Declared schemas (`schemas/tables/*`, `schemas/functions/*`): tables and functions that exist in
 * the workspace but not in the built-in catalogue — custom `_CL` tables, vendor parsers. The shape
 * is Azure-Sentinel's `.script/tests/KqlvalidationsTests/CustomTables/*.json` and
 * `CustomFunctions/*.json`, so those files are accepted unchanged; the same shape in YAML is the
 * YAML form. Keys are written in either case (`Name` or `name`), as those files do; types in any
 * of the spellings of model/kql-type.ts (`String`, `DateTime`, `Int32`, …).
 */
import { Type, type TSchema, type TOptional } from '@sinclair/typebox';
import { KQL_TYPES } from '../kql-type.ts';
import { JSON_SCHEMA_DRAFT, openObject } from './common.ts';

/** `{ Name?: S, name?: S }`: one key in both spellings (the loader requires exactly one of them). */
function eitherCase<K extends string, S extends TSchema>(key: K, schema: S): Record<Capitalize<K> | K, TOptional<S>> {
  const upper = (key[0]!.toUpperCase() + key.slice(1)) as Capitalize<K>;
  return { [upper]: Type.Optional(schema), [key]: Type.Optional(schema) } as unknown as Record<Capitalize<K> | K, TOptional<S>>;
}

const NAME = Type.String({ minLength: 1, description: 'Name as queries spell it (case-sensitive).' });
const TYPE = Type.String({
  minLength: 1,
  description: `Kusto type: ${KQL_TYPES.join(', ')} (any case; .NET spellings such as DateTime, Int32, Int64, Double, Boolean, Guid, TimeSpan are accepted).`,
});
const DESCRIPTION = Type.String();

export const DeclaredColumnSchema = openObject({ ...eitherCase('name', NAME), ...eitherCase('type', TYPE), ...eitherCase('description', DESCRIPTION) });

export const DeclaredParameterSchema = openObject({
  ...eitherCase('name', NAME),
  ...eitherCase('type', TYPE),
  ...eitherCase('default', Type.Union([Type.String(), Type.Number(), Type.Boolean()], {
    description: "Default value, making the parameter optional: KQL literal text such as datetime(null), dynamic([]) or '*' (a bare text for a string parameter is taken as that string).",
  })),
  ...eitherCase('description', DESCRIPTION),
});

export const DeclaredTableSchema = openObject({
  ...eitherCase('name', NAME),
  ...eitherCase('description', DESCRIPTION),
  ...eitherCase('properties', Type.Array(DeclaredColumnSchema, { description: 'The columns: Name and Type each.' })),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'declared-table.schema.json',
  title: 'Declared Log Analytics table (Azure-Sentinel CustomTables format)',
});

export const DeclaredFunctionSchema = openObject({
  ...eitherCase('functionName', NAME),
  ...eitherCase('description', DESCRIPTION),
  ...eitherCase('functionParameters', Type.Array(DeclaredParameterSchema, { description: 'Parameters in call order: Name, Type, optional Default.' })),
  ...eitherCase('functionResultColumns', Type.Array(DeclaredColumnSchema, { description: 'Output columns of the function: Name and Type each.' })),
  ...eitherCase('query', Type.String({ description: 'The function body in KQL, used when no result columns are declared.' })),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'declared-function.schema.json',
  title: 'Declared workspace function (Azure-Sentinel CustomFunctions format)',
});

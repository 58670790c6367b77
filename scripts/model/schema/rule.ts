/** The analytic rule schema (rule.schema.json): Azure-Sentinel YAML fields plus our extensions. */
import { Type } from '@sinclair/typebox';
import { JSON_SCHEMA_DRAFT, common, mapOf, patterned, stringEnum, text } from './common.ts';

import {
  AGGREGATION_KINDS, ALERT_DETAILS as GROUP_BY_ALERT_DETAILS, ALERT_PROPERTIES, MATCHING_METHODS, RULE_KINDS, RULE_STATUSES,
  TACTICS, TRIGGER_OPERATORS,
} from '../sentinel.ts';

export { AGGREGATION_KINDS, ALERT_PROPERTIES, GROUP_BY_ALERT_DETAILS, MATCHING_METHODS, RULE_KINDS, RULE_STATUSES, TACTICS, TRIGGER_OPERATORS };
export const PARAMETER_TYPES = ['string', 'int', 'long', 'real', 'bool', 'timespan', 'datetime', 'dynamic'] as const;

const KQL_IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';
const strict = { additionalProperties: false } as const;

export const TriggerOperatorSchema = stringEnum(TRIGGER_OPERATORS);

export const FieldMappingSchema = Type.Object({ identifier: text(), columnName: text() }, strict);

export const EntityMappingSchema = Type.Object({
  entityType: common('entityType'),
  fieldMappings: Type.Array(FieldMappingSchema, { minItems: 1 }),
}, strict);

export const AlertDetailsOverrideSchema = Type.Object({
  alertDisplayNameFormat: Type.Optional(text({ maxLength: 256 })),
  alertDescriptionFormat: Type.Optional(text({ maxLength: 5000 })),
  alertTacticsColumnName: Type.Optional(text()),
  alertSeverityColumnName: Type.Optional(text()),
  alertDynamicProperties: Type.Optional(Type.Array(Type.Object({ alertProperty: stringEnum(ALERT_PROPERTIES), value: text() }, strict))),
}, strict);

export const GroupingConfigurationSchema = Type.Object({
  enabled: Type.Boolean(),
  reopenClosedIncident: Type.Optional(Type.Boolean()),
  lookbackDuration: Type.Optional(common('duration')),
  matchingMethod: Type.Optional(stringEnum(MATCHING_METHODS)),
  groupByEntities: Type.Optional(Type.Array(common('entityType'))),
  groupByAlertDetails: Type.Optional(Type.Array(stringEnum(GROUP_BY_ALERT_DETAILS))),
  groupByCustomDetails: Type.Optional(Type.Array(text())),
}, strict);

export const IncidentConfigurationSchema = Type.Object({
  createIncident: Type.Boolean(),
  groupingConfiguration: Type.Optional(GroupingConfigurationSchema),
}, strict);

/** A declared, per-target tunable value. The query holds `let <name> = <default literal>;`. */
export const RuleParameterSchema = Type.Object({
  description: text(),
  type: stringEnum(PARAMETER_TYPES),
  default: Type.Unknown(),
}, strict);

export const RuleSchema = Type.Object({
  id: common('guid', { description: 'Stable GUID; the ARM resource name of the rule. Never change it.' }),
  name: text({ maxLength: 256, description: 'Display name.' }),
  description: text({ maxLength: 5000 }),
  severity: common('severity'),
  status: Type.Optional(stringEnum(RULE_STATUSES)),
  kind: stringEnum(RULE_KINDS),
  enabled: Type.Optional(Type.Boolean({ description: 'Extension: deploy the rule enabled (default true).' })),
  requiredDataConnectors: Type.Optional(Type.Array(Type.Object({ connectorId: text(), dataTypes: Type.Array(text()) }, strict))),
  queryFrequency: Type.Optional(common('duration')),
  queryPeriod: Type.Optional(common('duration')),
  triggerOperator: Type.Optional(TriggerOperatorSchema),
  triggerThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  tactics: Type.Optional(Type.Array(stringEnum(TACTICS), { uniqueItems: true })),
  relevantTechniques: Type.Optional(Type.Array(
    patterned('^T[0-9]{4}(\\.[0-9]{3})?$', 'an ATT&CK technique id like T1098 or T1098.001'),
    { uniqueItems: true },
  )),
  query: text(),
  entityMappings: Type.Optional(Type.Array(EntityMappingSchema)),
  sentinelEntitiesMappings: Type.Optional(Type.Array(Type.Object({ columnName: text() }, strict), {
    description: 'Preview field (SecurityInsights preview api-versions such as 2022-10-01-preview and 2025-01-01-preview; no GA api-version has it): columns whose entities Sentinel extracts.',
  })),
  // Sentinel (and Azure-Sentinel's CI) take letters, digits and underscores, at most 20.
  customDetails: Type.Optional(mapOf({
    keys: patterned('^[A-Za-z_][A-Za-z0-9_]{0,19}$', '1-20 letters, digits or underscores, not starting with a digit'),
    values: text(),
  })),
  alertDetailsOverride: Type.Optional(AlertDetailsOverrideSchema),
  eventGroupingSettings: Type.Optional(Type.Object({ aggregationKind: stringEnum(AGGREGATION_KINDS) }, strict)),
  incidentConfiguration: Type.Optional(IncidentConfigurationSchema),
  suppressionEnabled: Type.Optional(Type.Boolean()),
  suppressionDuration: Type.Optional(common('duration')),
  version: common('semver', { description: 'Must increase whenever the query or alert-shaping fields change.' }),
  tags: Type.Optional(Type.Array(Type.Unknown())),
  metadata: Type.Optional(mapOf({ description: 'Azure-Sentinel content metadata (source, author, support, categories); kept as is.' })),
  investigationGuide: Type.Optional(text({ description: 'Extension: Markdown investigation guide (triage steps, pivots, response).' })),
  falsePositives: Type.Optional(Type.Array(text(), { description: 'Extension: known benign causes and how to tune them.' })),
  references: Type.Optional(Type.Array(common('url'), { description: 'Extension: reference URLs.' })),
  parameters: Type.Optional(mapOf({
    description: 'Extension: per-target tunables. The query must hold `let <name> = <default>;`; deploy substitutes target values there.',
    keys: patterned(KQL_IDENTIFIER, 'a KQL identifier'),
    values: RuleParameterSchema,
  })),
  lineage: Type.Optional(text({ description: 'Extension: the seed or upstream rule this derives from and how it differs.' })),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'rule.schema.json',
  title: 'Microsoft Sentinel analytic rule (Azure-Sentinel YAML format + documented extensions)',
  description: 'Fields follow the Azure/Azure-Sentinel analytic-rule YAML format. Extensions (enabled, investigationGuide, falsePositives, references, parameters, lineage) are optional and never sent to the ARM API.',
  ...strict,
});

// ---- Azure-Sentinel compatibility -------------------------------------------------------------
// Forms that Azure-Sentinel's CI accepts (its .script/tests/detectionTemplateSchemaValidation reads
// the YAML with Newtonsoft.Json: property names and enum values match case-insensitively, unknown
// fields and null values are ignored, durations may be written as .NET TimeSpans) and that Sentinel
// deploys, but that this schema spells one way. They load with a `compat/<quirk>` warning and are
// normalised to the canonical form before the schema above is applied; `sentinel fix` rewrites
// them in the file. The detection is scripts/model/compat.ts; docs/content-format.md lists them.

/**
 * Fields of the ARM alert-rule resource (or older template YAML) and the rule field that holds the
 * same thing here. `undefined`: the field has no meaning in a rule file (read-only or set by the
 * service) and is dropped.
 */
export const LEGACY_RULE_FIELDS: Readonly<Record<string, keyof typeof RuleSchema.properties | undefined>> = {
  techniques: 'relevantTechniques',
  subTechniques: 'relevantTechniques',
  displayName: 'name',
  alertRuleTemplateName: undefined,
  templateVersion: undefined,
  lastModifiedUtc: undefined,
};

/**
 * Fields older Azure-Sentinel templates carry that no version of the alert-rule API has (its CI
 * ignores unknown fields, and so does deployment): dropped with a compat warning. Typos are not
 * here: an unknown field that is none of these stays a schema error.
 */
export const IGNORED_TEMPLATE_FIELDS = ['threatAnalysisTactics', 'threatAnalysisTechniques'] as const;

/** Content-hub metadata fields sometimes written at the top level instead of under `metadata:`. */
export const METADATA_FIELDS = ['source', 'author', 'support', 'categories'] as const;

/** Rule fields holding a short-form duration (`5m`, `6h`, `14d`), by path. */
export const RULE_DURATION_PATHS: readonly (readonly string[])[] = [
  ['queryFrequency'], ['queryPeriod'], ['suppressionDuration'], ['incidentConfiguration', 'groupingConfiguration', 'lookbackDuration'],
];

/** Optional list fields whose null value becomes `[]` rather than disappearing (Azure-Sentinel's CI needs the key). */
export const NULL_AS_EMPTY_LIST = ['requiredDataConnectors'] as const;

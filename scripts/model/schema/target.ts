/** The deployment target schema (target.schema.json): one Sentinel workspace and its overrides. */
import { Type } from '@sinclair/typebox';
import { ItemValues, JSON_SCHEMA_DRAFT, common, mapOf, patterned, text } from './common.ts';

export const RuleOverrideSchema = Type.Object({
  rules: text({ description: 'Rule id or glob over id / area/slug.' }),
  enabled: Type.Optional(Type.Boolean()),
  severity: Type.Optional(common('severity')),
  triggerThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  queryFrequency: Type.Optional(common('duration')),
  queryPeriod: Type.Optional(common('duration')),
  parameters: Type.Optional(mapOf()),
}, { additionalProperties: false });

export const TargetSchema = Type.Object({
  displayName: Type.Optional(text()),
  tenantId: common('guid'),
  subscriptionId: common('guid'),
  resourceGroup: patterned('^[-\\w._()]{1,90}$', 'a resource group name'),
  workspaceName: patterned('^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$', 'a Log Analytics workspace name (4-63 letters, digits or -)'),
  location: patterned('^[a-z0-9]+$', 'an Azure region name like westeurope'),
  wave: Type.Integer({ minimum: 0, maximum: 99, description: 'Rollout wave; 0 is the canary.' }),
  disableRules: Type.Optional(Type.Array(text(), { description: 'Rule ids or globs over id / area/slug.' })),
  overrides: Type.Optional(Type.Array(RuleOverrideSchema)),
  watchlistItems: Type.Optional(mapOf({
    description: 'Extra items per watchlist alias, for this target only.',
    values: Type.Array(ItemValues),
  })),
  acknowledgeTrustAll: Type.Optional(Type.Array(text(), { description: 'Allowlist entries that trust every address (0.0.0.0/0, ::/0, …) which are meant: each must be listed here, exactly as written in items, or validate refuses it. Applies to this target\'s watchlistItems; never sent to Azure.' })),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'target.schema.json',
  title: 'Deployment target: one Sentinel workspace',
  additionalProperties: false,
});

/**
 * api-versions the emulator accepts, and what each one knows about alert rules.
 *
 * Every field list below is read from the version's own REST spec in Azure/azure-rest-api-specs,
 * `specification/securityinsights/resource-manager/Microsoft.SecurityInsights/{stable|preview}/<version>/AlertRules.json`
 * (definitions `AlertRuleKindEnum`, `ScheduledAlertRuleCommonProperties` + `ScheduledAlertRuleProperties`,
 * `NrtAlertRuleProperties`, `FusionAlertRuleProperties`, `MicrosoftSecurityIncidentCreationAlertRuleCommonProperties`
 * + `…Properties`, `MLBehaviorAnalyticsAlertRuleProperties`, `ThreatIntelligenceAlertRuleProperties`,
 * `AlertDetailsOverride`). What the specs say, version by version:
 * - the GA versions (stable/2022-11-01, 2023-02-01, 2024-03-01, 2024-09-01, 2025-09-01) define only the kinds
 *   Scheduled, MicrosoftSecurityIncidentCreation and Fusion — no NRT; their Fusion rule has no
 *   `sourceSettings`/`scenarioExclusionPatterns`; no `subTechniques`, no `sentinelEntitiesMappings`;
 *   `AlertDetailsOverride.alertDynamicProperties` exists from 2024-03-01 on (not in 2022-11-01 / 2023-02-01);
 * - preview/2022-09-01-preview adds NRT, MLBehaviorAnalytics, ThreatIntelligence and Fusion `sourceSettings` /
 *   `scenarioExclusionPatterns`; no `alertDynamicProperties`;
 * - preview/2022-10-01-preview adds `sentinelEntitiesMappings` (Scheduled, NRT) and `alertDynamicProperties`;
 * - preview/2025-01-01-preview (the version whose AlertRules.json is 83,738 characters, commit 2568316…) adds
 *   `subTechniques` to every kind that has `techniques` (read-only on Fusion, MLBehaviorAnalytics, ThreatIntelligence).
 * Like the service, a write drops the properties its api-version does not know (and the read-only ones), and a
 * read with an older api-version does not show properties stored through a newer one.
 */
import { ArmError } from './errors.ts';

export type Provider = 'Microsoft.SecurityInsights' | 'Microsoft.Insights' | 'Microsoft.Resources' | 'Microsoft.OperationalInsights/savedSearches' | 'Microsoft.OperationalInsights/tables';

type Feature = 'previewKinds' | 'sentinelEntitiesMappings' | 'alertDynamicProperties' | 'subTechniques';

/** The alert-rule properties of one kind in one api-version, and which of them the service fills (read-only). */
export interface KindFields {
  readonly fields: readonly string[];
  readonly readOnly: readonly string[];
  /** Sub-properties of object-valued properties this version knows (only where they differ between versions). */
  readonly nested: Readonly<Record<string, readonly string[]>>;
}

const ALERT_DETAILS_OVERRIDE = ['alertDisplayNameFormat', 'alertDescriptionFormat', 'alertTacticsColumnName', 'alertSeverityColumnName'];

function kindsOf(features: ReadonlySet<Feature>): Record<string, KindFields> {
  const has = (f: Feature) => features.has(f);
  const sub = has('subTechniques') ? ['subTechniques'] : [];
  const sem = has('sentinelEntitiesMappings') ? ['sentinelEntitiesMappings'] : [];
  const nested = { alertDetailsOverride: [...ALERT_DETAILS_OVERRIDE, ...(has('alertDynamicProperties') ? ['alertDynamicProperties'] : [])] };
  // ScheduledAlertRuleProperties/NrtAlertRuleProperties: the query-rule bag.
  const queryRule = [
    'alertRuleTemplateName', 'templateVersion', 'description', 'displayName', 'enabled', 'lastModifiedUtc',
    'query', 'severity', 'tactics', 'techniques', ...sub, 'suppressionDuration', 'suppressionEnabled', 'incidentConfiguration',
    'eventGroupingSettings', 'customDetails', 'entityMappings', 'alertDetailsOverride', ...sem,
  ];
  // Fusion / MLBehaviorAnalytics / ThreatIntelligence: a template-driven rule; everything but the template and `enabled` is read-only.
  const templated = ['alertRuleTemplateName', 'description', 'displayName', 'enabled', 'lastModifiedUtc', 'severity', 'tactics', 'techniques', ...sub];
  const templatedReadOnly = ['description', 'displayName', 'lastModifiedUtc', 'severity', 'tactics', 'techniques', ...sub];
  const kinds: Record<string, KindFields> = {
    Scheduled: { fields: [...queryRule, 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold'], readOnly: ['lastModifiedUtc'], nested },
    Fusion: { fields: [...templated, ...(has('previewKinds') ? ['sourceSettings', 'scenarioExclusionPatterns'] : [])], readOnly: templatedReadOnly, nested: {} },
    MicrosoftSecurityIncidentCreation: {
      fields: ['alertRuleTemplateName', 'description', 'displayName', 'enabled', 'lastModifiedUtc', 'displayNamesFilter', 'displayNamesExcludeFilter', 'productFilter', 'severitiesFilter'],
      readOnly: ['lastModifiedUtc'],
      nested: {},
    },
  };
  if (has('previewKinds')) {
    kinds['NRT'] = { fields: queryRule, readOnly: ['lastModifiedUtc'], nested };
    kinds['MLBehaviorAnalytics'] = { fields: templated, readOnly: templatedReadOnly, nested: {} };
    kinds['ThreatIntelligence'] = { fields: templated, readOnly: templatedReadOnly, nested: {} };
  }
  return kinds;
}

export interface SecurityInsightsVersion {
  readonly version: string;
  /** The spec file this version's alert-rule model is read from. */
  readonly spec: string;
  /** Alert-rule properties this version knows for `kind`; undefined when this version does not define the kind. */
  kind(kind: string): KindFields | undefined;
  /** Properties of `kind` (see kind()); kept for callers that only need the names. */
  ruleFields(kind: string): readonly string[] | undefined;
}

const SPEC_ROOT = 'specification/securityinsights/resource-manager/Microsoft.SecurityInsights';

function siVersion(version: string, features: Feature[]): SecurityInsightsVersion {
  const kinds = kindsOf(new Set(features));
  return {
    version,
    spec: `${SPEC_ROOT}/${version.endsWith('-preview') ? 'preview' : 'stable'}/${version}/AlertRules.json`,
    kind: (k) => kinds[k],
    ruleFields: (k) => kinds[k]?.fields,
  };
}

/**
 * The SecurityInsights api-versions served (alert rules, watchlists, metadata), in the order the
 * error message lists them. The LAST entry is the one the out-of-band helpers (`em.portal`, `em.get`)
 * read and write with, so it must be the version that knows every property: 2025-01-01-preview.
 */
const SECURITY_INSIGHTS: readonly SecurityInsightsVersion[] = [
  siVersion('2022-09-01-preview', ['previewKinds']),
  siVersion('2022-10-01-preview', ['previewKinds', 'sentinelEntitiesMappings', 'alertDynamicProperties']),
  siVersion('2022-11-01', []),
  siVersion('2023-02-01', []),
  siVersion('2024-03-01', ['alertDynamicProperties']),
  siVersion('2024-09-01', ['alertDynamicProperties']),
  siVersion('2025-09-01', ['alertDynamicProperties']),
  siVersion('2025-01-01-preview', ['previewKinds', 'sentinelEntitiesMappings', 'alertDynamicProperties', 'subTechniques']),
];

/**
 * Workbooks (specification/applicationinsights/resource-manager/Microsoft.Insights/stable/<v>/workbooks_API.json):
 * 2021-08-01, 2022-04-01 and 2023-06-01 (what @azure/arm-appinsights 5.0.0-beta.8 sends) share the
 * WorkbookProperties shape, `identity` (ManagedServiceIdentity) and the `sourceId` query parameter;
 * 2021-08-01 also allows kind `user` (later versions: `shared` only).
 */
const WORKBOOKS = ['2021-08-01', '2022-04-01', '2023-06-01'];

/**
 * Log Analytics workspace children (REST spec specification/operationalinsights/…/Microsoft.OperationalInsights/stable/<v>/).
 * SavedSearches.json exists in 2020-08-01 (what @azure/arm-operationalinsights 9.0.0 sends) and
 * 2025-02-01 with the same SavedSearch shape; Tables.json in 2022-10-01 (the SDK's version) and 2025-02-01.
 */
const SAVED_SEARCHES = ['2020-08-01', '2025-02-01'];
const TABLES = ['2022-10-01', '2025-02-01'];

/**
 * Template deployments: Microsoft.Resources stable/2025-04-01/resources.json, the version
 * @azure/arm-resources 6.1.0 sends, 2025-03-01 (stable/2025-03-01/resources.json, the same Deployment shapes); older api-versions are not modelled.
 */
const DEPLOYMENTS = ['2025-03-01', '2025-04-01'];

export const SUPPORTED_VERSIONS: Record<Provider, readonly string[]> = {
  'Microsoft.Resources': DEPLOYMENTS,
  'Microsoft.SecurityInsights': SECURITY_INSIGHTS.map((v) => v.version),
  'Microsoft.Insights': WORKBOOKS,
  'Microsoft.OperationalInsights/savedSearches': SAVED_SEARCHES,
  'Microsoft.OperationalInsights/tables': TABLES,
};

/**
 * SecurityInsights versions whose folder lacks a resource type's spec file: stable/2022-11-01 has
 * AlertRules.json and Watchlists.json but no Metadata.json (every other served version has all three).
 */
const MISSING_IN_VERSION: Record<string, readonly string[]> = { metadata: ['2022-11-01'] };

/** The api-versions served for `resourceType` of `provider`. */
export function versionsFor(provider: Provider, resourceType: string): readonly string[] {
  const missing = provider === 'Microsoft.SecurityInsights' ? (MISSING_IN_VERSION[resourceType] ?? []) : [];
  return SUPPORTED_VERSIONS[provider].filter((v) => !missing.includes(v));
}

/** The resource type an unsupported api-version is reported for. */
function typeName(provider: Provider, resourceType: string): string {
  return provider.startsWith('Microsoft.OperationalInsights/') ? `workspaces/${resourceType}` : resourceType;
}

/**
 * ARM's check: a missing or unknown api-version is a 400 before the provider sees the request.
 * Missing → `MissingApiVersionParameter`. Unknown → ARM answers a resource-provider type with 400
 * `NoRegisteredProviderFound`, "No registered resource provider found for location '…' and API version
 * '…' for type '…'. The supported api-versions are '…'. The supported locations are '…'." (the service's
 * text, quoted for SecurityInsights paths in Azure/azure-sdk-for-java#36394 and Azure/azure-powershell#20143;
 * `InvalidApiVersionParameter` is what ARM's own Microsoft.Resources endpoints answer). The emulator is
 * location-agnostic, so its message leaves the location parts out, and it names the type it serves
 * (`alertRules`, `watchlists/watchlistItems`, `workbooks`, `workspaces/savedSearches`, …) where the quoted
 * answers name the parent `workspaces`.
 */
export function checkApiVersion(provider: Provider, resourceType: string, apiVersion: string | null): string {
  if (!apiVersion) {
    throw new ArmError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  const supported = versionsFor(provider, resourceType);
  if (!supported.includes(apiVersion)) {
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for API version '${apiVersion}' for type '${typeName(provider, resourceType)}'. ` +
        `The supported api-versions are '${supported.join(', ')}'.`,
    );
  }
  return apiVersion;
}

export function securityInsightsVersion(version: string): SecurityInsightsVersion {
  const found = SECURITY_INSIGHTS.find((v) => v.version === version);
  if (!found) throw new Error(`unsupported SecurityInsights api-version ${version}`);
  return found;
}

/** The api-versions whose spec defines alert-rule `kind` (empty: a kind no served version defines). */
export function versionsDefiningKind(kind: string): string[] {
  return SECURITY_INSIGHTS.filter((v) => v.kind(kind)).map((v) => v.version);
}

/** All alert-rule properties any supported version knows for `kind` (what the store keeps). */
export function allRuleFields(kind: string): readonly string[] | undefined {
  const sets = SECURITY_INSIGHTS.map((v) => v.ruleFields(kind)).filter((s): s is readonly string[] => !!s);
  return sets.length ? [...new Set(sets.flat())] : undefined;
}

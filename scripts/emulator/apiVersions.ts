/**
 * api-versions the emulator accepts, and what each one knows about alert rules.
 *
 * The field lists follow the published REST specs: 2022-09-01-preview is what
 * @azure/arm-securityinsight 1.0.0-beta.6 sends (its model mappers list exactly these properties);
 * the GA versions 2023-02-01 and 2024-03-01 carry the same alert-rule properties; 2025-01-01-preview
 * adds `subTechniques` and `sentinelEntitiesMappings` to Scheduled and NRT rules. Like the service,
 * a write drops the properties its api-version does not know, and a read with an older api-version
 * does not show properties stored through a newer one.
 */
import { ArmError } from './errors.ts';

export type Provider = 'Microsoft.SecurityInsights' | 'Microsoft.Insights' | 'Microsoft.Resources' | 'Microsoft.OperationalInsights/savedSearches' | 'Microsoft.OperationalInsights/tables';

const COMMON = ['alertRuleTemplateName', 'description', 'displayName', 'enabled', 'lastModifiedUtc'];
const QUERY_RULE = [
  ...COMMON,
  'templateVersion', 'query', 'severity', 'tactics', 'techniques', 'suppressionDuration', 'suppressionEnabled',
  'incidentConfiguration', 'customDetails', 'entityMappings', 'alertDetailsOverride', 'eventGroupingSettings',
];

/** Properties of each alert-rule kind in the 2022-09-01-preview model. */
const BASE_RULE_FIELDS: Record<string, readonly string[]> = {
  Scheduled: [...QUERY_RULE, 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold'],
  NRT: QUERY_RULE,
  Fusion: [...COMMON, 'sourceSettings', 'scenarioExclusionPatterns', 'severity', 'tactics', 'techniques'],
  MicrosoftSecurityIncidentCreation: [
    ...COMMON, 'displayNamesFilter', 'displayNamesExcludeFilter', 'productFilter', 'severitiesFilter',
  ],
};

const PREVIEW_2025_EXTRA = ['subTechniques', 'sentinelEntitiesMappings'];

export interface SecurityInsightsVersion {
  readonly version: string;
  /** Alert-rule properties this version knows, by kind (kinds not listed are stored as given). */
  ruleFields(kind: string): readonly string[] | undefined;
}

function siVersion(version: string, extra: readonly string[]): SecurityInsightsVersion {
  return {
    version,
    ruleFields(kind) {
      const base = BASE_RULE_FIELDS[kind];
      if (!base) return undefined;
      return kind === 'Scheduled' || kind === 'NRT' ? [...base, ...extra] : base;
    },
  };
}

const SECURITY_INSIGHTS: readonly SecurityInsightsVersion[] = [
  siVersion('2022-09-01-preview', []),
  siVersion('2023-02-01', []),
  siVersion('2024-03-01', []),
  siVersion('2025-01-01-preview', PREVIEW_2025_EXTRA),
];

/** Workbook api-versions sharing the shape @azure/arm-appinsights 5.0.0-beta.8 uses (2023-06-01). */
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

/** ARM's check: a missing or unknown api-version is a 400 before the provider sees the request. */
export function checkApiVersion(provider: Provider, resourceType: string, apiVersion: string | null): string {
  if (!apiVersion) {
    throw new ArmError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  const supported = SUPPORTED_VERSIONS[provider];
  if (!supported.includes(apiVersion)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid for resource type '${provider.startsWith('Microsoft.OperationalInsights/') ? 'Microsoft.OperationalInsights/workspaces/' + resourceType : provider + '/' + resourceType}'. ` +
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

/** All alert-rule properties any supported version knows for `kind` (what the store keeps). */
export function allRuleFields(kind: string): readonly string[] | undefined {
  const sets = SECURITY_INSIGHTS.map((v) => v.ruleFields(kind)).filter((s): s is readonly string[] => !!s);
  return sets.length ? [...new Set(sets.flat())] : undefined;
}

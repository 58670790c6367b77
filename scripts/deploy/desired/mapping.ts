/**
 * Content → ARM request bodies. Pure: a resolved rule / watchlist / workbook in, the JSON the
 * service expects out. Extension fields (investigationGuide, falsePositives, references,
 * parameters, lineage) and YAML-only fields (requiredDataConnectors, status, tags, metadata, id,
 * version) never reach the body; `version` goes into the ownership metadata.
 */
import type {
  AnalyticRule, IncidentConfiguration, KqlFunction, Watchlist, WatchlistItem, Workbook,
} from '../../model/types.ts';
import { functionParameterList } from '../../kusto/functions.ts';
import { toIsoDuration } from '../../model/duration.ts';
import { ARM_TRIGGER_OPERATOR } from '../../model/sentinel.ts';
import type { DesiredWatchlistItem, Json, WorkspaceRef } from './model.ts';
import { workspaceResourceId } from './model.ts';
import { pruneEmpty } from './util.ts';
import { uuidV5 } from '../../model/guid.ts';
import { watchlistItemId, watchlistItemKey } from '../../model/watchlist.ts';


/** Sentinel's defaults for fields a rule may omit (what the portal sends, and what the service stores). */
export const RULE_DEFAULTS = {
  enabled: true,
  suppressionEnabled: false,
  suppressionDuration: 'PT1H',
  eventGroupingSettings: { aggregationKind: 'SingleAlert' },
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: {
      enabled: false,
      reopenClosedIncident: false,
      lookbackDuration: 'PT5H',
      matchingMethod: 'AllEntities',
    },
  },
} as const;

/** `T1098.001` → technique `T1098` + sub-technique `T1098.001`; both lists sorted and unique. */
export function splitTechniques(relevant: readonly string[] = []): { techniques: string[]; subTechniques: string[] } {
  const techniques = new Set<string>();
  const subTechniques = new Set<string>();
  for (const raw of relevant) {
    const id = raw.trim().toUpperCase();
    const dot = id.indexOf('.');
    techniques.add(dot < 0 ? id : id.slice(0, dot));
    if (dot >= 0) subTechniques.add(id);
  }
  return { techniques: [...techniques].sort(), subTechniques: [...subTechniques].sort() };
}

/** `Privilege Escalation` → `PrivilegeEscalation` (the ARM AttackTactic enum spelling). */
export function armTactic(tactic: string): string {
  return tactic.replace(/\s+/g, '');
}

export function armIncidentConfiguration(ic: IncidentConfiguration | undefined): Json {
  const def = RULE_DEFAULTS.incidentConfiguration;
  if (!ic) return structuredClone(def) as unknown as Json;
  const g = ic.groupingConfiguration;
  const grouping = g
    ? {
        enabled: g.enabled,
        reopenClosedIncident: g.reopenClosedIncident ?? def.groupingConfiguration.reopenClosedIncident,
        lookbackDuration: g.lookbackDuration
          ? toIsoDuration(g.lookbackDuration, 'incidentConfiguration.groupingConfiguration.lookbackDuration')
          : def.groupingConfiguration.lookbackDuration,
        matchingMethod: g.matchingMethod ?? def.groupingConfiguration.matchingMethod,
        groupByEntities: g.groupByEntities ?? [],
        groupByAlertDetails: g.groupByAlertDetails ?? [],
        groupByCustomDetails: g.groupByCustomDetails ?? [],
      }
    : { ...def.groupingConfiguration };
  return { createIncident: ic.createIncident, groupingConfiguration: grouping };
}

/** The alert-rule body (`{kind, properties}`) for a rule whose overrides and parameters are applied. */
export function ruleToArm(rule: AnalyticRule): Json {
  const { techniques, subTechniques } = splitTechniques(rule.relevantTechniques);
  const props: Json = {
    displayName: rule.name,
    description: rule.description,
    severity: rule.severity,
    enabled: rule.enabled ?? RULE_DEFAULTS.enabled,
    query: rule.query,
    tactics: (rule.tactics ?? []).map(armTactic),
    techniques,
    subTechniques,
    suppressionEnabled: rule.suppressionEnabled ?? RULE_DEFAULTS.suppressionEnabled,
    suppressionDuration: rule.suppressionDuration
      ? toIsoDuration(rule.suppressionDuration, 'suppressionDuration')
      : RULE_DEFAULTS.suppressionDuration,
    incidentConfiguration: armIncidentConfiguration(rule.incidentConfiguration),
    eventGroupingSettings: rule.eventGroupingSettings ?? { ...RULE_DEFAULTS.eventGroupingSettings },
    entityMappings: rule.entityMappings,
    sentinelEntitiesMappings: rule.sentinelEntitiesMappings,
    customDetails: rule.customDetails,
    alertDetailsOverride: rule.alertDetailsOverride,
  };
  if (rule.kind === 'Scheduled') {
    if (!rule.queryFrequency || !rule.queryPeriod) {
      throw new Error(`rule ${rule.id}: a Scheduled rule needs queryFrequency and queryPeriod`);
    }
    props.queryFrequency = toIsoDuration(rule.queryFrequency, 'queryFrequency');
    props.queryPeriod = toIsoDuration(rule.queryPeriod, 'queryPeriod');
    props.triggerOperator = ARM_TRIGGER_OPERATOR[rule.triggerOperator ?? 'gt'];
    props.triggerThreshold = rule.triggerThreshold ?? 0;
  }
  return { kind: rule.kind, properties: pruneEmpty(props) as Json };
}


/**
 * ARM `source`: the upload kind. Older api-versions accept only 'Local file' | 'Remote storage'
 * there, newer ones a file name; 'Local file' is valid for all (we upload the items ourselves). The
 * content's own `source` (where the list comes from) is repo documentation and is not sent.
 */
export const WATCHLIST_SOURCE = 'Local file';

export function watchlistToArm(w: Watchlist): Json {
  return {
    properties: pruneEmpty({
      displayName: w.displayName,
      description: w.description,
      provider: w.provider,
      source: WATCHLIST_SOURCE,
      itemsSearchKey: w.itemsSearchKey,
      labels: w.labels,
      defaultDuration: w.defaultDuration ? toIsoDuration(w.defaultDuration, 'defaultDuration') : undefined,
    }) as Json,
  };
}

/**
 * Items keyed by their stable id. A later item with the same search-key value replaces an earlier
 * one, so a target's own items override the repo's defaults for the same key.
 */
export function watchlistItemsToArm(w: Watchlist, items: readonly WatchlistItem[]): DesiredWatchlistItem[] {
  const byId = new Map<string, DesiredWatchlistItem>();
  for (const item of items) {
    const key = String(item[w.itemsSearchKey] ?? '');
    if (!watchlistItemKey(w, item)) throw new Error(`watchlist ${w.alias}: an item has no value for its search key '${w.itemsSearchKey}'`);
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(item)) values[k] = String(v);
    const name = watchlistItemId(w.alias, key);
    byId.delete(name);
    byId.set(name, { name, key, body: { properties: { itemsKeyValue: values } } });
  }
  return [...byId.values()];
}

/**
 * ARM name of a workbook in a workspace. Workbooks are resource-group scoped while Sentinel content
 * is per workspace, so two workspaces in one resource group would collide on the bare workbook id:
 * the name is a UUIDv5 of the workbook id and the workspace id, stable forever for that pair.
 */
export function workbookResourceName(workbookId: string, ws: WorkspaceRef): string {
  return uuidV5(`workbook\n${workbookId.toLowerCase()}\n${workspaceResourceId(ws).toLowerCase()}`);
}

/** Tag on every workbook this tool deploys (a secondary, human-visible ownership hint). */
export const WORKBOOK_TAG = 'sentinel-content-repo';

export function workbookToArm(wb: Workbook, ws: WorkspaceRef, repoName: string): Json {
  const schemaVersion = typeof wb.template.version === 'string' ? wb.template.version : 'Notebook/1.0';
  return {
    kind: 'shared',
    location: ws.location,
    tags: { [WORKBOOK_TAG]: repoName },
    properties: pruneEmpty({
      displayName: wb.displayName,
      description: wb.description,
      category: 'sentinel',
      sourceId: workspaceResourceId(ws),
      version: schemaVersion,
      serializedData: JSON.stringify(wb.template),
    }) as Json,
  };
}

/** Tag on every saved search this tool deploys (saved-search tags are `{name, value}` pairs). */
export const FUNCTION_TAG = WORKBOOK_TAG;

/** The saved search's query-language version: "The current version is 2 and is the default" (SavedSearch spec). */
export const SAVED_SEARCH_QUERY_VERSION = 2;

/**
 * The saved-search body of a function (`Microsoft.OperationalInsights/workspaces/savedSearches`):
 * `functionAlias` makes the query callable by that name; `functionParameters` is the KQL
 * parameter list `name:type = default, …`. Throws ParameterError for a default of the wrong type.
 */
export function functionToArm(fn: KqlFunction, repoName: string): Json {
  const parameters = functionParameterList(fn);
  return {
    properties: pruneEmpty({
      category: fn.category,
      displayName: fn.displayName,
      query: fn.body,
      functionAlias: fn.alias,
      functionParameters: parameters,
      version: SAVED_SEARCH_QUERY_VERSION,
      tags: [{ name: FUNCTION_TAG, value: repoName }],
    }) as Json,
  };
}

/**
 * One normaliser for both sides of a diff: the body we would send and the resource the service
 * returned become the same "comparable" shape, so server-filled fields, defaults, duration
 * spellings, key order and list order where it carries no meaning never show as differences.
 */
import { canonicalDuration } from '../../model/duration.ts';
import { RULE_DEFAULTS, SAVED_SEARCH_QUERY_VERSION } from './mapping.ts';
import { ARM_TRIGGER_OPERATOR } from '../../model/sentinel.ts';
import type { Json } from './model.ts';
import { isEmpty, pruneEmpty } from './util.ts';

/** Alert-rule properties we own; anything else non-empty the service returns is compared too. */
const RULE_FIELDS = [
  'displayName', 'description', 'severity', 'enabled', 'query', 'queryFrequency', 'queryPeriod',
  'triggerOperator', 'triggerThreshold', 'suppressionEnabled', 'suppressionDuration', 'tactics',
  'techniques', 'subTechniques', 'entityMappings', 'customDetails', 'alertDetailsOverride',
  'eventGroupingSettings', 'incidentConfiguration',
];
/** Read-only or set-once by the service: never a difference. */
const RULE_SERVER_FIELDS = new Set(['lastModifiedUtc', 'alertRuleTemplateName', 'templateVersion']);

const sortedUnique = (v: unknown): unknown =>
  Array.isArray(v) ? [...new Set(v.map(String))].sort() : v;

const OPERATOR_BY_SHORT: Record<string, string> = ARM_TRIGGER_OPERATOR;

function normaliseIncident(ic: unknown): Json {
  const def = RULE_DEFAULTS.incidentConfiguration;
  const src = (ic && typeof ic === 'object' ? ic : {}) as Json;
  const g = (src.groupingConfiguration && typeof src.groupingConfiguration === 'object'
    ? src.groupingConfiguration
    : {}) as Json;
  const enabled = (g.enabled as boolean | undefined) ?? def.groupingConfiguration.enabled;
  // With grouping off, its other settings have no effect: leave them out of the comparison.
  const grouping: Json = enabled
    ? {
        enabled,
        reopenClosedIncident: g.reopenClosedIncident ?? def.groupingConfiguration.reopenClosedIncident,
        lookbackDuration: canonicalDuration(g.lookbackDuration ?? def.groupingConfiguration.lookbackDuration),
        matchingMethod: g.matchingMethod ?? def.groupingConfiguration.matchingMethod,
        groupByEntities: sortedUnique(g.groupByEntities),
        groupByAlertDetails: sortedUnique(g.groupByAlertDetails),
        groupByCustomDetails: sortedUnique(g.groupByCustomDetails),
      }
    : { enabled };
  return { createIncident: src.createIncident ?? def.createIncident, groupingConfiguration: grouping };
}

/** Comparable form of an alert rule (`{kind, properties}` as sent, or as returned by a GET). */
export function normaliseRule(body: Json): Json {
  const p = (body.properties ?? {}) as Json;
  const out: Json = { kind: body.kind };
  for (const f of RULE_FIELDS) out[f] = p[f];
  for (const [k, v] of Object.entries(p)) {
    if (!RULE_FIELDS.includes(k) && !RULE_SERVER_FIELDS.has(k) && !isEmpty(v)) out[k] = v;
  }
  out.enabled = out.enabled ?? RULE_DEFAULTS.enabled;
  out.query = typeof out.query === 'string' ? out.query.replace(/\r\n/g, '\n').trimEnd() : out.query;
  for (const f of ['queryFrequency', 'queryPeriod', 'suppressionDuration']) out[f] = canonicalDuration(out[f]);
  if (typeof out.triggerOperator === 'string') {
    out.triggerOperator = OPERATOR_BY_SHORT[out.triggerOperator] ?? out.triggerOperator;
  }
  for (const f of ['tactics', 'techniques', 'subTechniques']) out[f] = sortedUnique(out[f]);
  out.suppressionEnabled = out.suppressionEnabled ?? RULE_DEFAULTS.suppressionEnabled;
  // Suppression off: the duration has no effect.
  if (!out.suppressionEnabled) delete out.suppressionDuration;
  out.eventGroupingSettings = pruneEmpty(out.eventGroupingSettings);
  if (isEmpty(out.eventGroupingSettings)) out.eventGroupingSettings = { ...RULE_DEFAULTS.eventGroupingSettings };
  out.incidentConfiguration = normaliseIncident(out.incidentConfiguration);
  return pruneEmpty(out) as Json;
}

const WATCHLIST_FIELDS = ['displayName', 'description', 'provider', 'source', 'itemsSearchKey', 'labels', 'defaultDuration'];

/** Comparable watchlist properties (server bookkeeping such as watchlistId/created/updated dropped). */
export function normaliseWatchlist(body: Json): Json {
  const p = (body.properties ?? {}) as Json;
  const out: Json = {};
  for (const f of WATCHLIST_FIELDS) out[f] = p[f];
  out.labels = sortedUnique(out.labels);
  out.defaultDuration = canonicalDuration(out.defaultDuration);
  return pruneEmpty(out) as Json;
}

/** Comparable watchlist item: its key/value pairs as strings, empty values dropped. */
export function normaliseWatchlistItem(body: Json): Json {
  const p = (body.properties ?? {}) as Json;
  const kv = (p.itemsKeyValue ?? {}) as Json;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(kv)) if (!isEmpty(v)) out[k] = String(v);
  return out;
}

/** `West Europe` and `westeurope` are the same ARM location. */
export const normaliseLocation = (l: unknown): unknown =>
  typeof l === 'string' ? l.replace(/\s+/g, '').toLowerCase() : l;

function parseTemplate(serialized: unknown): unknown {
  if (typeof serialized !== 'string') return serialized;
  try {
    return JSON.parse(serialized);
  } catch {
    return serialized;
  }
}

/** Comparable workbook: the gallery JSON parsed (whitespace and key order never differ). */
export function normaliseWorkbook(body: Json, ownTagKeys: readonly string[]): Json {
  const p = (body.properties ?? {}) as Json;
  const tags = (body.tags ?? {}) as Record<string, string>;
  const ownTags: Record<string, string> = {};
  for (const k of ownTagKeys) if (tags[k] !== undefined) ownTags[k] = tags[k]!;
  return pruneEmpty({
    kind: body.kind,
    location: normaliseLocation(body.location),
    tags: ownTags,
    displayName: p.displayName,
    description: p.description,
    category: typeof p.category === 'string' ? p.category.toLowerCase() : p.category,
    sourceId: typeof p.sourceId === 'string' ? p.sourceId.toLowerCase() : p.sourceId,
    version: p.version,
    template: parseTemplate(p.serializedData),
  }) as Json;
}

/**
 * Comparable saved search (a function): its query with line endings and trailing space normalised,
 * the parameter list in the form we send (`a:type = x, b:type`, whatever the spacing), the query-language version (absent = 2, the
 * service's default) and only our own tags (others someone added are not a difference).
 */
export function normaliseSavedSearch(body: Json, ownTagNames: readonly string[]): Json {
  const p = (body.properties ?? {}) as Json;
  const tags = Array.isArray(p.tags) ? (p.tags as Json[]) : [];
  const own = tags
    .filter((t) => ownTagNames.includes(String(t.name)))
    .map((t) => ({ name: String(t.name), value: String(t.value) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return pruneEmpty({
    category: p.category,
    displayName: p.displayName,
    query: typeof p.query === 'string' ? p.query.replace(/\r\n/g, '\n').trimEnd() : p.query,
    functionAlias: p.functionAlias,
    functionParameters: typeof p.functionParameters === 'string' ? p.functionParameters.replace(/\s+/g, ' ').replace(/\s*:\s*/g, ':').replace(/\s*=\s*/g, ' = ').replace(/\s*,\s*/g, ', ').trim() : p.functionParameters,
    version: p.version ?? SAVED_SEARCH_QUERY_VERSION,
    tags: own,
  }) as Json;
}

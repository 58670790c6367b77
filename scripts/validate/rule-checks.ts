/**
 * Per-rule cross-checks a reviewer would otherwise do by hand. Pure: a rule plus facts about its
 * query (from the KQL stage) in, diagnostics out.
 */
import { diagAt, diagAtOffset } from '../model/diagnostics.ts';
import { durationMs, formatMs } from '../model/duration.ts';
import type { Diagnostic, RuleFile } from '../model/types.ts';
import { closest } from '../model/suggest.ts';
import { technique } from '../model/attack.ts';
import { followsPackConventions } from '../model/conventions.ts';
import { foldedCommentFindings } from './folded-comments.ts';
import { ENTITY_IDENTIFIERS, LIMITS } from '../model/sentinel.ts';

/** What the checks need to know about a query (a subset of the KQL analysis). */
export interface QueryFacts {
  /** Output columns, or null when the language service could not resolve them (e.g. syntax errors). */
  resultColumns: { name: string; type: string }[] | null;
  maxAgoLookback: { ms: number; start: number; length: number } | null;
  searchStar: { start: number; length: number }[];
  lets: { name: string; start: number; length: number; valueText: string }[];
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

export function checkRule(rf: RuleFile, facts: QueryFacts | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { rule, source } = rf;
  const err = (path: (string | number)[], code: string, message: string, onKey = false) =>
    out.push(diagAt(source, path, 'error', `check/${code}`, message, onKey));
  const warn = (path: (string | number)[], code: string, message: string, onKey = false) =>
    out.push(diagAt(source, path, 'warning', `check/${code}`, message, onKey));
  // Sentinel and Azure-Sentinel's CI accept a technique outside the listed tactics: a warning for a
  // rule brought in as it is, an error for one written to the pack's conventions.
  const tacticFinding = (path: (string | number)[], message: string) =>
    (followsPackConventions(rf) ? err : warn)(path, 'attack-tactic', message);

  // --- query shape -------------------------------------------------------------------------
  out.push(...foldedCommentFindings(source, ['query'], rule.query));
  if (rule.query.length > LIMITS.maxQueryLength) {
    err(['query'], 'query-length', `query is ${rule.query.length} characters; Sentinel accepts at most ${LIMITS.maxQueryLength}`);
  }
  for (const s of facts?.searchStar ?? []) {
    out.push(diagAtOffset(source, ['query'], s.start, s.length, 'error', 'check/search-star',
      '`search *` / `union *` scans every table; name the tables the rule needs'));
  }

  // --- schedule ------------------------------------------------------------------------------
  const schedFields = ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold'] as const;
  if (rule.kind === 'NRT') {
    for (const f of schedFields) {
      if (rule[f] !== undefined) err([f], 'nrt-field', `NRT rules run every minute over new data; remove "${f}"`, true);
    }
  } else {
    const missing = schedFields.filter((f) => rule[f] === undefined);
    if (missing.length) err([], 'scheduled-fields', `Scheduled rules need ${missing.map((f) => `"${f}"`).join(', ')}`);
    const freq = rule.queryFrequency ? durationMs(rule.queryFrequency) : undefined;
    const period = rule.queryPeriod ? durationMs(rule.queryPeriod) : undefined;
    if (freq !== undefined && (freq < LIMITS.minFrequencyMs || freq > LIMITS.maxFrequencyMs)) {
      err(['queryFrequency'], 'frequency-range', `queryFrequency must be between 5m and 14d (got ${rule.queryFrequency})`);
    }
    if (period !== undefined && (period < LIMITS.minPeriodMs || period > LIMITS.maxPeriodMs)) {
      err(['queryPeriod'], 'period-range', `queryPeriod must be between 5m and 14d (got ${rule.queryPeriod})`);
    }
    if (freq !== undefined && period !== undefined) {
      if (period < freq) {
        err(['queryPeriod'], 'period-frequency', `queryPeriod ${rule.queryPeriod} is shorter than queryFrequency ${rule.queryFrequency}; events between runs would be missed`);
      }
      if (period > LIMITS.longPeriodMs && freq < LIMITS.longPeriodMinFrequencyMs) {
        err(['queryFrequency'], 'long-period-frequency', `a queryPeriod over 2d (${rule.queryPeriod}) needs a queryFrequency of at least 1h (got ${rule.queryFrequency})`);
      }
    }
    if (period !== undefined && facts?.maxAgoLookback && facts.maxAgoLookback.ms > period) {
      const a = facts.maxAgoLookback;
      out.push(diagAtOffset(source, ['query'], a.start, a.length, 'warning', 'check/lookback',
        `the query looks back ${formatMs(a.ms)} but queryPeriod is ${rule.queryPeriod}; Sentinel only supplies ${rule.queryPeriod} of data — raise queryPeriod or shorten the lookback`));
    }
  }
  if (rule.suppressionDuration) {
    const s = durationMs(rule.suppressionDuration)!;
    if (s < LIMITS.minSuppressionMs || s > LIMITS.maxSuppressionMs) {
      err(['suppressionDuration'], 'suppression-range', `suppressionDuration must be between 5m and 24h (got ${rule.suppressionDuration})`);
    }
  }
  const lookback = rule.incidentConfiguration?.groupingConfiguration?.lookbackDuration;
  if (lookback) {
    const ms = durationMs(lookback)!;
    if (ms < LIMITS.minGroupingLookbackMs || ms > LIMITS.maxGroupingLookbackMs) {
      err(['incidentConfiguration', 'groupingConfiguration', 'lookbackDuration'], 'grouping-lookback', `grouping lookbackDuration must be between 5m and 7d (got ${lookback})`);
    }
  }

  // --- ATT&CK ----------------------------------------------------------------------------------
  const tactics = new Set<string>(rule.tactics ?? []);
  (rule.relevantTechniques ?? []).forEach((id, i) => {
    const t = technique(id);
    if (!t && /^T08\d\d$/.test(id)) {
      // ATT&CK for ICS ids (T0800–T0899), which Sentinel accepts for OT content: real techniques,
      // but of a matrix this pack does not carry, so neither the id nor its tactics are checked.
      warn(['relevantTechniques', i], 'attack-ics', `${id} is an ATT&CK for ICS technique; only Enterprise techniques are checked (id and tactics)`);
    } else if (!t) {
      err(['relevantTechniques', i], 'attack-unknown', `${id} is not a MITRE ATT&CK Enterprise technique${id.includes('.') ? ' or sub-technique' : ''}`);
    } else if (tactics.size > 0 && !t.tactics.some((x) => tactics.has(x))) {
      tacticFinding(['relevantTechniques', i], `${id} (${t.name}) belongs to ${t.tactics.join(', ')}, none of which is in tactics; add one or fix the technique`);
    }
  });
  if ((rule.relevantTechniques?.length ?? 0) > 0 && tactics.size === 0) {
    tacticFinding(['relevantTechniques'], 'relevantTechniques are listed but tactics is empty; add the tactics they belong to');
  }

  // --- entities, details, overrides (need the output columns) ----------------------------------
  const maps = rule.entityMappings ?? [];
  if (maps.length > LIMITS.maxEntityMappings) {
    err(['entityMappings', LIMITS.maxEntityMappings], 'entity-count', `at most ${LIMITS.maxEntityMappings} entity mappings are allowed (got ${maps.length})`);
  }
  const columns = facts?.resultColumns ? new Map(facts.resultColumns.map((c) => [c.name, c.type])) : undefined;
  const columnNames = columns ? [...columns.keys()] : [];
  const needColumn = (path: (string | number)[], name: string, what: string) => {
    if (!columns || columns.has(name)) return;
    const guess = closest(name, columnNames);
    err(path, 'unknown-column', `${what} "${name}" is not a column the query outputs${guess ? ` (did you mean "${guess}"?)` : `; it outputs ${columnNames.join(', ') || 'no columns'}`}`);
  };
  maps.forEach((m, i) => {
    if (m.fieldMappings.length > LIMITS.maxIdentifiersPerMapping) {
      err(['entityMappings', i, 'fieldMappings', LIMITS.maxIdentifiersPerMapping], 'identifier-count',
        `an entity mapping takes at most ${LIMITS.maxIdentifiersPerMapping} identifiers (got ${m.fieldMappings.length})`);
    }
    const valid = ENTITY_IDENTIFIERS[m.entityType] ?? [];
    const seen = new Set<string>();
    m.fieldMappings.forEach((f, j) => {
      const path = ['entityMappings', i, 'fieldMappings', j];
      if (!valid.includes(f.identifier)) {
        const guess = closest(f.identifier, [...valid]);
        err([...path, 'identifier'], 'identifier', `"${f.identifier}" is not an identifier of ${m.entityType}${guess ? ` (did you mean "${guess}"?)` : `; use one of ${valid.join(', ')}`}`);
      }
      if (seen.has(f.identifier)) err([...path, 'identifier'], 'identifier', `identifier "${f.identifier}" is mapped twice in this ${m.entityType} mapping`);
      seen.add(f.identifier);
      needColumn([...path, 'columnName'], f.columnName, 'entity column');
    });
  });
  (rule.sentinelEntitiesMappings ?? []).forEach((m, i) => needColumn(['sentinelEntitiesMappings', i, 'columnName'], m.columnName, 'sentinelEntitiesMappings column'));

  const details = Object.entries(rule.customDetails ?? {});
  if (details.length > LIMITS.maxCustomDetails) {
    err(['customDetails'], 'custom-detail-count', `at most ${LIMITS.maxCustomDetails} custom details are allowed (got ${details.length})`);
  }
  for (const [key, col] of details) needColumn(['customDetails', key], col, `custom detail ${key}:`);

  const ado = rule.alertDetailsOverride;
  if (ado) {
    for (const field of ['alertDisplayNameFormat', 'alertDescriptionFormat'] as const) {
      const text = ado[field];
      if (!text) continue;
      const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
      if (names.length > LIMITS.maxPlaceholdersPerField) {
        err(['alertDetailsOverride', field], 'placeholder-count', `${field} uses ${names.length} {{placeholders}}; Sentinel substitutes at most ${LIMITS.maxPlaceholdersPerField}`);
      }
      for (const n of new Set(names)) needColumn(['alertDetailsOverride', field], n, `placeholder {{${n}}} in ${field}: column`);
    }
    if (ado.alertTacticsColumnName) needColumn(['alertDetailsOverride', 'alertTacticsColumnName'], ado.alertTacticsColumnName, 'alertTacticsColumnName');
    if (ado.alertSeverityColumnName) needColumn(['alertDetailsOverride', 'alertSeverityColumnName'], ado.alertSeverityColumnName, 'alertSeverityColumnName');
    (ado.alertDynamicProperties ?? []).forEach((p, i) => needColumn(['alertDetailsOverride', 'alertDynamicProperties', i, 'value'], p.value, `alertDynamicProperties ${p.alertProperty}:`));
  }

  // --- incident grouping refers to things that exist --------------------------------------------
  const grouping = rule.incidentConfiguration?.groupingConfiguration;
  if (grouping?.matchingMethod === 'Selected') {
    const selected = (grouping.groupByEntities?.length ?? 0) + (grouping.groupByAlertDetails?.length ?? 0) + (grouping.groupByCustomDetails?.length ?? 0);
    if (selected === 0) err(['incidentConfiguration', 'groupingConfiguration', 'matchingMethod'], 'grouping', 'matchingMethod Selected needs groupByEntities, groupByAlertDetails or groupByCustomDetails');
  }
  const mappedTypes = new Set(maps.map((m) => m.entityType));
  (grouping?.groupByEntities ?? []).forEach((t, i) => {
    if (!mappedTypes.has(t)) err(['incidentConfiguration', 'groupingConfiguration', 'groupByEntities', i], 'grouping', `groupByEntities names ${t}, but the rule maps no ${t} entity`);
  });
  (grouping?.groupByCustomDetails ?? []).forEach((k, i) => {
    if (!(k in (rule.customDetails ?? {}))) err(['incidentConfiguration', 'groupingConfiguration', 'groupByCustomDetails', i], 'grouping', `groupByCustomDetails names "${k}", which is not a custom detail of this rule`);
  });

  // --- declared parameters live in the query as `let name = default;` ---------------------------
  const lets = new Map((facts?.lets ?? []).map((l) => [l.name, l]));
  for (const [name, p] of Object.entries(rule.parameters ?? {})) {
    if (!facts) break;
    if (!lets.has(name)) {
      err(['parameters', name], 'parameter-let', `parameter "${name}" needs a top-level \`let ${name} = <default>;\` in the query so targets can override it`, true);
    } else if (p.type === 'dynamic' && !/^dynamic\s*\(/.test(lets.get(name)!.valueText.trim())) {
      warn(['parameters', name], 'parameter-let', `parameter "${name}" is dynamic but its let is not a dynamic(...) literal`, true);
    }
  }
  return out;
}

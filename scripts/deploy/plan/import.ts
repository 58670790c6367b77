/**
 * ARM alert rules → repository YAML (the reverse of mapping.ts), for bringing rules that were made in
 * the portal, or exported as an ARM template, under version control. Pure: resources in, rule files
 * (path + YAML text) and notes out.
 */
import { randomUUID } from 'node:crypto';
import { Document } from 'yaml';
import type { AnalyticRule, GroupingConfiguration, RuleSeverity, TriggerOperator } from '../../model/types.ts';
import { parseDuration } from '../../model/duration.ts';
import { findGuids } from '../../model/guid.ts';
import { ARM_TRIGGER_OPERATOR } from '../../model/sentinel.ts';
import type { Json } from '../desired/model.ts';

export interface ArmRule {
  /** Resource name, or an ARM template name expression holding the rule GUID. */
  name: string;
  kind: string;
  properties: Json;
}

export interface ImportedRule {
  rule: AnalyticRule;
  /** What could not be carried over exactly, one sentence each. */
  notes: string[];
}

const OPERATOR_OF = Object.fromEntries(Object.entries(ARM_TRIGGER_OPERATOR).map(([k, v]) => [v, k])) as Record<string, TriggerOperator>;

/** `PT5M` → `5m`, `PT2H` → `2h`, `P1D` → `1d`; whole minutes at least (rounded up, with a note). */
export function shortDuration(iso: unknown, field: string, notes: string[]): string | undefined {
  if (typeof iso !== 'string') return undefined;
  const ms = parseDuration(iso);
  if (ms === undefined) {
    notes.push(`${field} "${iso}" is not a duration; left out`);
    return undefined;
  }
  const seconds = ms / 1000;
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 !== 0) notes.push(`${field} "${iso}" is not whole minutes; rounded up`);
  return `${Math.max(1, Math.ceil(seconds / 60))}m`;
}

/** techniques + subTechniques → relevantTechniques (a technique covered by one of its sub-techniques is implied). */
export function joinTechniques(techniques: unknown, subTechniques: unknown): string[] {
  const subs = Array.isArray(subTechniques) ? subTechniques.map(String) : [];
  const parents = new Set(subs.map((s) => s.split('.')[0]));
  const plain = (Array.isArray(techniques) ? techniques.map(String) : []).filter((t) => !parents.has(t));
  return [...new Set([...plain, ...subs])].sort();
}

const present = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** The rule id: the resource name's GUID (template names wrap it in an expression), or a new one. */
export function ruleIdOf(name: string, notes: string[]): string {
  const guids = findGuids(name);
  if (guids.length) return guids.at(-1)!.toLowerCase();
  notes.push(`resource name "${name}" holds no GUID; a new id was generated (the rule will be created anew, not updated)`);
  return randomUUID();
}

export function armToRule(resource: ArmRule): ImportedRule | { skipped: string } {
  if (resource.kind !== 'Scheduled' && resource.kind !== 'NRT') {
    return { skipped: `kind ${resource.kind} is not managed as content (only Scheduled and NRT rules are)` };
  }
  const p = resource.properties;
  const notes: string[] = [];
  const rule: AnalyticRule = {
    id: ruleIdOf(resource.name, notes),
    name: String(p.displayName ?? resource.name),
    description: String(p.description || p.displayName || resource.name),
    severity: (p.severity as RuleSeverity) ?? 'Medium',
    kind: resource.kind,
    query: String(p.query ?? ''),
    version: typeof p.templateVersion === 'string' && /^\d+\.\d+\.\d+$/.test(p.templateVersion) ? p.templateVersion : '1.0.0',
  };
  if (p.enabled === false) rule.enabled = false;
  if (resource.kind === 'Scheduled') {
    const freq = shortDuration(p.queryFrequency, 'queryFrequency', notes);
    const period = shortDuration(p.queryPeriod, 'queryPeriod', notes);
    if (freq) rule.queryFrequency = freq;
    if (period) rule.queryPeriod = period;
    const op = OPERATOR_OF[String(p.triggerOperator)];
    if (op) rule.triggerOperator = op;
    else if (p.triggerOperator !== undefined) notes.push(`triggerOperator "${String(p.triggerOperator)}" is unknown; left out`);
    if (typeof p.triggerThreshold === 'number') rule.triggerThreshold = p.triggerThreshold;
  }
  if (present(p.tactics)) rule.tactics = (p.tactics as string[]).map(String) as AnalyticRule['tactics'];
  const techniques = joinTechniques(p.techniques, p.subTechniques);
  if (techniques.length) rule.relevantTechniques = techniques;
  if (present(p.entityMappings)) rule.entityMappings = p.entityMappings as AnalyticRule['entityMappings'];
  if (present(p.sentinelEntitiesMappings)) rule.sentinelEntitiesMappings = p.sentinelEntitiesMappings as AnalyticRule['sentinelEntitiesMappings'];
  if (present(p.customDetails)) rule.customDetails = p.customDetails as Record<string, string>;
  if (present(p.alertDetailsOverride)) {
    rule.alertDetailsOverride = Object.fromEntries(Object.entries(p.alertDetailsOverride as Json).filter(([, v]) => present(v))) as AnalyticRule['alertDetailsOverride'];
  }
  const grouping = (p.eventGroupingSettings as Json | undefined)?.aggregationKind;
  if (grouping === 'AlertPerResult') rule.eventGroupingSettings = { aggregationKind: 'AlertPerResult' };
  const ic = p.incidentConfiguration as Json | undefined;
  if (ic) {
    const g = ic.groupingConfiguration as Json | undefined;
    const lookback = g && shortDuration(g.lookbackDuration, 'incidentConfiguration.groupingConfiguration.lookbackDuration', notes);
    const gc: NonNullable<AnalyticRule['incidentConfiguration']>['groupingConfiguration'] = g
      ? {
          enabled: Boolean(g.enabled),
          ...(g.reopenClosedIncident !== undefined ? { reopenClosedIncident: Boolean(g.reopenClosedIncident) } : {}),
          ...(lookback ? { lookbackDuration: lookback } : {}),
          ...(g.matchingMethod ? { matchingMethod: g.matchingMethod as 'AllEntities' | 'AnyAlert' | 'Selected' } : {}),
          ...(present(g.groupByEntities) ? { groupByEntities: g.groupByEntities as GroupingConfiguration['groupByEntities'] } : {}),
          ...(present(g.groupByAlertDetails) ? { groupByAlertDetails: g.groupByAlertDetails as GroupingConfiguration['groupByAlertDetails'] } : {}),
          ...(present(g.groupByCustomDetails) ? { groupByCustomDetails: g.groupByCustomDetails as string[] } : {}),
        }
      : undefined;
    rule.incidentConfiguration = { createIncident: ic.createIncident !== false, ...(gc ? { groupingConfiguration: gc } : {}) };
  }
  if (p.suppressionEnabled === true) {
    rule.suppressionEnabled = true;
    const s = shortDuration(p.suppressionDuration, 'suppressionDuration', notes);
    if (s) rule.suppressionDuration = s;
  }
  if (typeof p.alertRuleTemplateName === 'string' && p.alertRuleTemplateName) {
    notes.push(`created from the Content hub template ${p.alertRuleTemplateName}; once imported the repo owns it`);
  }
  return { rule, notes };
}

/** File name stem from the rule name: lower-case words joined by `-`, at most 60 characters. */
export function slugOf(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return slug || 'rule';
}

/** Order of keys in the written file: the Azure-Sentinel layout. */
const KEY_ORDER: (keyof AnalyticRule)[] = [
  'id', 'name', 'description', 'severity', 'enabled', 'kind', 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold',
  'tactics', 'relevantTechniques', 'query', 'entityMappings', 'sentinelEntitiesMappings', 'customDetails', 'alertDetailsOverride',
  'eventGroupingSettings', 'incidentConfiguration', 'suppressionEnabled', 'suppressionDuration', 'version',
];

/** The YAML text of a rule file at `analytics-rules/<area>/<slug>.yaml`, schema header first. */
export function ruleYaml(rule: AnalyticRule, notes: readonly string[] = []): string {
  const ordered = Object.fromEntries(KEY_ORDER.filter((k) => rule[k] !== undefined).map((k) => [k, rule[k]]));
  const doc = new Document(ordered);
  const header = ['yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json', ...notes.map((n) => `import note: ${n}`)];
  doc.commentBefore = header.map((h) => ` ${h}`).join('\n');
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}

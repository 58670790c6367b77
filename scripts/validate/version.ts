/**
 * Version discipline against a base revision: a changed query or alert-shaping field needs a higher
 * `version`; a file's `id` never changes; removed rules are reported so the reviewer sees them.
 */
import { isDeepStrictEqual } from 'node:util';
import { diagAt } from '../model/diagnostics.ts';
import { describeShift, movedRules, rulePlace, selectorShifts } from '../model/select.ts';
import type { AnalyticRule, Diagnostic, FunctionFile, RuleFile, TargetFile } from '../model/types.ts';

/** Fields whose change alters what the rule alerts on or how the alert looks. */
export const ALERT_SHAPING_FIELDS = [
  'kind', 'query', 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold', 'severity', 'tactics',
  'relevantTechniques', 'entityMappings', 'sentinelEntitiesMappings', 'customDetails', 'alertDetailsOverride',
  'eventGroupingSettings', 'parameters',
] as const satisfies readonly (keyof AnalyticRule)[];

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function checkVersions(current: RuleFile[], base: RuleFile[], baseRef: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const baseByFile = new Map(base.map((r) => [r.source.file, r]));
  const currentIds = new Map(current.map((r) => [r.rule.id.toLowerCase(), r]));
  const baseIds = new Map(base.map((r) => [r.rule.id.toLowerCase(), r]));
  for (const r of current) {
    // Same file, or the same rule moved to another file.
    const old = baseByFile.get(r.source.file) ?? baseIds.get(r.rule.id.toLowerCase());
    if (!old) continue;
    if (old.source.file === r.source.file && old.rule.id.toLowerCase() !== r.rule.id.toLowerCase()) {
      out.push(diagAt(r.source, ['id'], 'error', 'check/id-changed',
        `id changed from ${old.rule.id} (at ${baseRef}) to ${r.rule.id}; an id is permanent — restore it, or add a new file for a new rule`));
      continue;
    }
    const changed = ALERT_SHAPING_FIELDS.filter((f) => !isDeepStrictEqual(old.rule[f], r.rule[f]));
    const cmp = compareVersions(r.rule.version, old.rule.version);
    if (cmp < 0) {
      out.push(diagAt(r.source, ['version'], 'error', 'check/version', `version ${r.rule.version} is lower than ${old.rule.version} at ${baseRef}; versions only go up`));
    } else if (changed.length > 0 && cmp === 0) {
      out.push(diagAt(r.source, ['version'], 'error', 'check/version',
        `${changed.join(', ')} changed since ${baseRef} but version is still ${r.rule.version}; bump it (e.g. to ${bump(r.rule.version, changed)})`));
    }
  }
  for (const old of base) {
    if (currentIds.has(old.rule.id.toLowerCase())) continue;
    out.push({
      file: old.source.file, line: 1, col: 1, severity: 'warning', code: 'check/rule-removed',
      message: `rule "${old.rule.name}" (${old.rule.id}) was removed since ${baseRef}; \`apply --prune\` will delete it from every target`,
    });
  }
  return out;
}

function bump(version: string, changed: readonly string[]): string {
  const [maj = 0, min = 0, pat = 0] = version.split('.').map(Number);
  return changed.includes('query') || changed.includes('kind') ? `${maj}.${min + 1}.0` : `${maj}.${min}.${pat + 1}`;
}

/** Fields of a function whose change alters what its callers get. */
export const FUNCTION_SHAPING_FIELDS = ['body', 'parameters'] as const satisfies readonly (keyof FunctionFile['fn'])[];

/**
 * The same discipline for functions (`version`, default 1.0.0): a changed body or parameter list
 * changes every rule calling the function, so it needs a higher version.
 */
export function checkFunctionVersions(current: readonly FunctionFile[], base: readonly FunctionFile[], baseRef: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const baseByAlias = new Map(base.map((f) => [f.fn.alias.toLowerCase(), f]));
  for (const f of current) {
    const old = baseByAlias.get(f.fn.alias.toLowerCase());
    if (!old) continue;
    const [now, was] = [f.fn.version ?? '1.0.0', old.fn.version ?? '1.0.0'];
    const changed = FUNCTION_SHAPING_FIELDS.filter((k) => !isDeepStrictEqual(old.fn[k], f.fn[k]));
    const cmp = compareVersions(now, was);
    const at = f.fn.version ? ['version'] : ['alias'];
    if (cmp < 0) {
      out.push(diagAt(f.source, at, 'error', 'check/version', `version ${now} is lower than ${was} at ${baseRef}; versions only go up`));
    } else if (changed.length && cmp === 0) {
      const [maj = 0, min = 0] = now.split('.').map(Number);
      out.push(diagAt(f.source, at, 'error', 'check/version',
        `${changed.join(', ')} changed since ${baseRef} but version is still ${now}; bump it (e.g. to ${maj}.${min + 1}.0) — every rule calling ${f.fn.alias} changes with it`));
    }
  }
  return out;
}

/**
 * A rule moved to another area or file name keeps its id, but target selectors written over
 * `area/slug` may now match it or stop matching it: which targets deploy it and which overrides
 * apply change silently. One warning per affected target, at the rule's id.
 */
export function checkMoves(current: RuleFile[], base: RuleFile[], targets: readonly TargetFile[], baseRef: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { before, after } of movedRules(current, base)) {
    for (const tf of targets) {
      const shifts = selectorShifts(before, after, tf.target);
      if (shifts.length === 0) continue;
      out.push(diagAt(after.source, ['id'], 'warning', 'check/rule-moved',
        `moved from ${rulePlace(before)} (at ${baseRef}) to ${rulePlace(after)}: in ${tf.source.file}, ${shifts.map(describeShift).join('; ')} — check that is meant, or select the rule by id`));
    }
  }
  return out;
}

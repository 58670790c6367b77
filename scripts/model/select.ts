/**
 * Selection by id or glob: rules in target files (`disableRules`, `overrides[].rules`) and targets on
 * the command line (`--targets`). One implementation, so `validate` and `plan` always agree.
 */
import picomatch from 'picomatch';
import type { RuleFile } from './types.ts';

/**
 * Glob options: case-insensitive; `*` matches any run of characters, slashes included (picomatch's
 * `bash` mode), so `*aws*` selects `aws/iam-credential-created`; `?` one character; braces
 * `{contoso,fabrikam}` and classes `cust-[0-9]*` as in the shell. A leading `!` is literal, not a
 * negation (a selector names what it selects).
 */
const OPTIONS: picomatch.PicomatchOptions = { nocase: true, bash: true, dot: true, nonegate: true };

const compiled = new Map<string, (s: string) => boolean>();

/** A matcher for `glob` (compiled once per glob). */
export function globMatcher(glob: string): (candidate: string) => boolean {
  let m = compiled.get(glob);
  if (!m) {
    m = picomatch(glob, OPTIONS);
    compiled.set(glob, m);
  }
  return m;
}

/** The glob as an anchored RegExp (same semantics as `globMatcher`). */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, OPTIONS);
}

export function matchesAnyGlob(glob: string, candidates: readonly string[]): boolean {
  const m = globMatcher(glob);
  return candidates.some((c) => m(c));
}

/** The names a rule answers to in selectors: its id, `area/slug` and `slug`. */
export function ruleNames(rf: Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } }): string[] {
  return [rf.rule.id, rf.area ? `${rf.area}/${rf.slug}` : rf.slug, rf.slug];
}

export function ruleMatches(pattern: string, rf: Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } }): boolean {
  return matchesAnyGlob(pattern, ruleNames(rf));
}

type Selectable = Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } };

/** A target selector that matches a moved rule before or after the move, but not both. */
export interface SelectorShift {
  /** `disableRules` (deployed or not) or `overrides` (which override applies). */
  field: 'disableRules' | 'overrides';
  index: number;
  selector: string;
  /** `starts`: matches the rule at its new place only; `stops`: matched it at its old place only. */
  change: 'starts' | 'stops';
}

/**
 * What moving a rule (another area or file name, same id) changes in one target: the selectors of
 * `disableRules` and `overrides` that match the rule at one place and not at the other. Selectors
 * naming the rule's id match it at both places and never shift. Pure; `validate --base` and `plan
 * --base` both report from it.
 */
export function selectorShifts(before: Selectable, after: Selectable, target: { disableRules?: readonly string[]; overrides?: readonly { rules: string }[] }): SelectorShift[] {
  const out: SelectorShift[] = [];
  const check = (field: SelectorShift['field'], index: number, selector: string) => {
    const was = ruleMatches(selector, before);
    const is = ruleMatches(selector, after);
    if (was !== is) out.push({ field, index, selector, change: is ? 'starts' : 'stops' });
  };
  (target.disableRules ?? []).forEach((g, i) => check('disableRules', i, g));
  (target.overrides ?? []).forEach((o, i) => check('overrides', i, o.rules));
  return out;
}

/** One sentence for a shift: what it does to the rule in that target. */
export function describeShift(s: SelectorShift): string {
  if (s.field === 'disableRules') {
    return s.change === 'starts'
      ? `disableRules[${s.index}] "${s.selector}" now matches it: it is no longer deployed there (and apply --prune deletes it)`
      : `disableRules[${s.index}] "${s.selector}" no longer matches it: it is now deployed there`;
  }
  return s.change === 'starts'
    ? `overrides[${s.index}] "${s.selector}" now applies to it`
    : `overrides[${s.index}] "${s.selector}" no longer applies to it`;
}

/** The rule's place for messages: `area/slug`, or `slug` at the top of analytics-rules/. */
export const rulePlace = (rf: Pick<RuleFile, 'slug' | 'area'>): string => (rf.area ? `${rf.area}/${rf.slug}` : rf.slug);

/** Rules present in both sets (same id, ignoring case) whose place (area or file name) changed. */
export function movedRules<R extends Selectable>(current: readonly R[], base: readonly R[]): { before: R; after: R }[] {
  const baseIds = new Map(base.map((r) => [r.rule.id.toLowerCase(), r]));
  const out: { before: R; after: R }[] = [];
  for (const r of current) {
    const old = baseIds.get(r.rule.id.toLowerCase());
    if (old && rulePlace(old) !== rulePlace(r)) out.push({ before: old, after: r });
  }
  return out;
}

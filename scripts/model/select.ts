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

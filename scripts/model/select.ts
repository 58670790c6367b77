/**
 * Selection by id or glob: rules in target files (`disableRules`, `overrides[].rules`) and targets on
 * the command line (`--targets`). One implementation, so `validate` and `plan` always agree.
 */
import type { RuleFile } from './types.ts';

/**
 * Case-insensitive glob: `*` (and `**`) match any run of characters, slashes included, so `*aws*`
 * selects `aws/iam-credential-created`; `?` matches one character; everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      while (glob[i + 1] === '*') i++;
      re += '.*';
    } else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export function matchesAnyGlob(glob: string, candidates: readonly string[]): boolean {
  const re = globToRegExp(glob);
  return candidates.some((c) => re.test(c));
}

/** The names a rule answers to in selectors: its id, `area/slug` and `slug`. */
export function ruleNames(rf: Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } }): string[] {
  return [rf.rule.id, rf.area ? `${rf.area}/${rf.slug}` : rf.slug, rf.slug];
}

export function ruleMatches(pattern: string, rf: Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } }): boolean {
  return matchesAnyGlob(pattern, ruleNames(rf));
}

/** Rule selection by id or glob, as used in target files (`disableRules`, `overrides[].rules`). */
import type { RuleFile } from './types.ts';

/** `*` matches within a path segment, `**` across segments, `?` one character; case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** The names a rule answers to in selectors: its id, `area/slug` and `slug`. */
export function ruleNames(rf: Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } }): string[] {
  return [rf.rule.id, rf.area ? `${rf.area}/${rf.slug}` : rf.slug, rf.slug];
}

export function ruleMatches(pattern: string, rf: Pick<RuleFile, 'slug' | 'area'> & { rule: { id: string } }): boolean {
  const re = globToRegExp(pattern);
  return ruleNames(rf).some((n) => re.test(n));
}

/**
 * String predicates with Kusto semantics and the regex dialect bridge.
 *
 * Term matching (`has`, `hasprefix`, `hassuffix`, `has_any`, `has_all`): Kusto splits a string into
 * maximal runs of ASCII alphanumeric characters ("terms"; `_` and non-ASCII letters separate terms). `has` is true when the needle occurs at term
 * boundaries: no alphanumeric character directly before (if the needle starts with one) or after
 * (if it ends with one). `hasprefix`/`hassuffix` only check the leading/trailing boundary.
 * `contains`/`startswith`/`endswith` are plain substring tests. Non-`_cs` forms ignore case.
 *
 * Regex dialect: Kusto uses RE2; this evaluator uses JavaScript RegExp. They agree on ordinary
 * patterns. Translated here: a leading `(?i)`/`(?s)`/`(?m)`/`(?is)`… group becomes JS flags, `(?P<name>`
 * becomes `(?<name>`, `\A` → `^`, `\z` → `$`. Differences that remain: JS accepts lookaround and
 * backreferences that RE2 rejects (a query using them passes locally but fails in Sentinel), and
 * RE2-only classes such as `\pN`/`[[:alpha:]]` are rejected here with an evaluation error.
 */

const alnum = /[A-Za-z0-9]/;
const isAlnum = (ch: string | undefined): boolean => ch !== undefined && alnum.test(ch);

function termSearch(hay: string, needle: string, cs: boolean, checkStart: boolean, checkEnd: boolean): boolean {
  if (needle === '') return true;
  const h = cs ? hay : hay.toLowerCase();
  const n = cs ? needle : needle.toLowerCase();
  const startAlnum = isAlnum(n[0]);
  const endAlnum = isAlnum(n[n.length - 1]);
  let i = h.indexOf(n);
  while (i >= 0) {
    const okStart = !checkStart || !startAlnum || !isAlnum(h[i - 1]);
    const okEnd = !checkEnd || !endAlnum || !isAlnum(h[i + n.length]);
    if (okStart && okEnd) return true;
    i = h.indexOf(n, i + 1);
  }
  return false;
}

export const has = (hay: string, needle: string, cs = false): boolean => termSearch(hay, needle, cs, true, true);
export const hasPrefix = (hay: string, needle: string, cs = false): boolean => termSearch(hay, needle, cs, true, false);
export const hasSuffix = (hay: string, needle: string, cs = false): boolean => termSearch(hay, needle, cs, false, true);

const lower = (s: string, cs: boolean): string => (cs ? s : s.toLowerCase());

/** Binary string operators by their KQL spelling (positive forms; `!` forms negate). */
export const stringPredicates: Record<string, (a: string, b: string) => boolean> = {
  '=~': (a, b) => a.toLowerCase() === b.toLowerCase(),
  contains: (a, b) => lower(a, false).includes(lower(b, false)),
  contains_cs: (a, b) => a.includes(b),
  startswith: (a, b) => lower(a, false).startsWith(lower(b, false)),
  startswith_cs: (a, b) => a.startsWith(b),
  endswith: (a, b) => lower(a, false).endsWith(lower(b, false)),
  endswith_cs: (a, b) => a.endsWith(b),
  has: (a, b) => has(a, b),
  has_cs: (a, b) => has(a, b, true),
  hasprefix: (a, b) => hasPrefix(a, b),
  hasprefix_cs: (a, b) => hasPrefix(a, b, true),
  hassuffix: (a, b) => hasSuffix(a, b),
  hassuffix_cs: (a, b) => hasSuffix(a, b, true),
  'matches regex': (a, b) => regex(b).test(a),
};

/** Looks up a predicate by operator text; `!x` and `!~` are negations. */
export function stringPredicate(op: string): ((a: string, b: string) => boolean) | undefined {
  const norm = op.replace(/\s+/g, ' ').toLowerCase();
  if (norm === '!~') return (a, b) => !stringPredicates['=~']!(a, b);
  const direct = stringPredicates[norm];
  if (direct) return direct;
  if (norm.startsWith('!')) {
    const pos = stringPredicates[norm.slice(1)];
    if (pos) return (a, b) => !pos(a, b);
  }
  return undefined;
}

const regexCache = new Map<string, RegExp>();

/** Compiles an RE2 pattern as a JS RegExp (see the dialect notes above); `global` for extract_all. */
export function regex(pattern: string, global = false): RegExp {
  const key = (global ? 'g' : '-') + pattern;
  let re = regexCache.get(key);
  if (re) return re;
  let flags = global ? 'gu' : 'u';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$');
  try {
    re = new RegExp(src, flags);
  } catch {
    // Patterns that are valid without the u flag (e.g. `\-` escapes) are common in KQL content.
    re = new RegExp(src, flags.replace('u', ''));
  }
  if (regexCache.size > 500) regexCache.clear();
  regexCache.set(key, re);
  return re;
}

/**
 * Which tables and functions of a schema a query can read, from its text alone (no library, so it
 * is cheap enough to compute every query's cache key). Over-approximates: every identifier in the
 * text counts (also in strings, so `table('X')` is seen, and in comments), wildcards such as
 * `union Device*` count every name they match, a function body's references count for its callers,
 * and `search`/`find` without `in (…)` or `union *` read every table.
 */
import { withoutCommentsAndStrings } from './lexical.ts';
import type { ResolvedSchema } from './schema.ts';

/** The query reads every table (unscoped `search`/`find`, `union *`). */
export const ALL = 'all';

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
const WORD = /[A-Za-z0-9_]/;

/** Name patterns with a `*` and at least one name character (`Device*`, `*Events`, `Sec*Log`); found from each star outwards (a regex scan backtracks at every word). */
function wildcards(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('*'); i >= 0; i = text.indexOf('*', i + 1)) {
    let a = i;
    while (a > 0 && WORD.test(text[a - 1]!)) a--;
    let b = i + 1;
    while (b < text.length && (text[b] === '*' || WORD.test(text[b]!))) b++;
    const glob = text.slice(a, b);
    if (WORD.test(glob)) out.push(glob);
    i = b - 1;
  }
  return out;
}

/** The text without comments and string literals (where a `*` or `search` says nothing). */
const code = withoutCommentsAndStrings;

function readsEverything(text: string): boolean {
  const c = code(text);
  // search/find as an operator (start of a statement, after a pipe or a paren), scoped only with `in (`.
  for (const m of c.matchAll(/(?:^|[|;(])\s*(search|find)\b([^|;]*)/g)) {
    if (!/^(\s+\w+\s*=\s*[\w.]+)*\s+in\s*\(/.test(m[2]!)) return true;
  }
  for (const m of c.matchAll(/\bunion\b([^|;]*)/g)) {
    if (/(^|[\s,(])\*(?=[\s,)]|$)/.test(m[1]!)) return true;
  }
  return false;
}

function globRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/\*/g, '.*')}$`);
}

/** Names of `schema`'s tables and functions `query` may read (sorted), or ALL. */
export function referencedNames(query: string, schema: ResolvedSchema): string[] | typeof ALL {
  const found = new Set<string>();
  const known = (n: string) => schema.tables.has(n) || schema.tabularFunctions.has(n) || schema.savedFunctions.has(n);
  const pending = [query];
  const scanned = new Set<string>();
  while (pending.length) {
    const text = pending.pop()!;
    if (readsEverything(text)) return ALL;
    for (const [token] of text.matchAll(IDENT)) {
      if (!known(token) || found.has(token)) continue;
      found.add(token);
      const body = schema.savedFunctions.get(token);
      if (body && !scanned.has(token)) {
        scanned.add(token);
        pending.push(`${body.parameters}\n${body.body}`);
      }
    }
    for (const glob of wildcards(text)) {
      const re = globRegex(glob);
      for (const name of [...schema.tables.keys(), ...schema.tabularFunctions.keys()]) if (re.test(name)) found.add(name);
    }
  }
  return [...found].sort();
}

/**
 * Which tables and functions a KQL query reads — an approximation for the emulator's workspace check.
 *
 * Azure runs an analytics rule's query against the workspace on PUT and rejects the rule when a
 * table it reads does not exist there. The emulator is standalone (it may not load the Kusto
 * language service, which lives in kusto/), so it scans the query's tokens instead of parsing it:
 * comments and string literals are dropped, then an identifier counts as a *source* (a table or
 * tabular function the query reads) when it stands where a tabular expression starts —
 *   - the start of a statement (the query, after `;`, inside a `{ … }` function body) or of a `let`
 *     value, when followed by `|`, `;`, `)`, `}`, `,`, the end, or a call `(…)` followed by one of those;
 *   - right after `(` when followed by `|` (a subquery: `in (T | …)`, `materialize(T | …)`);
 *   - an operand of `union` (options `kind=`, `withsource=` skipped; a `union isfuzzy=true` is
 *     skipped entirely: a fuzzy union tolerates missing operands);
 *   - the right side of `join` / `lookup` (options `kind=`, `hint.*=` skipped), also before `on`.
 * In a `let` value a call counts only when `|` follows (`let x = ago(1d);` is a scalar).
 * Names bound by `let` or declared as `name:type` (function parameters), tabular keywords (`print`, `datatable`, `range`, …) and names followed by `.`
 * (`workspace("x").T` is cross-resource and not checked) are not sources. It can miss sources a real
 * parser would find (the service is then stricter than the emulator), never the other way round for
 * the shapes above. Pure.
 */

type Tok = { k: 'id' | 'p' | 'lit'; v: string };

const KEYWORDS = new Set([
  'let', 'set', 'declare', 'alias', 'pattern', 'restrict', 'print', 'datatable', 'range', 'externaldata', 'external_data',
  'evaluate', 'search', 'find', 'union', 'materialize', 'toscalar', 'totable', 'view', 'true', 'false', 'null', 'and', 'or', 'not',
  'database', 'cluster', 'workspace', 'app', 'resource', 'table', 'getschema', 'make-series',
]);

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = q.length;
  while (i < n) {
    const c = q[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && q[i + 1] === '/') { while (i < n && q[i] !== '\n') i++; continue; }
    if (q.startsWith('```', i)) { const e = q.indexOf('```', i + 3); i = e < 0 ? n : e + 3; out.push({ k: 'lit', v: '' }); continue; }
    // Strings: '…' "…" with backslash escapes; @'…' @"…" verbatim; h'…' / H"…" obfuscated.
    const verbatim = (c === '@' || c === 'h' || c === 'H') && (q[i + 1] === "'" || q[i + 1] === '"');
    if (c === "'" || c === '"' || verbatim) {
      const quote = verbatim ? q[i + 1]! : c;
      let j = i + (verbatim ? 2 : 1);
      while (j < n && q[j] !== quote) { if (!verbatim && q[j] === '\\') j++; j++; }
      i = j + 1;
      out.push({ k: 'lit', v: '' });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(q[j]!)) {
        // `-` belongs to an identifier only in operator names like make-series / project-away.
        if (q[j] === '-' && !/[a-z]/.test(q[j + 1] ?? '')) break;
        j++;
      }
      const word = q.slice(i, j);
      // `a-b` where the identifier is not an operator name: keep only the part before '-'.
      const dash = word.indexOf('-');
      const id = dash > 0 && !/^[a-z]+(-[a-z]+)+$/.test(word) ? word.slice(0, dash) : word;
      out.push({ k: 'id', v: id });
      i += id.length;
      continue;
    }
    if (/[0-9]/.test(c)) { let j = i + 1; while (j < n && /[0-9A-Za-z_.]/.test(q[j]!)) j++; out.push({ k: 'lit', v: '' }); i = j; continue; }
    const two = q.slice(i, i + 2);
    if (['==', '!=', '=~', '!~', '<=', '>='].includes(two)) { out.push({ k: 'p', v: two }); i += 2; continue; }
    out.push({ k: 'p', v: c });
    i++;
  }
  return out;
}

const ENDS = new Set(['|', ';', ')', '}', ',']);

/** Index after the bracket group opening at `i` (`(`, `[` or `{`), or the end. */
function skipGroup(t: Tok[], i: number): number {
  const open = t[i]!.v;
  const close = open === '(' ? ')' : open === '[' ? ']' : '}';
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    if (t[j]!.k !== 'p') continue;
    if (t[j]!.v === open) depth++;
    else if (t[j]!.v === close && --depth === 0) return j + 1;
  }
  return t.length;
}

/** The tables and tabular functions the query reads (names as written), in order of first use. */
export function querySources(query: string): string[] {
  const t = tokenize(query);
  const lets = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) {
    if (t[i]!.k === 'id' && t[i]!.v === 'let' && t[i + 1]!.k === 'id') lets.add(t[i + 1]!.v);
    // Declared names `name:type` — function parameters (`(T:(IPAddress:string))`), datatable columns.
    if (t[i]!.k === 'id' && t[i + 1]!.k === 'p' && t[i + 1]!.v === ':') lets.add(t[i]!.v);
  }
  const found: string[] = [];
  const add = (name: string) => {
    if (!lets.has(name) && !KEYWORDS.has(name) && !found.includes(name)) found.push(name);
  };
  const isP = (i: number, v: string) => t[i]?.k === 'p' && t[i]!.v === v;
  /**
   * A source candidate at i: an identifier ending a tabular source, optionally called. `pipe`: only
   * when `|` follows (subqueries); `callPipe`: a call only when `|` follows (let values, where
   * `let x = ago(1d);` is scalar); `on`: `on` ends it too (join/lookup right side).
   */
  const candidate = (i: number, mode: { pipe?: boolean; callPipe?: boolean; on?: boolean } = {}) => {
    const tok = t[i];
    if (tok?.k !== 'id') return;
    let j = i + 1;
    const called = isP(j, '(');
    if (called) j = skipGroup(t, j);
    const next = t[j];
    const pipe = next?.k === 'p' && next.v === '|';
    const ends = next === undefined || (next.k === 'p' && ENDS.has(next.v)) || (mode.on === true && next.k === 'id' && next.v === 'on');
    if (mode.pipe || (called && mode.callPipe) ? pipe : ends) add(tok.v);
  };
  /** Skips `name=value` options (kind=inner, hint.strategy=shuffle, withsource=T, isfuzzy=true). */
  const skipOptions = (i: number): { at: number; fuzzy: boolean } => {
    let fuzzy = false;
    while (t[i]?.k === 'id') {
      let j = i + 1;
      while (isP(j, '.') && t[j + 1]?.k === 'id') j += 2;
      if (!isP(j, '=')) break;
      if (t[i]!.v === 'isfuzzy' && t[j + 1]?.v === 'true') fuzzy = true;
      i = j + 2;
    }
    return { at: i, fuzzy };
  };

  let statementStart = true;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i]!;
    if (statementStart) {
      statementStart = false;
      if (tok.k === 'id' && tok.v === 'let') {
        let j = i + 2;
        if (isP(j, '=')) {
          j++;
          if (!isP(j, '(')) candidate(j, { callPipe: true });
        }
        continue;
      }
      candidate(i);
    }
    if (tok.k === 'p' && (tok.v === ';' || tok.v === '{')) statementStart = true;
    else if (tok.k === 'p' && tok.v === '(') candidate(i + 1, { pipe: true });
    else if (tok.k === 'id' && tok.v === 'union' && !isP(i - 1, '.')) {
      const { at, fuzzy } = skipOptions(i + 1);
      if (fuzzy) continue;
      let j = at;
      candidate(j);
      // Further operands: after each top-level comma of this union.
      while (j < t.length && !(t[j]!.k === 'p' && (t[j]!.v === '|' || t[j]!.v === ';' || t[j]!.v === ')'))) {
        if (isP(j, '(')) { j = skipGroup(t, j); continue; }
        if (isP(j, ',')) candidate(j + 1);
        j++;
      }
    } else if (tok.k === 'id' && (tok.v === 'join' || tok.v === 'lookup') && isP(i - 1, '|')) {
      candidate(skipOptions(i + 1).at, { on: true });
    }
  }
  return found;
}

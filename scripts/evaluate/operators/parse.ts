/**
 * parse and parse-where (parse-operator, parse-where-operator): the pattern becomes one regular
 * expression; `*` skips text, a column captures text converted to its declared type.
 * kind=simple (default): delimiters are literal text, a value that does not convert fails the whole
 * row (all parsed columns null); kind=relaxed: such a column alone is null; kind=regex: delimiters
 * are regular expressions (flags= as RE2 flags). parse-where drops the rows that do not match.
 */
import type { Ev, Scope, Table } from '../context.ts';
import { colIndex, nullOf } from '../context.ts';
import { regex } from '../strings.ts';
import { literalValue, namedParams } from '../syntax.ts';
import { elems, is, resultColumns, simpleName } from '../../kusto/syntax.ts';
import type { Element } from '../../kusto/syntax.ts';
import type { Value } from '../values.ts';
import { coerce, toStr } from '../values.ts';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Capture group of a typed column: numbers match digits, everything else matches lazily. */
function capture(type: string, last: boolean, relaxed: boolean): string {
  if (relaxed) return last ? '(.*)' : '(.*?)';
  if (type === 'long' || type === 'int') return '(-?\\d+)';
  if (type === 'real' || type === 'decimal') return '(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';
  return last ? '(.*)' : '(.*?)';
}

export function parse(ev: Ev, node: Element, input: Table, scope: Scope): Table {
  const where = is(node, 'ParseWhereOperator');
  const op = where ? node : is(node, 'ParseOperator') ? node : null;
  if (!op) throw ev.fail(node, 'internal: expected a parse operator');
  const params = namedParams(op.Parameters);
  const kind = String(params.get('kind') ?? 'simple').toLowerCase();
  if (kind !== 'simple' && kind !== 'relaxed' && kind !== 'regex') throw ev.unsupported(op, `parse kind=${kind}`);
  const columns = resultColumns(op);
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const captured: { name: string; type: string }[] = [];
  const patterns = elems(op.Patterns);
  let source = '^';
  patterns.forEach((p, i) => {
    const last = i === patterns.length - 1;
    if (is(p, 'StarExpression')) source += last ? '.*' : '.*?';
    else if (is(p, 'LiteralExpression')) {
      const text = toStr(literalValue(p));
      source += kind === 'regex' ? text : escape(text);
    } else if (is(p, 'NameDeclaration') || is(p, 'NameAndTypeDeclaration')) {
      const name = simpleName(is(p, 'NameAndTypeDeclaration') ? p.Name : p);
      const type = types.get(name) ?? 'string';
      captured.push({ name, type });
      source += capture(type, last, kind === 'relaxed');
    } else throw ev.unsupported(p, 'this parse pattern element');
  });
  const flags = kind === 'regex' ? String(params.get('flags') ?? '') : '';
  if (flags.includes('U')) throw ev.unsupported(op, 'parse flags=U (ungreedy)');
  let re: RegExp;
  try {
    re = flags ? regex(`(?${flags})${source}`) : regex(source);
  } catch {
    throw ev.fail(op, 'parse: the pattern is not a valid regular expression');
  }
  const expr = ev.scalar(op.Expression, ev.cx(input, scope));
  const inIdx = colIndex(input.columns);
  const at = new Map(captured.map((c, i) => [c.name, i]));
  const rows: Value[][] = [];
  for (const r of input.rows) {
    const m = re.exec(toStr(expr(r)));
    let values: Value[] | null = null;
    if (m) {
      values = captured.map((c, i) => {
        const text = m[i + 1] ?? '';
        return c.type === 'string' ? text : text === '' ? null : coerce(text, c.type);
      });
      // simple and regex are strict: a value that does not convert fails the whole match.
      if (kind !== 'relaxed' && values.some((v, i) => v === null && captured[i]!.type !== 'string')) values = null;
    }
    if (where && !values) continue;
    rows.push(
      columns.map((c) => {
        const ci = at.get(c.name);
        if (ci !== undefined) return values ? values[ci] ?? nullOf(c.type) : nullOf(c.type);
        const ii = inIdx.get(c.name);
        return ii === undefined ? nullOf(c.type) : r[ii]!;
      }),
    );
  }
  return { columns, rows };
}

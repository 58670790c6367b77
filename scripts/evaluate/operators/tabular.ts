/** Row-by-row and schema operators: extend, project/print, distinct, sort/top, union. */
import type { RowFn } from '../aggregates.ts';
import type { Cx, Ev, Scope, Serial, Table } from '../context.ts';
import { byName, colIndex, nullOf, rowKey, typed } from '../context.ts';
import { namedParams } from '../syntax.ts';
import { elems, firstTokenText, is, resultColumns, simpleName, unnamed } from '../../kusto/syntax.ts';
import type { Element, Expr, NodeOf } from '../../kusto/syntax.ts';
import type { Value } from '../values.ts';
import { compareValues } from '../values.ts';

/** extend, and `serialize` with expressions (which extends the serialized rows). */
export function extend(ev: Ev, op: NodeOf<'ExtendOperator'> | NodeOf<'SerializeOperator'>, input: Table, scope: Scope): Table {
  const columns = resultColumns(op);
  const idx = colIndex(columns);
  const fresh = columns.filter((c) => !input.columns.some((i) => i.name === c.name)).map((c) => c.name);
  const serial: Serial = { rows: [], i: 0 };
  const cx: Cx = { cols: idx, scope, serial };
  const assigns: { at: number; fn: RowFn; type: string }[] = [];
  let positional = 0;
  for (const e of elems(op.Expressions)) {
    if (is(e, 'CompoundNamedExpression')) throw ev.unsupported(e, 'extend (a, b) = …');
    const name = is(e, 'SimpleNamedExpression') ? simpleName(e.Name) : is(e, 'NameReference') ? simpleName(e) : fresh[positional++];
    const at = name === undefined ? undefined : idx.get(name);
    if (at === undefined) throw ev.fail(e, `cannot place extended column ${name ?? ''}`);
    assigns.push({ at, fn: ev.scalar(unnamed(e), cx), type: columns[at]!.type });
  }
  const from = input.columns.map((c) => idx.get(c.name)!);
  const rows = input.rows.map((r) => {
    const out: Value[] = new Array(columns.length).fill(null);
    for (let i = 0; i < from.length; i++) out[from[i]!] = r[i]!;
    return out;
  });
  // Rows are laid out first so that next() sees the following row; prev() sees rows already extended.
  serial.rows = rows;
  rows.forEach((out, i) => {
    serial.i = i;
    for (const a of assigns) out[a.at] = typed(a.fn(out), a.type);
  });
  return { columns, rows };
}

/** project / print: one output column per expression, in order. */
export function project(ev: Ev, op: NodeOf<'ProjectOperator'> | NodeOf<'PrintOperator'>, input: Table, scope: Scope): Table {
  const columns = resultColumns(op);
  const exprs = elems(op.Expressions);
  const serial: Serial = { rows: input.rows, i: 0 };
  const cx = { ...ev.cx(input, scope), serial };
  if (exprs.some(isWildcard)) return byName(input, columns, new Map());
  if (exprs.length !== columns.length) throw ev.unsupported(op, `${firstTokenText(op)} with multi-column expressions`);
  const fns = exprs.map((e) => {
    if (is(e, 'CompoundNamedExpression')) throw ev.unsupported(e, '(a, b) = …');
    return ev.scalar(unnamed(e), cx);
  });
  return { columns, rows: input.rows.map((r, j) => ((serial.i = j), fns.map((f, i) => typed(f(r), columns[i]!.type)))) };
}

export function distinct(op: Element, input: Table): Table {
  const t = byName(input, resultColumns(op), new Map());
  const seen = new Set<string>();
  return { columns: t.columns, rows: t.rows.filter((r) => !seen.has(rowKey(r)) && !!seen.add(rowKey(r))) };
}

export function sorted(ev: Ev, ordered: Expr[], input: Table, scope: Scope): Value[][] {
  const cx = ev.cx(input, scope);
  const keys = ordered.map((o) => {
    const isOrdered = is(o, 'OrderedExpression');
    const expr = isOrdered ? o.Expression : o;
    const dirText = isOrdered ? String(o.Ordering?.AscOrDescKeyword?.Text ?? '').toLowerCase() : '';
    const asc = dirText === 'asc';
    const nullsText = isOrdered ? String(o.Ordering?.NullsClause?.FirstOrLastKeyword?.Text ?? '').toLowerCase() : '';
    const nullsFirst = nullsText ? nullsText === 'first' : asc;
    return { fn: ev.scalar(expr, cx), asc, nullsFirst };
  });
  const decorated = input.rows.map((r, i) => ({ r, i, k: keys.map((k) => k.fn(r)) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const x = a.k[j]!;
      const y = b.k[j]!;
      const key = keys[j]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c) return key.asc ? c : -c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.r);
}

export function union(ev: Ev, op: NodeOf<'UnionOperator'>, input: Table | undefined, scope: Scope): Table {
  const params = namedParams(op.Parameters);
  const fuzzy = params.get('isfuzzy') === true;
  const source = params.get('withsource') as string | null | undefined;
  let columns = resultColumns(op);
  const parts: { name: string; table: Table }[] = [];
  if (input) parts.push({ name: 'union_arg0', table: input });
  for (const e of elems(op.Expressions)) {
    // isfuzzy: tables that do not exist (no symbol) are skipped, as in a workspace without them.
    if (fuzzy && (!e.ResultType || (is(e, 'NameReference') && !e.ReferencedSymbol))) continue;
    if (isWildcard(e)) throw ev.unsupported(e, 'union with wildcard table names');
    parts.push({ name: is(e, 'NameReference') ? simpleName(e) : `union_arg${parts.length}`, table: ev.tabular(e, scope, undefined) });
  }
  if (String(params.get('kind') ?? '').toLowerCase() === 'inner') {
    columns = columns.filter((c) => c.name === source || parts.every((p) => p.table.columns.some((x) => x.name === c.name)));
  }
  const rows: Value[][] = [];
  for (const p of parts) {
    const idx = colIndex(p.table.columns);
    const src = columns.map((c) => (source && c.name === source ? -2 : idx.get(c.name) ?? idx.get(c.name.replace(/_(string|long|int|real|decimal|bool|datetime|timespan|dynamic|guid)$/, '')) ?? -1));
    for (const r of p.table.rows) rows.push(src.map((i, j) => (i === -2 ? p.name : i < 0 ? nullOf(columns[j]!.type) : r[i]!)));
  }
  return { columns, rows };
}

function isWildcard(e: Expr): boolean {
  return is(e, 'NameReference') && is(e.Name, 'WildcardedName');
}

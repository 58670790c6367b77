/** summarize … by: groups, aggregates compiled per group, arg_max/arg_min (incl. `*`). */
import { aggregates, argExtremeRow, multiColumnAggregates, nearestRank, rowSelectingAggregates } from '../aggregates.ts';
import type { RowFn } from '../aggregates.ts';
import type { Cx, Ev, Scope, Table } from '../context.ts';
import { colIndex, rowKey, typed } from '../context.ts';
import { valueType } from '../syntax.ts';
import { argsOf, as, elems, is, resultColumns, simpleName, unnamed } from '../../kusto/syntax.ts';
import type { Expr, NodeOf } from '../../kusto/syntax.ts';
import type { Value } from '../values.ts';
import { toReal } from '../values.ts';

/** A compile context in which aggregate calls (`count()`, `sum(x)`, …) read the rows of `group`. */
export function aggregateCx(ev: Ev, cx: Cx, group: { rows: Value[][] }): Cx {
  return {
    ...cx,
    agg: (call, name) => {
      const args = argsOf(call);
      if (args.some((a) => is(a, 'StarExpression'))) throw ev.unsupported(call, `${name}(*)`);
      const fns = args.map((a) => ev.scalar(a, cx));
      const impl = aggregates[name]!;
      const type = valueType(call);
      return () => impl(group.rows, fns, type);
    },
  };
}

/** An aggregate expression (`sum(x)`, `count() * 2`) as a function of a group's rows. */
export function groupAggregate(ev: Ev, e: Expr | null, cx: Cx): (rows: Value[][]) => Value {
  const group = { rows: [] as Value[][] };
  const fn = ev.scalar(e, aggregateCx(ev, cx, group));
  return (rows) => {
    group.rows = rows;
    return fn([]);
  };
}

export function summarize(ev: Ev, op: NodeOf<'SummarizeOperator'>, input: Table, scope: Scope): Table {
  const columns = resultColumns(op);
  const byExprs = elems(op.ByClause?.Expressions);
  const aggExprs = elems(op.Aggregates);
  const cx = ev.cx(input, scope);
  const byFns = byExprs.map((e) => ev.scalar(unnamed(e), cx));
  const group = { rows: [] as Value[][] };
  const aggCx = aggregateCx(ev, cx, group);
  // Each aggregate produces one value, or several for arg_max/arg_min.
  type Producer = { width: number; make: () => Value[] };
  const fixedWidth = aggExprs.reduce((n, e) => n + (argSelect(e) ? 0 : multiWidth(e) ?? 1), 0);
  const producers: Producer[] = [];
  let at = byExprs.length;
  for (const e of aggExprs) {
    const sel = argSelect(e);
    const multi = multiWidth(e);
    if (multi !== undefined) {
      // percentiles(x, p1, p2, …): one column per percentile.
      const call = as(unnamed(e), 'FunctionCallExpression');
      const [valueArg, ...ps] = argsOf(call);
      const fn = ev.scalar(valueArg ?? null, cx);
      const pcts = ps.map((p) => toReal(ev.constant(p, scope)));
      producers.push({ width: multi, make: () => {
        const vals = group.rows.map((r) => fn(r)).filter((v) => v !== null);
        return pcts.map((p) => nearestRank(vals, p));
      } });
      at += multi;
      continue;
    }
    if (!sel) {
      const fn = ev.scalar(unnamed(e), aggCx);
      producers.push({ width: 1, make: () => [fn([])] });
      at++;
      continue;
    }
    const args = argsOf(sel.call);
    const keyFn = ev.scalar(args[0] ?? null, cx);
    const star = args.some((a) => is(a, 'StarExpression'));
    const otherArgWidth = aggExprs.filter((x) => x !== e && argSelect(x)).reduce((n, x) => n + argsOf(argSelect(x)!.call).length, 0);
    const width = star ? columns.length - byExprs.length - fixedWidth - otherArgWidth + 0 : args.length;
    const outCols = columns.slice(at, at + width);
    const inIdx = colIndex(input.columns);
    const valueFns: RowFn[] = star
      ? [keyFn, ...outCols.slice(1).map((c) => {
          const i = inIdx.get(c.name);
          if (i === undefined) throw ev.unsupported(sel.call, `${sel.name}(*) column ${c.name}`);
          return (r: Value[]) => r[i]!;
        })]
      : args.map((a) => ev.scalar(a, cx));
    const sign = sel.name === 'arg_max' ? 1 : -1;
    producers.push({
      width,
      make: () => {
        const i = argExtremeRow(group.rows, keyFn, sign);
        return valueFns.map((f) => (i < 0 ? null : f(group.rows[i]!)));
      },
    });
    at += width;
  }
  if (at !== columns.length) throw ev.unsupported(op, 'this summarize shape');
  const groups = new Map<string, { key: Value[]; rows: Value[][] }>();
  for (const r of input.rows) {
    const key = byFns.map((f) => f(r));
    const k = rowKey(key);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key, rows: [] }));
    g.rows.push(r);
  }
  if (!byExprs.length && !groups.size) groups.set('', { key: [], rows: [] });
  const rows: Value[][] = [];
  for (const g of groups.values()) {
    group.rows = g.rows;
    const row = [...g.key];
    for (const p of producers) row.push(...p.make());
    rows.push(row.map((v, i) => typed(v, columns[i]!.type)));
  }
  return { columns, rows };
}

function multiWidth(e: Expr): number | undefined {
  const expr = unnamed(e);
  if (!is(expr, 'FunctionCallExpression') || !multiColumnAggregates.has(simpleName(expr))) return undefined;
  return Math.max(1, argsOf(expr).length - 1);
}

function argSelect(e: Expr): { call: NodeOf<'FunctionCallExpression'>; name: string } | undefined {
  const expr = unnamed(e);
  if (!is(expr, 'FunctionCallExpression')) return undefined;
  const name = simpleName(expr);
  return rowSelectingAggregates.has(name) ? { call: expr, name } : undefined;
}

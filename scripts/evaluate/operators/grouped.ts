/** Group-and-aggregate operators other than summarize: top-nested and make-series. */
import type { Ev, Scope, Table } from '../context.ts';
import { rowKey } from '../context.ts';
import { binValue } from '../functions.ts';
import { namedParams } from '../syntax.ts';
import { groupAggregate } from './summarize.ts';
import { as, elems, is, resultColumns, unnamed } from '../../kusto/syntax.ts';
import type { Expr, NodeOf } from '../../kusto/syntax.ts';
import type { Value } from '../values.ts';
import { Timespan, compareValues, toReal } from '../values.ts';

/** Rows grouped by `key`, groups in order of first appearance. */
function groupBy(rows: Value[][], key: (r: Value[]) => Value[]): { key: Value[]; rows: Value[][] }[] {
  const groups = new Map<string, { key: Value[]; rows: Value[][] }>();
  for (const r of rows) {
    const k = key(r);
    const id = rowKey(k);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key: k, rows: [] }));
    g.rows.push(r);
  }
  return [...groups.values()];
}

/**
 * top-nested-operator: each clause partitions the rows of the level above by its `of` expression,
 * aggregates each partition with its `by` aggregation, keeps the top N (all when N is omitted) by
 * that value (desc unless `asc`), and adds `with others` as one more partition holding the rest
 * (supported on the last clause). Two output columns per clause: the value and its aggregate.
 */
export function topNested(ev: Ev, op: NodeOf<'TopNestedOperator'>, input: Table, scope: Scope): Table {
  const columns = resultColumns(op);
  const clauses = elems(op.Clauses);
  if (columns.length !== clauses.length * 2) throw ev.unsupported(op, 'this top-nested shape');
  const cx = ev.cx(input, scope);
  const levels = clauses.map((c, i) => {
    let by: Expr | null = c.ByExpression;
    let asc = false;
    if (is(by, 'OrderedExpression')) {
      asc = String(by.Ordering?.AscOrDescKeyword?.Text ?? '').toLowerCase() === 'asc';
      by = by.Expression;
    }
    if (c.WithOthersClause && i !== clauses.length - 1) throw ev.unsupported(c.WithOthersClause, 'top-nested with others before the last clause');
    return {
      n: c.Expression ? ev.count(c.Expression, scope) : Infinity,
      of: ev.scalar(unnamed(as(c.OfExpression, 'Expression')), cx),
      agg: groupAggregate(ev, by ? unnamed(by) : null, cx),
      asc,
      others: c.WithOthersClause ? ev.constant(c.WithOthersClause.Expression, scope) : undefined,
      hasOthers: !!c.WithOthersClause,
    };
  });
  const out: Value[][] = [];
  const level = (rows: Value[][], depth: number, prefix: Value[]): void => {
    const L = levels[depth];
    if (!L) {
      out.push(prefix);
      return;
    }
    const parts = groupBy(rows, (r) => [L.of(r)]).map((g) => ({ key: g.key[0]!, rows: g.rows, value: L.agg(g.rows) }));
    parts.sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? 0 : a.value === null ? 1 : -1;
      const c = compareValues(a.value, b.value);
      return L.asc ? c : -c;
    });
    const top = parts.slice(0, L.n);
    for (const p of top) level(p.rows, depth + 1, [...prefix, p.key, p.value]);
    if (L.hasOthers) {
      const rest = parts.slice(L.n).flatMap((p) => p.rows);
      if (rest.length) level(rest, depth + 1, [...prefix, L.others ?? null, L.agg(rest)]);
    }
  };
  level(input.rows, 0, []);
  return { columns, rows: out };
}

const plus = (v: Value, step: Value, k: number): Value =>
  v instanceof Date && step instanceof Timespan
    ? new Date(v.getTime() + k * step.ms)
    : v instanceof Timespan && step instanceof Timespan
      ? new Timespan(v.ms + k * step.ms)
      : (toReal(v) ?? 0) + k * (toReal(step) ?? 0);

/** Index of `v`'s bin in a series starting at `start` with `step` (bin_at alignment), or null. */
function binIndex(v: Value, start: Value, step: Value): number | null {
  if (v === null) return null;
  if (v instanceof Date && start instanceof Date && step instanceof Timespan) return step.ms ? Math.floor((v.getTime() - start.getTime()) / step.ms) : null;
  if (v instanceof Timespan && start instanceof Timespan && step instanceof Timespan) return step.ms ? Math.floor((v.ms - start.ms) / step.ms) : null;
  const x = toReal(v);
  const s = toReal(start);
  const d = toReal(step);
  return x === null || s === null || !d ? null : Math.floor((x - s) / d);
}

/**
 * make-series-operator (`on Axis from start to end step s`): rows are grouped by the `by` columns
 * and binned with bin_at(Axis, s, start); each aggregate becomes an array over the bins
 * start, start+s, … < end, absent bins holding the `default=` value (0 when omitted); the axis column
 * holds the bin values. Without `from`/`to` a series starts at its first bin with data and ends
 * after its last. An empty input gives no rows, except `kind=nonempty` (one row of defaults).
 */
export function makeSeries(ev: Ev, op: NodeOf<'MakeSeriesOperator'>, input: Table, scope: Scope): Table {
  const columns = resultColumns(op);
  const range = op.RangeClause;
  if (!is(range, 'MakeSeriesFromToStepClause')) throw ev.unsupported(range ?? op, 'make-series … in range(…)');
  const cx = ev.cx(input, scope);
  const byExprs = elems(op.ByClause?.Expressions);
  const aggExprs = elems(op.Aggregates);
  if (columns.length !== byExprs.length + aggExprs.length + 1) throw ev.unsupported(op, 'this make-series shape');
  const byFns = byExprs.map((e) => ev.scalar(unnamed(e), cx));
  const axis = ev.scalar(op.OnClause?.Expression ?? null, cx);
  const from = range.MakeSeriesFromClause ? ev.constant(range.MakeSeriesFromClause.Expression, scope) : null;
  const to = range.MakeSeriesToClause ? ev.constant(range.MakeSeriesToClause.Expression, scope) : null;
  const step = ev.constant(range.MakeSeriesStepClause?.Expression ?? null, scope);
  if (step === null) throw ev.fail(op, 'make-series: step must be a constant');
  const aggs = aggExprs.map((e) => ({
    fn: groupAggregate(ev, unnamed(as(e.Expression, 'Expression')), cx),
    fallback: e.DefaultExpression ? ev.constant(e.DefaultExpression.Expression, scope) : 0,
  }));
  const nonempty = String(namedParams(op.Parameters).get('kind') ?? '').toLowerCase() === 'nonempty';
  const series = (key: Value[], rows: Value[][]): Value[] | null => {
    const withAxis = rows.map((r) => ({ r, a: axis(r) })).filter((x) => x.a !== null);
    let start = from;
    if (start === null) {
      const first = withAxis.reduce<Value>((m, x) => (m === null || compareValues(x.a, m) < 0 ? x.a : m), null);
      start = first === null ? null : binValue(first, step);
    }
    if (start === null) return null;
    let count: number;
    if (to !== null) {
      const last = binIndex(to, start, step);
      if (last === null) return null;
      count = Math.max(0, plus(start, step, last) !== null && compareValues(plus(start, step, last), to) < 0 ? last + 1 : last);
    } else {
      const idx = withAxis.map((x) => binIndex(x.a, start, step) ?? -1);
      count = idx.length ? Math.max(...idx) + 1 : 0;
    }
    count = Math.min(count, 1_048_576);
    const bins: Value[][][] = Array.from({ length: count }, () => []);
    for (const x of withAxis) {
      const i = binIndex(x.a, start, step);
      if (i !== null && i >= 0 && i < count) bins[i]!.push(x.r);
    }
    return [
      ...key,
      ...aggs.map((a) => bins.map((b) => (b.length ? a.fn(b) : a.fallback))),
      Array.from({ length: count }, (_, k) => plus(start, step, k)),
    ];
  };
  const rows: Value[][] = [];
  for (const g of groupBy(input.rows, (r) => byFns.map((f) => f(r)))) {
    const row = series(g.key, g.rows);
    if (row) rows.push(row);
  }
  if (!input.rows.length && nonempty && !byExprs.length) {
    const row = series([], []);
    if (row) rows.push(row);
  }
  return { columns, rows };
}

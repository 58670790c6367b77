/**
 * Aggregation functions for `summarize` (and `make_*` inside mv-apply subqueries). Each receives
 * the group's rows and the compiled argument functions; nulls are skipped as Kusto does.
 */
import type { Value } from './values.ts';
import { compareValues, toReal, valueKey } from './values.ts';

export type RowFn = (row: Value[]) => Value;
export type AggregateFn = (rows: Value[][], args: RowFn[], resultType: string) => Value;

const DEFAULT_MAX = 1_048_576;

function values(rows: Value[][], f: RowFn | undefined): Value[] {
  const out: Value[] = [];
  if (!f) return out;
  for (const r of rows) {
    const v = f(r);
    if (v !== null) out.push(v);
  }
  return out;
}

function filtered(rows: Value[][], pred: RowFn | undefined): Value[][] {
  return pred ? rows.filter((r) => pred(r) === true) : rows;
}

function limit(args: RowFn[], index: number): number {
  const f = args[index];
  if (!f) return DEFAULT_MAX;
  const n = toReal(f([]));
  return n === null ? DEFAULT_MAX : n;
}

function makeSet(vals: Value[], max: number): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const v of vals.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
    const k = valueKey(v);
    if (seen.has(k) || v === null) continue;
    seen.add(k);
    out.push(v);
    if (out.length >= max) break;
  }
  return out;
}

function extreme(vals: Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const v of vals) if (best === null || sign * compareValues(v, best) > 0) best = v;
  return best;
}

function sum(vals: Value[]): Value {
  if (!vals.length) return null;
  let s = 0;
  for (const v of vals) s += toReal(v) ?? 0;
  return s;
}

/** Index of the row holding the max/min of `f` (first one on ties), or -1. */
export function argExtremeRow(rows: Value[][], f: RowFn, sign: 1 | -1): number {
  let best: Value = null;
  let at = -1;
  for (let i = 0; i < rows.length; i++) {
    const v = f(rows[i]!);
    if (v === null) continue;
    if (best === null || sign * compareValues(v, best) > 0) {
      best = v;
      at = i;
    }
  }
  return at === -1 && rows.length ? 0 : at;
}

export const aggregates: Record<string, AggregateFn> = {
  count: (rows) => rows.length,
  countif: (rows, [p]) => filtered(rows, p).length,
  dcount: (rows, [f]) => new Set(values(rows, f).map(valueKey)).size,
  dcountif: (rows, [f, p]) => new Set(values(filtered(rows, p), f).map(valueKey)).size,
  make_set: (rows, args) => makeSet(values(rows, args[0]), limit(args, 1)),
  make_set_if: (rows, args) => makeSet(values(filtered(rows, args[1]), args[0]), limit(args, 2)),
  make_list: (rows, args) => values(rows, args[0]).slice(0, limit(args, 1)),
  make_list_if: (rows, args) => values(filtered(rows, args[1]), args[0]).slice(0, limit(args, 2)),
  make_list_with_nulls: (rows, [f]) => rows.map((r) => f!(r)),
  make_bag: (rows, [f]) => {
    const bag: Record<string, Value> = {};
    for (const v of values(rows, f)) if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(bag, v);
    return bag;
  },
  min: (rows, [f]) => extreme(values(rows, f), -1),
  max: (rows, [f]) => extreme(values(rows, f), 1),
  minif: (rows, [f, p]) => extreme(values(filtered(rows, p), f), -1),
  maxif: (rows, [f, p]) => extreme(values(filtered(rows, p), f), 1),
  // On an empty input Kusto's sum() is 0 (see "summarize: default values of aggregations").
  sum: (rows, [f]) => (rows.length ? sum(values(rows, f)) : 0),
  sumif: (rows, [f, p]) => sum(values(filtered(rows, p), f)),
  avg: (rows, [f]) => {
    const vs = values(rows, f);
    return vs.length ? (sum(vs) as number) / vs.length : null;
  },
  avgif: (rows, [f, p]) => {
    const vs = values(filtered(rows, p), f);
    return vs.length ? (sum(vs) as number) / vs.length : null;
  },
  any: (rows, [f]) => {
    for (const r of rows) {
      const v = f!(r);
      if (v !== null && v !== '') return v;
    }
    return rows.length ? f!(rows[0]!) : null;
  },
  stdev: (rows, [f]) => {
    const vs = values(rows, f).map((v) => toReal(v) ?? 0);
    if (vs.length < 2) return 0;
    const m = vs.reduce((a, b) => a + b, 0) / vs.length;
    return Math.sqrt(vs.reduce((a, b) => a + (b - m) ** 2, 0) / (vs.length - 1));
  },
  // Nearest-rank percentile (percentiles-aggregation-function): the smallest value with P% of the
  // values at or below it; P = 0 is the minimum. The service estimates with T-Digest; on small
  // inputs that is the exact nearest-rank value this computes.
  percentile: (rows, [f, p]) => nearestRank(values(rows, f), toReal(p ? p([]) : null)),
  percentiles_array: (rows, [f, ...ps]) => {
    const vs = values(rows, f);
    const wanted = ps.flatMap((p) => {
      const v = p([]);
      return Array.isArray(v) ? v : [v];
    });
    return wanted.map((p) => nearestRank(vs, toReal(p)));
  },
  variance: (rows, [f]) => {
    const vs = values(rows, f).map((v) => toReal(v) ?? 0);
    if (vs.length < 2) return 0;
    const m = vs.reduce((a, b) => a + b, 0) / vs.length;
    return vs.reduce((a, b) => a + (b - m) ** 2, 0) / (vs.length - 1);
  },
};
aggregates.take_any = aggregates.any!;
aggregates.makeset = aggregates.make_set!;
aggregates.makelist = aggregates.make_list!;

/** arg_max / arg_min select a row; the caller projects its columns. */
export const rowSelectingAggregates = new Set(['arg_max', 'arg_min']);

/** Nearest-rank percentile of `vals` (null when empty or no percentile). */
export function nearestRank(vals: Value[], p: number | null): Value {
  if (!vals.length || p === null) return null;
  const sorted = [...vals].sort(compareValues);
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/** Aggregates producing one output column per extra argument (`percentiles(x, 5, 50, 95)`). */
export const multiColumnAggregates = new Set(['percentiles']);

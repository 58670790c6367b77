/** Dynamic (JSON) functions: arrays, sets and property bags. */
import type { Value } from '../values.ts';
import { Timespan, compareValues, isRecord, toReal, valuesEqual, valueKey } from '../values.ts';
import type { ScalarFn } from './common.ts';
import { asArray, flattenArgs, int, str } from './common.ts';

function distinctValues(vals: Value[]): Value[] {
  const seen = new Set<string>();
  return vals.filter((v) => !seen.has(valueKey(v)) && !!seen.add(valueKey(v)));
}

/** set_difference / set_intersect: distinct values of the first array kept by `keep`. */
function setOp(args: Value[], keep: (key: string, others: Set<string>[]) => boolean): Value {
  if (!args.every((a) => Array.isArray(a))) return null;
  const [first, ...rest] = args as Value[][];
  const others = rest.map((a) => new Set(a.map(valueKey)));
  return distinctValues(first!).filter((v) => keep(valueKey(v), others));
}


function pack(args: Value[]): Value {
  const o: Record<string, Value> = {};
  for (let i = 0; i + 1 < args.length; i += 2) o[str(args[i])] = args[i + 1] ?? null;
  return o;
}

/** range(start, stop[, step]): the dynamic array start, start+step, … up to stop inclusive (range-function). */
function rangeArray([a, b, c]: Value[]): Value {
  const step = c === undefined ? (a instanceof Date || a instanceof Timespan ? null : 1) : c;
  if (a == null || b == null || step == null) return null;
  const out: Value[] = [];
  if (a instanceof Date && step instanceof Timespan && b instanceof Date) {
    for (let t = a.getTime(); step.ms > 0 ? t <= b.getTime() : t >= b.getTime(); t += step.ms) if (out.push(new Date(t)) >= 1_048_576 || !step.ms) break;
    return out;
  }
  const x = toReal(a);
  const y = toReal(b);
  const s = toReal(step);
  if (x === null || y === null || !s) return null;
  for (let v = x; s > 0 ? v <= y : v >= y; v += s) if (out.push(v) >= 1_048_576) break;
  return out;
}

export const dynamicFunctions: Record<string, ScalarFn> = {
  range: rangeArray,
  // dynamic
  array_reverse: ([a]) => asArray(a ?? null)?.slice().reverse() ?? null,
  bag_remove_keys: ([b, keys]) => {
    if (!isRecord(b)) return null;
    const drop = new Set((asArray(keys ?? null) ?? []).map((k) => str(k)));
    return Object.fromEntries(Object.entries(b).filter(([k]) => !drop.has(k)));
  },
  array_length: ([v]) => asArray(v ?? null)?.length ?? null,
  array_concat: (args) => (args.every((a) => Array.isArray(a)) ? flattenArgs(args) : null),
  array_slice: ([a, s, e]) => {
    const arr = asArray(a ?? null);
    if (!arr) return null;
    const fix = (i: number) => (i < 0 ? arr.length + i : i);
    return arr.slice(fix(int(s) ?? 0), fix(int(e) ?? -1) + 1);
  },
  array_index_of: ([a, v]) => {
    const arr = asArray(a ?? null);
    return arr ? arr.findIndex((x) => valuesEqual(x, v ?? null) === true) : null;
  },
  array_sort_asc: ([a]) => (asArray(a ?? null) ?? []).slice().sort(compareValues),
  array_sort_desc: ([a]) => (asArray(a ?? null) ?? []).slice().sort((x, y) => compareValues(y, x)),
  set_has_element: ([a, v]) => {
    const arr = asArray(a ?? null);
    return arr ? arr.some((x) => valuesEqual(x, v ?? null) === true) : null;
  },
  set_difference: (args) => setOp(args, (k, others) => !others.some((o) => o.has(k))),
  set_intersect: (args) => setOp(args, (k, others) => others.every((o) => o.has(k))),
  set_union: (args) => (args.every((a) => Array.isArray(a)) ? distinctValues(flattenArgs(args)) : null),
  pack,
  bag_pack: pack,
  pack_array: (args) => args,
  bag_keys: ([b]) => (isRecord(b) ? Object.keys(b) : null),
  bag_has_key: ([b, k]) => (isRecord(b) ? Object.prototype.hasOwnProperty.call(b, str(k)) : null),
  bag_merge: (args) => Object.assign({}, ...[...args].reverse().filter(isRecord)),
};

/** Conversions, conditionals and null tests, math. */
import type { Value } from '../values.ts';
import { compareValues, isRecord, toBool, toDateTime, toDynamic, toTimespan } from '../values.ts';
import type { CallInfo, ScalarFn } from './common.ts';
import { int, num, str } from './common.ts';

function extremeOf(args: Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const a of args) {
    if (a === null) continue;
    if (best === null || sign * compareValues(a, best) > 0) best = a;
  }
  return best;
}


function round(args: Value[]): Value {
  const n = num(args[0]);
  if (n === null) return null;
  const p = int(args[1]) ?? 0;
  const f = 10 ** p;
  // Half away from zero, as .NET's MidpointRounding.AwayFromZero (Kusto: round(-2.5) = -3).
  return (Math.sign(n) * Math.round(Math.abs(n) * f)) / f;
}

function arith(args: Value[], f: (n: number) => number): Value {
  const n = num(args[0]);
  return n === null ? null : f(n);
}


function isEmpty(v: Value): boolean {
  return v === null || v === '';
}

function coalesce(args: Value[], call: CallInfo): Value {
  for (const a of args) if (!(a === null || (call.resultType === 'string' && a === ''))) return a;
  return call.resultType === 'string' ? '' : null;
}

function caseFn(args: Value[]): Value {
  for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1] ?? null;
  return args[args.length - 1] ?? null;
}

export const conversionFunctions: Record<string, ScalarFn> = {
  // conversion
  tostring: ([v]) => str(v),
  toint: ([v]) => int(v),
  tolong: ([v]) => int(v),
  toreal: ([v]) => num(v),
  todouble: ([v]) => num(v),
  todecimal: ([v]) => num(v),
  tobool: ([v]) => toBool(v ?? null),
  toboolean: ([v]) => toBool(v ?? null),
  todatetime: ([v]) => toDateTime(v ?? null),
  totimespan: ([v]) => toTimespan(v ?? null),
  toguid: ([v]) => (v === null || v === undefined ? null : str(v)),
  todynamic: ([v]) => toDynamic(v ?? null),
  parse_json: ([v]) => toDynamic(v ?? null),
  parsejson: ([v]) => toDynamic(v ?? null),
  gettype: ([v], call) => (v === null ? 'null' : Array.isArray(v) ? 'array' : isRecord(v) ? 'dictionary' : call.argTypes[0] === 'dynamic' ? (typeof v === 'number' ? (Number.isInteger(v) ? 'long' : 'real') : typeof v === 'boolean' ? 'bool' : 'string') : call.argTypes[0] ?? 'string'),
  // conditionals and nulls
  iff: ([c, a, b]) => (c === true ? a ?? null : b ?? null),
  iif: ([c, a, b]) => (c === true ? a ?? null : b ?? null),
  case: caseFn,
  coalesce,
  isempty: ([v]) => isEmpty(v ?? null),
  isnotempty: ([v]) => !isEmpty(v ?? null),
  isnull: ([v]) => v === null || v === undefined,
  isnotnull: ([v]) => !(v === null || v === undefined),
  not: ([v]) => (v === null || v === undefined ? null : !toBool(v)),
  max_of: (args) => extremeOf(args, 1),
  min_of: (args) => extremeOf(args, -1),
  // math
  abs: (a) => arith(a, Math.abs),
  sqrt: (a) => arith(a, Math.sqrt),
  log: (a) => arith(a, Math.log),
  log10: (a) => arith(a, Math.log10),
  exp: (a) => arith(a, Math.exp),
  pow: ([x, y]) => (num(x) === null || num(y) === null ? null : num(x)! ** num(y)!),
  round,
  isnan: ([v]) => (num(v) === null ? null : Number.isNaN(num(v))),
};

/**
 * Scalar built-in functions of the local evaluator. Each takes evaluated arguments; `call` carries
 * the pinned `now()` and the analyzer's result type. A function missing here is reported as
 * "not supported by the local evaluator".
 */
import { createHash } from 'node:crypto';
import { ipv4Compare, ipv4IsInAnyRange, ipv4IsInRange, ipv4IsPrivate, ipv6Compare, parseIPv4 } from '../model/ip.ts';
import { regex } from './strings.ts';
import type { Value } from './values.ts';
import {
  Timespan,
  coerce,
  compareValues,
  isRecord,
  toBool,
  toDateTime,
  toDynamic,
  toLong,
  toReal,
  toStr,
  toTimespan,
  valuesEqual,
  valueKey,
  formatTimespan,
} from './values.ts';

export interface CallInfo {
  now: Date;
  /** Analyzer result type name of the call (`string`, `long`, `dynamic`, …). */
  resultType: string;
  /** Analyzer types of the arguments. */
  argTypes: string[];
}

export type ScalarFn = (args: Value[], call: CallInfo) => Value;

const DAY = 86_400_000;
/** Milliseconds from 0001-01-01 to 1970-01-01: Kusto bins datetimes from tick 0. */
const EPOCH0 = -62_135_596_800_000;

const str = (v: Value | undefined): string => toStr(v ?? null);
const num = (v: Value | undefined): number | null => toReal(v ?? null);
const int = (v: Value | undefined): number | null => toLong(v ?? null);

function asArray(v: Value): Value[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    const d = toDynamic(v);
    return Array.isArray(d) ? d : null;
  }
  return null;
}

/** Flattens arguments that are dynamic arrays (as `ipv4_is_in_any_range`, `array_concat`, `has_any` do). */
export function flattenArgs(args: Value[]): Value[] {
  const out: Value[] = [];
  for (const a of args) {
    if (Array.isArray(a)) out.push(...a);
    else out.push(a);
  }
  return out;
}

export function binValue(v: Value, size: Value): Value {
  if (v === null || size === null) return null;
  if (v instanceof Date) {
    const s = size instanceof Timespan ? size.ms : null;
    if (!s) return null;
    const since0 = v.getTime() - EPOCH0;
    return new Date(Math.floor(since0 / s) * s + EPOCH0);
  }
  if (v instanceof Timespan) {
    const s = size instanceof Timespan ? size.ms : toReal(size);
    if (!s) return null;
    return new Timespan(Math.floor(v.ms / s) * s);
  }
  const n = toReal(v);
  const s = toReal(size);
  if (n === null || !s) return null;
  return Math.floor(n / s) * s;
}

const startOf = {
  day: (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())),
  week: (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - d.getUTCDay())),
  month: (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)),
  year: (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), 0, 1)),
};

function startOfWithOffset(unit: keyof typeof startOf, args: Value[]): Value {
  const d = toDateTime(args[0] ?? null);
  if (!d) return null;
  const s = startOf[unit](d);
  const off = int(args[1]) ?? 0;
  if (unit === 'day') return new Date(s.getTime() + off * DAY);
  if (unit === 'week') return new Date(s.getTime() + off * 7 * DAY);
  if (unit === 'month') return new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + off, 1));
  return new Date(Date.UTC(s.getUTCFullYear() + off, 0, 1));
}

function endOfDay(args: Value[]): Value {
  const s = startOfWithOffset('day', args);
  return s instanceof Date ? new Date(s.getTime() + DAY - 0.0001) : null;
}

/** Number of `part` boundaries between dt2 and dt1 (dt1 - dt2), as datetime_diff defines it. */
export function datetimeDiff(part: string, a: Date, b: Date): number | null {
  const p = part.toLowerCase();
  const y = (d: Date) => d.getUTCFullYear();
  const m = (d: Date) => d.getUTCMonth();
  const floorDiv = (ms: number, unit: number) => Math.floor(ms / unit);
  switch (p) {
    case 'year':
      return y(a) - y(b);
    case 'quarter':
      return y(a) * 4 + Math.floor(m(a) / 3) - (y(b) * 4 + Math.floor(m(b) / 3));
    case 'month':
      return y(a) * 12 + m(a) - (y(b) * 12 + m(b));
    case 'week':
      return Math.round((startOf.week(a).getTime() - startOf.week(b).getTime()) / (7 * DAY));
    case 'day':
      return floorDiv(a.getTime(), DAY) - floorDiv(b.getTime(), DAY);
    case 'hour':
      return floorDiv(a.getTime(), 3_600_000) - floorDiv(b.getTime(), 3_600_000);
    case 'minute':
      return floorDiv(a.getTime(), 60_000) - floorDiv(b.getTime(), 60_000);
    case 'second':
      return floorDiv(a.getTime(), 1000) - floorDiv(b.getTime(), 1000);
    case 'millisecond':
      return a.getTime() - b.getTime();
    case 'microsecond':
      return (a.getTime() - b.getTime()) * 1000;
    case 'nanosecond':
      return (a.getTime() - b.getTime()) * 1_000_000;
    default:
      return null;
  }
}

function datetimeAdd(part: string, amount: number, d: Date): Date | null {
  const p = part.toLowerCase();
  const fixed: Record<string, number> = { week: 7 * DAY, day: DAY, hour: 3_600_000, minute: 60_000, second: 1000, millisecond: 1, microsecond: 0.001, nanosecond: 0.000001 };
  if (fixed[p] !== undefined) return new Date(d.getTime() + amount * fixed[p]!);
  const months = p === 'year' ? 12 * amount : p === 'quarter' ? 3 * amount : p === 'month' ? amount : null;
  if (months === null) return null;
  const r = new Date(d.getTime());
  const day = r.getUTCDate();
  r.setUTCDate(1);
  r.setUTCMonth(r.getUTCMonth() + months);
  const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
  r.setUTCDate(Math.min(day, last));
  return r;
}

const two = (n: number) => String(n).padStart(2, '0');

/** format_datetime with the .NET-style specifiers Kusto documents. */
export function formatDateTimeWith(d: Date, format: string): string {
  const ticksFrac = String(d.getUTCMilliseconds()).padStart(3, '0') + '0000';
  return format.replace(/yyyy|yy|y|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt/g, (t) => {
    const h = d.getUTCHours();
    switch (t) {
      case 'yyyy': return String(d.getUTCFullYear()).padStart(4, '0');
      case 'yy': return two(d.getUTCFullYear() % 100);
      case 'y': return String(d.getUTCFullYear() % 100);
      case 'MM': return two(d.getUTCMonth() + 1);
      case 'M': return String(d.getUTCMonth() + 1);
      case 'dd': return two(d.getUTCDate());
      case 'd': return String(d.getUTCDate());
      case 'HH': return two(h);
      case 'H': return String(h);
      case 'hh': return two(h % 12 || 12);
      case 'h': return String(h % 12 || 12);
      case 'mm': return two(d.getUTCMinutes());
      case 'm': return String(d.getUTCMinutes());
      case 'ss': return two(d.getUTCSeconds());
      case 's': return String(d.getUTCSeconds());
      case 'tt': return h < 12 ? 'AM' : 'PM';
      default:
        if (t[0] === 'f') return ticksFrac.slice(0, t.length);
        return ticksFrac.slice(0, t.length).replace(/0+$/, '');
    }
  });
}

function extract(args: Value[], call: CallInfo): Value {
  const m = regex(str(args[0])).exec(str(args[2]));
  const group = int(args[1]) ?? 0;
  const text = m ? m[group] : undefined;
  if (text === undefined) return call.resultType === 'string' ? '' : null;
  return call.resultType === 'string' ? text : coerce(text, call.resultType);
}

function extractAll(args: Value[]): Value {
  const re = regex(str(args[0]), true);
  const groups = args.length === 3 ? asArray(args[1] ?? null)?.map((g) => int(g) ?? 0) : undefined;
  const text = str(args[args.length - 1]);
  const out: Value[] = [];
  for (const m of text.matchAll(re)) {
    const wanted = groups ?? (m.length > 1 ? Array.from({ length: m.length - 1 }, (_, i) => i + 1) : [0]);
    const vals = wanted.map((g) => m[g] ?? '');
    out.push(vals.length === 1 ? vals[0]! : vals);
  }
  return out.length ? out : null;
}

function trimWith(args: Value[], start: boolean, end: boolean): Value {
  const pat = str(args[0]);
  let s = str(args[1]);
  if (start) s = s.replace(regex(`^(?:${pat})`), '');
  if (end) s = s.replace(regex(`(?:${pat})$`), '');
  return s;
}

function split(args: Value[]): Value {
  const parts = str(args[0]).split(str(args[1]));
  if (args.length > 2) {
    const i = int(args[2]);
    if (i === null || i < 0 || i >= parts.length) return [];
    return [parts[i]!];
  }
  return parts;
}

function substring(args: Value[]): Value {
  const s = [...str(args[0])];
  let start = int(args[1]) ?? 0;
  if (start < 0) start = 0;
  const len = args.length > 2 ? int(args[2]) : null;
  return s.slice(start, len === null ? undefined : start + Math.max(0, len)).join('');
}

function indexOf(args: Value[]): Value {
  const s = str(args[0]);
  const look = str(args[1]);
  let start = int(args[2]) ?? 0;
  if (start < 0) start = Math.max(0, s.length + start);
  if (start > s.length) return -1;
  const length = args.length > 3 ? int(args[3]) ?? -1 : -1;
  const occurrence = args.length > 4 ? int(args[4]) ?? 1 : 1;
  const end = length < 0 ? s.length : Math.min(s.length, start + length);
  let pos = start - 1;
  for (let k = 0; k < occurrence; k++) {
    pos = s.indexOf(look, pos + 1);
    if (pos < 0 || pos + look.length > end) return -1;
  }
  return pos;
}

function countOf(args: Value[]): Value {
  const text = str(args[0]);
  const search = str(args[1]);
  if (search === '') return 0;
  if (str(args[2] ?? 'normal').toLowerCase() === 'regex') return [...text.matchAll(regex(search, true))].length;
  let n = 0;
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + 1)) n++;
  return n;
}

function extremeOf(args: Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const a of args) {
    if (a === null) continue;
    if (best === null || sign * compareValues(a, best) > 0) best = a;
  }
  return best;
}

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

/** parse_url: the documented bag of URL parts (Scheme, Host, Port, Path, Username, Password, Query Parameters, Fragment). */
function parseUrl(text: string): Value {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return {};
  }
  const query: Record<string, Value> = {};
  u.searchParams.forEach((v, k) => (query[k] = v));
  return {
    Scheme: u.protocol.replace(/:$/, ''), Host: u.hostname, Port: u.port, Path: u.pathname,
    Username: decodeURIComponent(u.username), Password: decodeURIComponent(u.password),
    'Query Parameters': query, Fragment: u.hash.replace(/^#/, ''),
  };
}

function pack(args: Value[]): Value {
  const o: Record<string, Value> = {};
  for (let i = 0; i + 1 < args.length; i += 2) o[str(args[i])] = args[i + 1] ?? null;
  return o;
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

const ipArg = (v: Value | undefined): string | null => (v === null || v === undefined ? null : str(v));

function ipFn(f: (...a: string[]) => Value, arity: number): ScalarFn {
  return (args) => {
    const xs = args.slice(0, arity).map(ipArg);
    return xs.some((x) => x === null) ? null : f(...(xs as string[]));
  };
}

function optionalPrefix(args: Value[], f: (a: string, b: string, p?: number | null) => Value): Value {
  const a = ipArg(args[0]);
  const b = ipArg(args[1]);
  if (a === null || b === null) return null;
  return f(a, b, args.length > 2 ? int(args[2]) : undefined);
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

export const scalarFunctions: Record<string, ScalarFn> = {
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
  // strings
  strcat: (args) => args.map(str).join(''),
  strcat_delim: ([d, ...rest]) => rest.map(str).join(str(d)),
  strcat_array: ([a, d]) => (asArray(a ?? null) ?? []).map(str).join(str(d)),
  tolower: ([v]) => str(v).toLowerCase(),
  toupper: ([v]) => str(v).toUpperCase(),
  strlen: ([v]) => [...str(v)].length,
  substring,
  indexof: indexOf,
  trim: (a) => trimWith(a, true, true),
  trim_start: (a) => trimWith(a, true, false),
  trim_end: (a) => trimWith(a, false, true),
  replace_string: ([t, l, r]) => str(t).split(str(l)).join(str(r)),
  replace_regex: ([t, re, r]) => str(t).replace(regex(str(re), true), str(r).replace(/\\(\d)/g, '$$$1')),
  reverse: ([v]) => [...str(v)].reverse().join(''),
  split,
  extract,
  extract_all: extractAll,
  countof: countOf,
  base64_decode_tostring: ([v]) => Buffer.from(str(v), 'base64').toString('utf8'),
  base64_encode_tostring: ([v]) => Buffer.from(str(v), 'utf8').toString('base64'),
  url_decode: ([v]) => {
    try {
      return decodeURIComponent(str(v).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  },
  strrep: ([v, n, d]) => Array.from({ length: Math.max(0, int(n) ?? 0) }, () => str(v)).join(str(d ?? '')),
  url_encode: ([v]) => encodeURIComponent(str(v)),
  parse_url: ([v]) => parseUrl(str(v)),
  hash_sha256: ([v]) => createHash('sha256').update(str(v), 'utf8').digest('hex'),
  hash_md5: ([v]) => createHash('md5').update(str(v), 'utf8').digest('hex'),
  tohex: ([v, w]) => {
    const n = int(v);
    if (n === null) return null;
    const hex = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n)).toString(16);
    return hex.padStart(int(w) ?? 0, '0');
  },
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
  // datetime
  now: ([off], call) => new Date(call.now.getTime() + (off instanceof Timespan ? off.ms : 0)),
  ago: ([t], call) => (t instanceof Timespan ? new Date(call.now.getTime() - t.ms) : null),
  datetime_diff: ([p, a, b]) => {
    const x = toDateTime(a ?? null);
    const y = toDateTime(b ?? null);
    return x && y ? datetimeDiff(str(p), x, y) : null;
  },
  datetime_add: ([p, n, d]) => {
    const x = toDateTime(d ?? null);
    const k = int(n);
    return x && k !== null ? datetimeAdd(str(p), k, x) : null;
  },
  bin: ([v, s]) => binValue(v ?? null, s ?? null),
  floor: ([v, s]) => binValue(v ?? null, s ?? null),
  startofday: (a) => startOfWithOffset('day', a),
  startofweek: (a) => startOfWithOffset('week', a),
  startofmonth: (a) => startOfWithOffset('month', a),
  startofyear: (a) => startOfWithOffset('year', a),
  endofday: endOfDay,
  dayofweek: ([d]) => {
    const x = toDateTime(d ?? null);
    return x ? new Timespan(x.getUTCDay() * DAY) : null;
  },
  hourofday: ([d]) => toDateTime(d ?? null)?.getUTCHours() ?? null,
  dayofmonth: ([d]) => toDateTime(d ?? null)?.getUTCDate() ?? null,
  monthofyear: ([d]) => (toDateTime(d ?? null)?.getUTCMonth() ?? -2) + 1 || null,
  getmonth: ([d]) => (toDateTime(d ?? null)?.getUTCMonth() ?? -2) + 1 || null,
  getyear: ([d]) => toDateTime(d ?? null)?.getUTCFullYear() ?? null,
  datetime_part: ([p, d]) => {
    const x = toDateTime(d ?? null);
    if (!x) return null;
    const parts: Record<string, number> = {
      year: x.getUTCFullYear(), quarter: Math.floor(x.getUTCMonth() / 3) + 1, month: x.getUTCMonth() + 1, day: x.getUTCDate(),
      dayofyear: Math.floor((x.getTime() - Date.UTC(x.getUTCFullYear(), 0, 1)) / DAY) + 1, hour: x.getUTCHours(),
      minute: x.getUTCMinutes(), second: x.getUTCSeconds(), millisecond: x.getUTCMilliseconds(),
    };
    return parts[str(p).toLowerCase()] ?? null;
  },
  format_datetime: ([d, f]) => {
    const x = toDateTime(d ?? null);
    return x ? formatDateTimeWith(x, str(f)) : '';
  },
  format_timespan: ([t]) => (t instanceof Timespan ? formatTimespan(t) : ''),
  unixtime_seconds_todatetime: ([v]) => (num(v) === null ? null : new Date(num(v)! * 1000)),
  unixtime_milliseconds_todatetime: ([v]) => (num(v) === null ? null : new Date(num(v)!)),
  // math
  abs: (a) => arith(a, Math.abs),
  sqrt: (a) => arith(a, Math.sqrt),
  log: (a) => arith(a, Math.log),
  log10: (a) => arith(a, Math.log10),
  exp: (a) => arith(a, Math.exp),
  pow: ([x, y]) => (num(x) === null || num(y) === null ? null : num(x)! ** num(y)!),
  round,
  isnan: ([v]) => (num(v) === null ? null : Number.isNaN(num(v))),
  // network
  ipv4_is_in_range: ipFn(ipv4IsInRange, 2),
  ipv4_is_in_any_range: (args) => {
    const ip = ipArg(args[0]);
    if (ip === null) return null;
    const ranges = flattenArgs(args.slice(1)).filter((r) => r !== null).map((r) => str(r));
    return ipv4IsInAnyRange(ip, ranges);
  },
  ipv4_compare: (args) => optionalPrefix(args, ipv4Compare),
  ipv4_is_match: (args) => {
    const c = optionalPrefix(args, ipv4Compare);
    return c === null ? null : c === 0;
  },
  ipv4_is_private: ipFn(ipv4IsPrivate, 1),
  ipv6_compare: (args) => optionalPrefix(args, ipv6Compare),
  ipv6_is_match: (args) => {
    const c = optionalPrefix(args, ipv6Compare);
    return c === null ? null : c === 0;
  },
  ipv6_is_in_range: (args) => {
    const c = optionalPrefix(args, ipv6Compare);
    return c === null ? null : c === 0;
  },
  ipv6_is_in_any_range: (args) => {
    const ip = ipArg(args[0]);
    if (ip === null) return null;
    const ranges = flattenArgs(args.slice(1)).filter((r) => r !== null).map((r) => str(r));
    const results = ranges.map((r) => ipv6Compare(ip, r));
    if (results.some((c) => c === 0)) return true;
    return results.some((c) => c !== null) || ranges.length === 0 ? false : null;
  },
  parse_ipv4: ([v]) => (v === null || v === undefined ? null : parseIPv4(str(v))),
};


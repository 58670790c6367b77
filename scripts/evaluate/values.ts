/**
 * Runtime values of the local evaluator and their conversions.
 *
 * Representation (one JS shape per Kusto scalar type):
 * - bool → boolean; int/long/real/decimal → number (long loses precision above 2^53);
 * - string/guid → string (Kusto strings are never null: a missing string is "");
 * - datetime → Date (millisecond precision; Kusto keeps 100 ns ticks);
 * - timespan → Timespan (milliseconds, fractional allowed);
 * - dynamic → plain JSON data (null, boolean, number, string, arrays, plain objects); Date and
 *   Timespan may appear inside dynamic values built from typed columns (make_list of datetimes…);
 * - null → null for every type but string.
 */
import { kqlTimespanMs } from '../model/duration.ts';

export class Timespan {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
}

export type Value = null | boolean | number | string | Date | Timespan | Value[] | { [k: string]: Value };

export const TICKS_PER_MS = 10_000;

export function isRecord(v: unknown): v is Record<string, Value> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Timespan);
}

/* ------------------------------------------------------------------ datetime */

const isoLike =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses the datetime formats Kusto accepts in `datetime()` / `todatetime()` (ISO 8601 and RFC 822/850 via Date). */
export function parseDateTime(text: string): Date | null {
  const s = text.trim();
  if (s === '') return null;
  const m = isoLike.exec(s);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
    ms += frac ? Number(('0.' + frac)) * 1000 : 0;
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  if (/^\d+$/.test(s)) return null;
  // RFC 822 / RFC 850 forms such as "Sat, 8 Nov 2014 15:05:02 GMT".
  const fallback = Date.parse(/(GMT|UTC|Z|[+-]\d{4})\s*$/i.test(s) ? s : s + ' UTC');
  return Number.isNaN(fallback) ? null : new Date(fallback);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2017-01-01T00:00:00Z`, with 7 fractional digits when the value has a sub-second part (as Kusto prints). */
export function formatDateTime(d: Date): string {
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${pad(ms, 3)}0000Z` : `${base}Z`;
}

/* ------------------------------------------------------------------ timespan */

/** Parses `1d`, `2.5h`, `30m`, `10s`, `100ms`, `1tick` and `[-][d.]hh:mm[:ss[.fffffff]]`. */
export function parseTimespan(text: string): Timespan | null {
  const ms = kqlTimespanMs(text);
  return ms === undefined ? null : new Timespan(ms);
}

/** Kusto's timespan text form `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(t: Timespan): string {
  const neg = t.ms < 0;
  let ticks = Math.round(Math.abs(t.ms) * TICKS_PER_MS);
  const frac = ticks % 10_000_000;
  ticks = (ticks - frac) / 10_000_000;
  const s = ticks % 60;
  const m = Math.floor(ticks / 60) % 60;
  const h = Math.floor(ticks / 3600) % 24;
  const d = Math.floor(ticks / 86400);
  return `${neg ? '-' : ''}${d ? d + '.' : ''}${pad(h)}:${pad(m)}:${pad(s)}${frac ? '.' + pad(frac, 7) : ''}`;
}

/* ------------------------------------------------------------------ conversions */

/** Plain-JSON form of a value (datetimes/timespans as text), for dynamic output and JSON printing. */
export function toJson(v: Value | undefined): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return formatDateTime(v);
  if (v instanceof Timespan) return formatTimespan(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isRecord(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJson(x);
    return o;
  }
  return v;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

/** `tostring()`: null → "", dynamic arrays/bags → compact JSON, datetime ISO, timespan `hh:mm:ss`. */
export function toStr(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return formatDateTime(v);
  if (v instanceof Timespan) return formatTimespan(v);
  return JSON.stringify(toJson(v));
}

export function toBool(v: Value | undefined): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
    return null;
  }
  return null;
}

/** `toreal()` / `todouble()`. */
export function toReal(v: Value | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return null;
    if (/^(nan|[+-]?inf(inity)?)$/i.test(s)) return s.toLowerCase() === 'nan' ? NaN : s.startsWith('-') ? -Infinity : Infinity;
    const n = Number(s);
    return Number.isNaN(n) ? null : n;
  }
  if (v instanceof Date) return v.getTime() * TICKS_PER_MS + 621355968000000000;
  if (v instanceof Timespan) return v.ms * TICKS_PER_MS;
  return null;
}

/** `toint()` / `tolong()`: truncates reals; strings must be numeric. */
export function toLong(v: Value | undefined): number | null {
  const n = toReal(v);
  if (n === null || !Number.isFinite(n)) return null;
  return Math.trunc(n);
}

export function toDateTime(v: Value | undefined): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'string') return parseDateTime(v);
  return null;
}

export function toTimespan(v: Value | undefined): Timespan | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Timespan) return v;
  if (typeof v === 'string') return parseTimespan(v);
  if (typeof v === 'number') return new Timespan(v / TICKS_PER_MS);
  return null;
}

/** `todynamic()` / `parse_json()`: strings holding JSON become data; anything else is kept. */
export function toDynamic(v: Value | undefined): Value {
  if (v === undefined) return null;
  if (typeof v !== 'string') return v;
  if (v.trim() === '') return null;
  try {
    return JSON.parse(v) as Value;
  } catch {
    return v;
  }
}

/** Coerces a value to a column of `type` (table fill, datatable, typed outputs). */
export function coerce(v: unknown, type: string): Value {
  const x = (v === undefined ? null : v) as Value;
  switch (type) {
    case 'string':
      return toStr(x);
    case 'guid':
      return x === null ? null : toStr(x);
    case 'int':
    case 'long':
      return toLong(x);
    case 'real':
    case 'decimal':
      return toReal(x);
    case 'bool':
      return toBool(x);
    case 'datetime':
      return toDateTime(x);
    case 'timespan':
      return toTimespan(x);
    case 'dynamic':
      return typeof x === 'string' ? toDynamic(x) : x;
    default:
      return x;
  }
}

/** `to typeof(T)` in mv-expand/mv-apply: a cast, not a conversion; non-conforming values become null. */
export function castTo(v: Value, type: string): Value {
  if (v === null || type === 'dynamic') return v;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string' ? v : null;
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v) ? v : null;
    case 'real':
    case 'decimal':
      return typeof v === 'number' ? v : null;
    case 'bool':
      return typeof v === 'boolean' ? v : null;
    case 'datetime':
      return v instanceof Date ? v : typeof v === 'string' ? parseDateTime(v) : null;
    case 'timespan':
      return v instanceof Timespan ? v : typeof v === 'string' ? parseTimespan(v) : null;
    default:
      return null;
  }
}

/** Kusto type name of a runtime value (used where the analyzer says `dynamic`). */
export function typeOfValue(v: Value): string {
  if (v === null) return 'dynamic';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (typeof v === 'string') return 'string';
  if (v instanceof Date) return 'datetime';
  if (v instanceof Timespan) return 'timespan';
  return 'dynamic';
}

/* ------------------------------------------------------------------ comparison */

function scalarKey(v: Value): number | string | boolean | null {
  if (v instanceof Date) return v.getTime();
  if (v instanceof Timespan) return v.ms;
  return v as number | string | boolean | null;
}

/** Equality of two values with Kusto's loose dynamic comparison; null when either side is null. */
export function valuesEqual(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'object' && !(a instanceof Date) && !(a instanceof Timespan)) return toStr(a) === toStr(b);
  if (typeof b === 'object' && !(b instanceof Date) && !(b instanceof Timespan)) return toStr(a) === toStr(b);
  if (typeof a === typeof b || (a instanceof Date && b instanceof Date) || (a instanceof Timespan && b instanceof Timespan)) {
    return scalarKey(a) === scalarKey(b);
  }
  if (typeof a === 'string' || typeof b === 'string') {
    // dynamic scalar vs typed value: compare in the typed side's domain.
    if (a instanceof Date || b instanceof Date) return toDateTime(a)?.getTime() === toDateTime(b)?.getTime();
    return toStr(a) === toStr(b);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return toReal(a) === toReal(b);
  return scalarKey(a) === scalarKey(b);
}

/** Ordering of two non-null values of comparable types; numbers, strings (ordinal), dates, timespans, bools. */
export function compareValues(a: Value, b: Value): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  let x = scalarKey(a);
  let y = scalarKey(b);
  if (typeof x === 'boolean') x = x ? 1 : 0;
  if (typeof y === 'boolean') y = y ? 1 : 0;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (a instanceof Date && typeof b === 'string') return a.getTime() - (toDateTime(b)?.getTime() ?? NaN);
  if (typeof x === 'number' && typeof y === 'string') {
    const n = Number(y);
    if (!Number.isNaN(n)) return x - n;
  }
  if (typeof x === 'string' && typeof y === 'number') {
    const n = Number(x);
    if (!Number.isNaN(n)) return n - y;
  }
  const s = toStr(a);
  const t = toStr(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** A string key identifying a value for grouping, distinct, joins and sets (type-aware). */
export function valueKey(v: Value): string {
  if (v === null) return '\u0000null';
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'number') return 'n' + v;
  if (typeof v === 'boolean') return 'b' + v;
  if (v instanceof Date) return 'd' + v.getTime();
  if (v instanceof Timespan) return 't' + v.ms;
  return 'j' + JSON.stringify(toJson(v));
}

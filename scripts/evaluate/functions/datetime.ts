/** Datetime functions: now/ago, bin, start/end of period, parts, differences, formatting. */
import type { Value } from '../values.ts';
import { Timespan, toDateTime, toReal, formatTimespan } from '../values.ts';
import type { ScalarFn } from './common.ts';
import { int, num, str } from './common.ts';

const DAY = 86_400_000;
/** Milliseconds from 0001-01-01 to 1970-01-01: Kusto bins datetimes from tick 0. */
const EPOCH0 = -62_135_596_800_000;

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

export const datetimeFunctions: Record<string, ScalarFn> = {
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
  datetime_part: ([p, d]) => datetimePart(str(p), toDateTime(d ?? null)),
  datepart: ([p, d]) => datetimePart(str(p), toDateTime(d ?? null)),
  week_of_year: ([d]) => {
    const x = toDateTime(d ?? null);
    return x ? isoWeek(x) : null;
  },
  // bin_at(value, size, fixed): bins of `size` aligned so that `fixed` starts a bin (bin-at-function).
  bin_at: ([v, size, fixed]) => binAt(v ?? null, size ?? null, fixed ?? null),
  // make_datetime(y, m, d[, h, min[, s]]): null when a part is out of range (make-datetime-function).
  make_datetime: (args) => makeDatetime(args),
  format_datetime: ([d, f]) => {
    const x = toDateTime(d ?? null);
    return x ? formatDateTimeWith(x, str(f)) : '';
  },
  format_timespan: ([t]) => (t instanceof Timespan ? formatTimespan(t) : ''),
  unixtime_seconds_todatetime: ([v]) => (num(v) === null ? null : new Date(num(v)! * 1000)),
  unixtime_milliseconds_todatetime: ([v]) => (num(v) === null ? null : new Date(num(v)!)),
};

/** ISO 8601 week number: week 1 holds the year's first Thursday (datetime-part-function, week_of_year). */
function isoWeek(d: Date): number {
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  return 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY));
}

/** datetime_part for every documented part; sub-millisecond digits are not kept locally (datetimes hold milliseconds). */
function datetimePart(part: string, x: Date | null): Value {
  if (!x) return null;
  const ms = x.getUTCMilliseconds();
  switch (part.toLowerCase()) {
    case 'year':
      return x.getUTCFullYear();
    case 'quarter':
      return Math.floor(x.getUTCMonth() / 3) + 1;
    case 'month':
      return x.getUTCMonth() + 1;
    case 'week_of_year':
    case 'weekofyear':
      return isoWeek(x);
    case 'day':
      return x.getUTCDate();
    case 'dayofyear':
      return Math.floor((x.getTime() - Date.UTC(x.getUTCFullYear(), 0, 1)) / DAY) + 1;
    case 'hour':
      return x.getUTCHours();
    case 'minute':
      return x.getUTCMinutes();
    case 'second':
      return x.getUTCSeconds();
    case 'millisecond':
      return ms;
    case 'microsecond':
      return ms * 1000;
    case 'nanosecond':
      return ms * 1_000_000;
    default:
      return null;
  }
}

function binAt(v: Value, size: Value, fixed: Value): Value {
  if (v === null || size === null || fixed === null) return null;
  if (v instanceof Date && fixed instanceof Date && size instanceof Timespan) {
    if (!size.ms) return null;
    return new Date(fixed.getTime() + Math.floor((v.getTime() - fixed.getTime()) / size.ms) * size.ms);
  }
  if (v instanceof Timespan && fixed instanceof Timespan && size instanceof Timespan) {
    if (!size.ms) return null;
    return new Timespan(fixed.ms + Math.floor((v.ms - fixed.ms) / size.ms) * size.ms);
  }
  const x = toReal(v);
  const s = toReal(size);
  const f = toReal(fixed);
  if (x === null || !s || f === null) return null;
  return f + Math.floor((x - f) / s) * s;
}

function makeDatetime(args: Value[]): Value {
  const [y, mo, d, h, mi] = [0, 1, 2, 3, 4].map((i) => (i < args.length ? int(args[i]) : 0));
  const sec = args.length > 5 ? num(args[5]) : 0;
  if (y == null || mo == null || d == null || h == null || mi == null || sec == null) return null;
  if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec >= 60) return null;
  const out = new Date(Date.UTC(2000, mo - 1, d, h, mi, 0, Math.round(sec * 1000)));
  out.setUTCFullYear(y);
  if (out.getUTCMonth() !== mo - 1 || out.getUTCDate() !== d) return null; // e.g. 31 February
  return out;
}

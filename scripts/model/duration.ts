/**
 * Durations, once: the rule YAML short form (`5m`, `6h`, `14d`), ISO 8601 (`PT5M`, `P1D`, `P2W`,
 * `P1DT2H`) and KQL timespans (`30s`, `1.5h`, `100ms`, `2d`, `0.12:30:00`). Everything is counted
 * in milliseconds.
 *
 * Decision: ISO 8601 years and months (`P1Y`, `P1M`) are rejected everywhere. They have no fixed
 * length, so the repo, the plan diff and the service could disagree on what they mean; write
 * `P365D` / `P30D` instead. `durationProblem` says so in its message.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const UNIT_MS = { m: MINUTE, h: HOUR, d: DAY } as const;

/** JSON Schema pattern of the rule YAML short form (`5m`, `6h`, `14d`). */
export const SHORT_DURATION_PATTERN = '^[1-9][0-9]*[mhd]$';

/**
 * JSON Schema pattern of the ISO 8601 durations we accept: weeks, days, hours, minutes, seconds.
 * Years and months (`P1Y`, `P1M`) are rejected on purpose: they have no fixed length, so the
 * repo, the plan diff and the service could disagree on what they mean. Write `P365D` instead.
 */
export const ISO_DURATION_PATTERN = '^P(?=\\d|T\\d)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$';

/* ------------------------------------------------------------------ parse */

/** Milliseconds of a `5m`/`6h`/`14d` duration, or undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const m = /^([1-9][0-9]*)([mhd])$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/**
 * Milliseconds of an ISO 8601 duration in weeks/days/hours/minutes/seconds, e.g. `PT5H`, `P1DT2H`,
 * `P2W`; undefined otherwise (years and months have no fixed length and are rejected).
 */
export function isoDurationMs(iso: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return undefined;
  const n = (v: string | undefined) => Number(v ?? 0);
  return ((((n(m[1]) * 7 + n(m[2])) * 24 + n(m[3])) * 60 + n(m[4])) * 60 + n(m[5])) * 1000;
}

/** Milliseconds of a short-form or ISO 8601 duration (ISO case-insensitive, surrounding space ignored). */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  return durationMs(t) ?? isoDurationMs(t.toUpperCase());
}

/** Why `text` is not a duration we accept (short form or ISO 8601), or undefined when it is one. */
export function durationProblem(text: string): string | undefined {
  if (parseDuration(text) !== undefined) return undefined;
  const iso = text.trim().toUpperCase();
  const ym = /^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:\d+W)?(?:\d+D)?(?:T.*)?$/.exec(iso);
  if (ym && (ym[1] !== undefined || ym[2] !== undefined)) {
    const days = Number(ym[1] ?? 0) * 365 + Number(ym[2] ?? 0) * 30;
    return (
      `'${text}' uses ${ym[1] !== undefined ? 'years' : 'months'}, which have no fixed length; ` +
      `write the span in days instead, e.g. P${days}D (P365D for a year, P30D for a month)`
    );
  }
  return `'${text}' is not a duration (use 5m, 1h, 1d or ISO 8601 such as PT5M or P14D)`;
}

/* ------------------------------------------------------------------ KQL timespans */

/** Unit names of KQL timespan literals (Kusto "timespan data type" documentation). */
const KQL_UNIT_MS: Record<string, number> = {
  d: DAY, day: DAY, days: DAY,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  m: MINUTE, min: MINUTE, minute: MINUTE, minutes: MINUTE,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  microsecond: 0.001, microseconds: 0.001, tick: 0.0001, ticks: 0.0001,
};

/**
 * Milliseconds of a KQL timespan as text: a literal `1d`, `2.5h`, `30m`, `10s`, `100ms`, `1tick`
 * (optionally negative) or the clock form `[-][d.]hh:mm[:ss[.fffffff]]`; undefined otherwise.
 */
export function kqlTimespanMs(text: string): number | undefined {
  const s = text.trim();
  const lit = /^(-?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(s);
  if (lit) {
    const unit = KQL_UNIT_MS[lit[2]!.toLowerCase()];
    return unit === undefined ? undefined : Number(lit[1]) * unit;
  }
  const clock = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (clock) {
    const [, neg, d = '0', h, mi, sec = '0', frac = ''] = clock;
    const ms = ((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * MINUTE + Number(sec) * 1000 + (frac ? Number('0.' + frac) * 1000 : 0);
    return neg ? -ms : ms;
  }
  return undefined;
}

const KQL_TIMESPAN_LITERAL = /^\d+(\.\d+)?(d|h|m|s|ms|microsecond|microseconds|tick|ticks)$/;

/** Whether `text` is a non-negative KQL timespan literal that can stand bare in query text (`30m`, `1.5h`, `100ms`). */
export function isKqlTimespanLiteral(text: string): boolean {
  return KQL_TIMESPAN_LITERAL.test(text);
}

/* ------------------------------------------------------------------ format */

/** Canonical ISO 8601 of a span: whole days as `P<n>D`, otherwise `[P<d>D]T<h>H<m>M<s>S`; `PT0S` for zero. */
export function isoFromMs(ms: number): string {
  const total = ms / 1000;
  if (total === 0) return 'PT0S';
  if (total % 86400 === 0) return `P${total / 86400}D`;
  const days = Math.floor(total / 86400);
  let rest = total - days * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return (days ? `P${days}D` : 'P') + 'T' + (h ? `${h}H` : '') + (m ? `${m}M` : '') + (s ? `${s}S` : '');
}

/** Bad duration text; the message names the field and suggests a fix. */
export class DurationError extends Error {
  override name = 'DurationError';
}

/** `5m` → `PT5M`, `1d` → `P1D`, `PT60M` → `PT1H`. Throws DurationError (field named) on anything else. */
export function toIsoDuration(text: string, field = 'duration'): string {
  const ms = parseDuration(text);
  if (ms === undefined) throw new DurationError(`${field}: ${durationProblem(text)}`);
  return isoFromMs(ms);
}

/** Canonical ISO 8601 when `value` is a duration string; the value unchanged otherwise. */
export function canonicalDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = parseDuration(value);
  return ms === undefined ? value : isoFromMs(ms);
}

/** Short human form of a span: `14d`, `2h`, `90m` → `1h 30m`, `1d 6h`. */
export function formatMs(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['m', MINUTE]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Math.round(rest / 1000)}s`);
  return parts.join(' ');
}

/** Worded form used in service messages: `5 minutes`, `14 days`, `24 hours`. */
export function describeMs(ms: number): string {
  if (ms % DAY === 0 && ms > DAY) return `${ms / DAY} days`;
  if (ms % HOUR === 0) return `${ms / HOUR} hour${ms === HOUR ? '' : 's'}`;
  return `${ms / MINUTE} minute${ms === MINUTE ? '' : 's'}`;
}

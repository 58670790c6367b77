/** Durations as written in rule YAML (`5m`, `6h`, `14d`) and their ISO 8601 / millisecond forms. */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

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

/** Human form of a millisecond span: `14d`, `2h`, `90m`, `1d 6h`. */
export function formatMs(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Math.round(rest / 1000)}s`);
  return parts.join(' ');
}

/** JSON Schema pattern of the rule YAML short form (`5m`, `6h`, `14d`). */
export const SHORT_DURATION_PATTERN = '^[1-9][0-9]*[mhd]$';

/**
 * JSON Schema pattern of the ISO 8601 durations we accept: weeks, days, hours, minutes, seconds.
 * Years and months (`P1Y`, `P1M`) are rejected on purpose: they have no fixed length, so the
 * repo, the plan diff and the service could disagree on what they mean. Write `P365D` instead.
 */
export const ISO_DURATION_PATTERN = '^P(?=\\d|T\\d)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$';

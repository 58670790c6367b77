/**
 * Durations: the Azure-Sentinel YAML short form (`5m`, `1h`, `14d`) and ISO 8601 (`PT5M`, `P1D`)
 * both map to one canonical ISO 8601 text, so `PT60M` on the server equals `1h` in the repo.
 */
import { durationMs, isoDurationMs } from '../../model/duration.ts';

/** Seconds in `text`, or undefined when it is neither short form nor a week/day/time ISO 8601 duration. */
export function durationSeconds(text: string): number | undefined {
  const t = text.trim();
  const ms = durationMs(t) ?? isoDurationMs(t.toUpperCase());
  return ms === undefined ? undefined : ms / 1000;
}

/** Canonical ISO 8601 for a number of seconds: whole days as `P<n>D`, otherwise `PT<h>H<m>M<s>S`. */
export function isoFromSeconds(total: number): string {
  if (total === 0) return 'PT0S';
  if (total % 86400 === 0) return `P${total / 86400}D`;
  const days = Math.floor(total / 86400);
  let rest = total - days * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return (
    (days ? `P${days}D` : 'P') + 'T' + (h ? `${h}H` : '') + (m ? `${m}M` : '') + (s ? `${s}S` : '')
  );
}

/** `5m` → `PT5M`, `1d` → `P1D`, `PT60M` → `PT1H`. Throws with a clear message on anything else. */
export function toIsoDuration(text: string, field = 'duration'): string {
  const seconds = durationSeconds(text);
  if (seconds === undefined) {
    throw new Error(`${field}: '${text}' is not a duration (use 5m, 1h, 1d or ISO 8601 such as PT5M)`);
  }
  return isoFromSeconds(seconds);
}

/** Canonical form when `value` is a duration string; the value unchanged otherwise. */
export function canonicalDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const seconds = durationSeconds(value);
  return seconds === undefined ? value : isoFromSeconds(seconds);
}

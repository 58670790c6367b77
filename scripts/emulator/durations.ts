/** ISO 8601 durations as the SecurityInsights service accepts them (days, hours, minutes, seconds; weeks). */
import { isoDurationMs } from '../model/duration.ts';

/** Milliseconds of an ISO 8601 duration, or undefined when it is not one (years/months are ambiguous: rejected). */
export const parseDuration = isoDurationMs;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Human form used in messages: 5 minutes, 14 days, 24 hours. */
export function describeDuration(ms: number): string {
  if (ms % DAY === 0 && ms > DAY) return `${ms / DAY} days`;
  if (ms % HOUR === 0) return `${ms / HOUR} hour${ms === HOUR ? '' : 's'}`;
  return `${ms / MINUTE} minute${ms === MINUTE ? '' : 's'}`;
}

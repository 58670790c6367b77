import { describe, expect, it } from 'vitest';
import { durationMs, formatMs, isoDurationMs } from '../../scripts/model/duration.ts';

describe('durations', () => {
  it('parses rule durations', () => {
    expect(durationMs('5m')).toBe(300_000);
    expect(durationMs('6h')).toBe(21_600_000);
    expect(durationMs('14d')).toBe(1_209_600_000);
    expect(durationMs('0m')).toBeUndefined();
    expect(durationMs('5 minutes')).toBeUndefined();
  });
  it('parses ISO 8601 durations', () => {
    expect(isoDurationMs('PT5H')).toBe(18_000_000);
    expect(isoDurationMs('P1DT2H30M')).toBe(95_400_000);
    expect(isoDurationMs('P')).toBeUndefined();
    expect(isoDurationMs('5m')).toBeUndefined();
    expect(isoDurationMs('P2W')).toBe(1_209_600_000);
  });
  it('formats spans', () => {
    expect(formatMs(2 * 86_400_000)).toBe('2d');
    expect(formatMs(86_400_000 + 6 * 3_600_000)).toBe('1d 6h');
    expect(formatMs(90 * 60_000)).toBe('1h 30m');
  });
});

import { describe, expect, it } from 'vitest';
import {
  canonicalDuration, describeMs, durationMs, durationProblem, formatMs, isKqlTimespanLiteral, isoDurationMs, isoFromMs,
  ISO_DURATION_PATTERN, kqlTimespanMs, parseDuration, SHORT_DURATION_PATTERN, toIsoDuration,
} from '../../scripts/model/duration.ts';

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
    expect(isoDurationMs('PT0.5S')).toBe(500);
    for (const bad of ['P1M', 'P1Y', '1h', 'P', 'PT', 'PT5', '']) expect(isoDurationMs(bad)).toBeUndefined();
  });
  it('parses either form, ISO case-insensitively', () => {
    expect(parseDuration(' 1h ')).toBe(3_600_000);
    expect(parseDuration('p1d')).toBe(86_400_000);
    expect(parseDuration('P1Y')).toBeUndefined();
  });
  it('the JSON Schema patterns agree with the parsers', () => {
    const short = new RegExp(SHORT_DURATION_PATTERN);
    const iso = new RegExp(ISO_DURATION_PATTERN);
    for (const t of ['5m', '6h', '14d', '0m', '5 minutes', '1s']) expect(short.test(t)).toBe(durationMs(t) !== undefined);
    for (const t of ['PT5M', 'P1D', 'P2W', 'P1DT2H', 'PT0.5S', 'P', 'PT', 'P1Y', 'P1M', 'P1Y2D', 'PT5']) {
      expect(iso.test(t), t).toBe(isoDurationMs(t) !== undefined);
    }
  });
  it('rejects years and months with a suggestion in days', () => {
    expect(durationProblem('P1Y')).toMatch(/years, which have no fixed length.*P365D/);
    expect(durationProblem('P2M')).toMatch(/months.*P60D/);
    expect(durationProblem('P1Y1M')).toMatch(/P395D/);
    expect(durationProblem('soon')).toMatch(/'soon' is not a duration/);
    expect(durationProblem('P14D')).toBeUndefined();
  });
  it('maps the YAML short form and ISO 8601 to one canonical ISO form', () => {
    expect(toIsoDuration('5m')).toBe('PT5M');
    expect(toIsoDuration('1d')).toBe('P1D');
    expect(toIsoDuration('14d')).toBe('P14D');
    expect(toIsoDuration('90m')).toBe('PT1H30M');
    expect(toIsoDuration('PT60M')).toBe('PT1H');
    expect(toIsoDuration('PT24H')).toBe('P1D');
    expect(isoFromMs((86400 + 3600) * 1000)).toBe('P1DT1H');
    expect(isoFromMs(0)).toBe('PT0S');
    expect(canonicalDuration('P7D')).toBe('P7D');
    expect(canonicalDuration('P1W')).toBe('P7D');
    expect(canonicalDuration('P1Y')).toBe('P1Y');
    expect(canonicalDuration(5)).toBe(5);
  });
  it('rejects what is not a duration with a message naming the field', () => {
    expect(() => toIsoDuration('soon', 'queryPeriod')).toThrow(/queryPeriod: 'soon' is not a duration/);
    expect(() => toIsoDuration('P1Y', 'defaultDuration')).toThrow(/defaultDuration: 'P1Y' uses years.*P365D/);
  });
  it('parses KQL timespans', () => {
    expect(kqlTimespanMs('30s')).toBe(30_000);
    expect(kqlTimespanMs('1.5h')).toBe(5_400_000);
    expect(kqlTimespanMs('100ms')).toBe(100);
    expect(kqlTimespanMs('2d')).toBe(172_800_000);
    expect(kqlTimespanMs('-10m')).toBe(-600_000);
    expect(kqlTimespanMs('1tick')).toBeCloseTo(0.0001);
    expect(kqlTimespanMs('1.02:03:04.5')).toBe(((26 * 60 + 3) * 60 + 4.5) * 1000);
    expect(kqlTimespanMs('5 parsecs')).toBeUndefined();
    expect(isKqlTimespanLiteral('1.5h')).toBe(true);
    expect(isKqlTimespanLiteral('-1h')).toBe(false);
    expect(isKqlTimespanLiteral('1 h')).toBe(false);
  });
  it('formats spans', () => {
    expect(formatMs(2 * 86_400_000)).toBe('2d');
    expect(formatMs(86_400_000 + 6 * 3_600_000)).toBe('1d 6h');
    expect(formatMs(90 * 60_000)).toBe('1h 30m');
    expect(describeMs(14 * 86_400_000)).toBe('14 days');
    expect(describeMs(3_600_000)).toBe('1 hour');
    expect(describeMs(5 * 60_000)).toBe('5 minutes');
  });
});

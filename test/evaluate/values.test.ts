/** Value semantics of the evaluator (scripts/evaluate/values.ts): parsing, printing, conversions, comparison, keys. */
import { describe, expect, it } from 'vitest';
import {
  Timespan, castTo, coerce, compareValues, formatDateTime, formatTimespan, parseDateTime, parseTimespan, toBool, toJson, toStr, typeOfValue, valueKey, valuesEqual,
} from '../../scripts/evaluate/values.ts';

describe('datetimes', () => {
  it('parses ISO 8601 with fractions and offsets, and RFC 822', () => {
    expect(parseDateTime('2026-03-10T10:00:00.5+01:00')?.toISOString()).toBe('2026-03-10T09:00:00.500Z');
    expect(parseDateTime('Sat, 8 Nov 2014 15:05:02 GMT')?.toISOString()).toBe('2014-11-08T15:05:02.000Z');
    expect(parseDateTime('12345')).toBeNull();
    expect(parseDateTime('')).toBeNull();
  });
  it('prints seven fractional digits only when there is a sub-second part', () => {
    expect(formatDateTime(new Date('2026-03-10T10:00:00Z'))).toBe('2026-03-10T10:00:00Z');
    expect(formatDateTime(new Date('2026-03-10T10:00:00.25Z'))).toBe('2026-03-10T10:00:00.2500000Z');
  });
});

describe('timespans', () => {
  it('parses unit literals and the clock form', () => {
    expect(parseTimespan('2.5h')?.ms).toBe(9_000_000);
    expect(parseTimespan('100ms')?.ms).toBe(100);
    expect(parseTimespan('-1.02:03:04.5')?.ms).toBe(-(((24 + 2) * 60 + 3) * 60_000 + 4500));
    expect(parseTimespan('3 fortnights')).toBeNull();
  });
  it('prints [-][d.]hh:mm:ss[.fffffff]', () => {
    expect(formatTimespan(new Timespan(90_061_000))).toBe('1.01:01:01');
    expect(formatTimespan(new Timespan(-1500))).toBe('-00:00:01.5000000');
  });
});

describe('conversions', () => {
  it('tostring: null is empty, dynamics are compact JSON with datetimes as text', () => {
    expect(toStr(null)).toBe('');
    expect(toStr({ a: [1, new Date('2026-01-01T00:00:00Z')] })).toBe('{"a":[1,"2026-01-01T00:00:00Z"]}');
    expect(toJson(new Timespan(60_000))).toBe('00:01:00');
  });
  it('coerce fills columns by type; castTo only keeps conforming values', () => {
    expect(coerce('42', 'long')).toBe(42);
    expect(coerce('{"x":1}', 'dynamic')).toEqual({ x: 1 });
    expect(coerce(undefined, 'string')).toBe('');
    expect(toBool('true')).toBe(true);
    expect(castTo('42', 'long')).toBeNull();
    expect(castTo(42, 'long')).toBe(42);
    expect(castTo('2026-01-01T00:00:00Z', 'datetime')).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
  it('typeOfValue names runtime types', () => {
    expect([1, 1.5, 'a', true, null, [], new Timespan(1)].map(typeOfValue)).toEqual(['long', 'real', 'string', 'bool', 'dynamic', 'dynamic', 'timespan']);
  });
});

describe('comparison and keys', () => {
  it('equality is null with a null side and loose between dynamic text and typed values', () => {
    expect(valuesEqual(null, 1)).toBeNull();
    expect(valuesEqual('1', 1)).toBe(true);
    expect(valuesEqual('2026-01-01T00:00:00Z', new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });
  it('orders nulls first, numbers numerically, strings ordinally', () => {
    expect(compareValues(null, 0)).toBeLessThan(0);
    expect(compareValues(10, 9)).toBeGreaterThan(0);
    expect(compareValues('B', 'a')).toBeLessThan(0);
  });
  it('keys are type-aware: "1" and 1 group apart', () => {
    expect(valueKey('1')).not.toBe(valueKey(1));
    expect(valueKey(new Date(5))).toBe(valueKey(new Date(5)));
  });
});

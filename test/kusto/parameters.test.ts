import { describe, expect, it } from 'vitest';
import { ParameterError, substituteLets, toKqlLiteral } from '../../scripts/kusto/parameters.ts';

describe('toKqlLiteral', () => {
  it('renders each declared type as a KQL literal', () => {
    expect(toKqlLiteral('say "hi"\\now\n', 'string')).toBe('"say \\"hi\\"\\\\now\\n"');
    expect(toKqlLiteral(5, 'long')).toBe('5');
    expect(toKqlLiteral('12', 'long')).toBe('12');
    expect(toKqlLiteral(7, 'int')).toBe('int(7)');
    expect(toKqlLiteral(0.5, 'real')).toBe('real(0.5)');
    expect(toKqlLiteral(false, 'bool')).toBe('false');
    expect(toKqlLiteral('14d', 'timespan')).toBe('14d');
    expect(toKqlLiteral('2024-05-01T00:00:00Z', 'datetime')).toBe('datetime(2024-05-01T00:00:00Z)');
    expect(toKqlLiteral('0b5f1c8e-9a39-4e38-9f5e-2d1f4a3b6c7d', 'guid')).toBe('guid(0b5f1c8e-9a39-4e38-9f5e-2d1f4a3b6c7d)');
    expect(toKqlLiteral(['192.0.2.0/24', 'x'], 'dynamic')).toBe('dynamic(["192.0.2.0/24","x"])');
  });
  it('rejects values that do not fit the type with a one-line reason', () => {
    expect(() => toKqlLiteral('5x', 'long')).toThrow(new ParameterError('"5x" is not a valid long parameter value (expected a whole number)'));
    expect(() => toKqlLiteral(3_000_000_000, 'int')).toThrow('out of the 32-bit int range');
    expect(() => toKqlLiteral('2 days', 'timespan')).toThrow(
      '"2 days" is not a valid timespan parameter value (expected a duration such as 30m, 6h or 14d)',
    );
    expect(() => toKqlLiteral('yes', 'bool')).toThrow('expected true or false');
    expect(() => toKqlLiteral(1, 'string')).toThrow('expected text');
    expect(() => toKqlLiteral('2024-13-45', 'datetime')).toThrow('expected an ISO 8601 date');
    expect(() => toKqlLiteral('not-a-guid', 'guid')).toThrow('expected a GUID');
  });
});

describe('substituteLets', () => {
  const query = [
    'let threshold = 5;',
    'let lookback = 1d; // default',
    'let trusted = dynamic(["192.0.2.0/24"]);',
    'AuditLogs',
    '| where TimeGenerated > ago(lookback)',
    '| extend threshold = 1  // a column, not the let',
    '| summarize n = count() by OperationName',
    '| where n > threshold',
  ].join('\n');

  it('replaces only the value expressions of the named top-level lets', () => {
    const out = substituteLets(query, { threshold: '20', trusted: toKqlLiteral(['10.0.0.0/8'], 'dynamic') });
    expect(out).toBe(
      query.replace('let threshold = 5;', 'let threshold = 20;').replace('dynamic(["192.0.2.0/24"])', 'dynamic(["10.0.0.0/8"])'),
    );
  });
  it('keeps comments and layout around the value', () => {
    expect(substituteLets(query, { lookback: '14d' }).split('\n')[1]).toBe('let lookback = 14d; // default');
  });
  it('returns the query unchanged with no values', () => {
    expect(substituteLets(query, {})).toBe(query);
  });
  it('ignores lets nested inside expressions and reports unknown names', () => {
    const nested = 'let f = () { let inner = 1; AuditLogs | take inner };\nf()';
    expect(() => substituteLets(nested, { inner: '2' })).toThrow(
      new ParameterError("parameter 'inner' has no top-level 'let inner = …;' in the query (the query declares: f)"),
    );
    expect(() => substituteLets('AuditLogs | take 1', { n: '2' })).toThrow('the query declares no top-level let');
  });
});

/** Evaluator behaviour beyond the documented examples: data typing, watchlists, saved functions, errors. */
import { describe, expect, it } from 'vitest';
import { EvaluationError, evaluateQuery } from '../../scripts/evaluate/evaluate.ts';

const now = new Date('2026-03-10T10:00:00Z');

describe('fixture tables typed by the catalogue', () => {
  it('coerces ISO datetimes, JSON-text dynamics and fills missing columns (strings empty, others null)', () => {
    const r = evaluateQuery(
      `SigninLogs | project TimeGenerated, UserPrincipalName, LocationDetails, City = tostring(LocationDetails.city), Status, ResultType, Age = now() - TimeGenerated`,
      { now, tables: { SigninLogs: [{ TimeGenerated: '2026-03-10T09:00:00Z', LocationDetails: '{"city":"Oslo"}', ResultType: 0 }] } },
    );
    const type = Object.fromEntries(r.columns.map((c) => [c.name, c.type]));
    expect(type.TimeGenerated).toBe('datetime');
    expect(r.rows).toEqual([['2026-03-10T09:00:00Z', '', { city: 'Oslo' }, 'Oslo', null, '0', '01:00:00']]);
  });

  it('keeps YAML maps and lists as dynamic values', () => {
    const r = evaluateQuery(`AuditLogs | mv-expand TargetResources | project Name = tostring(TargetResources.displayName), Upn = tostring(InitiatedBy.user.userPrincipalName)`, {
      now,
      tables: { AuditLogs: [{ InitiatedBy: { user: { userPrincipalName: 'a@x' } }, TargetResources: [{ displayName: 'one' }, { displayName: 'two' }] }] },
    });
    expect(r.rows).toEqual([['one', 'a@x'], ['two', 'a@x']]);
  });

  it('rejects a fixture column the catalogue does not know', () => {
    expect(() => evaluateQuery('SigninLogs | count', { now, tables: { SigninLogs: [{ NoSuchColumn: 1 }] } })).toThrow('table SigninLogs has no column NoSuchColumn');
  });

  it('types a table that is not in the catalogue from its values', () => {
    const r = evaluateQuery('MyTable | where n > 1 | project s, n', { now, tables: { MyTable: [{ s: 'a', n: 1 }, { s: 'b', n: 2 }] } });
    expect(r.columns).toEqual([{ name: 's', type: 'string' }, { name: 'n', type: 'long' }]);
    expect(r.rows).toEqual([['b', 2]]);
  });

  it('types ISO 8601 text in a table outside the catalogue as datetime', () => {
    const r = evaluateQuery('Custom | where T > ago(1h) | project T, n', { now, tables: { Custom: [{ T: '2026-03-10T09:30:00Z', n: 1 }, { T: '2026-03-10T08:00:00Z', n: 2 }] } });
    expect(r.columns[0]).toEqual({ name: 'T', type: 'datetime' });
    expect(r.rows).toEqual([['2026-03-10T09:30:00Z', 1]]);
  });

  it('reads an empty catalogue table as zero rows with its schema', () => {
    const r = evaluateQuery('AuditLogs | where TimeGenerated > ago(1h) | count', { now, tables: {} });
    expect(r.rows).toEqual([[0]]);
  });
});

describe('watchlists and saved functions', () => {
  const watchlists = { NetworkAllowlist: { columns: ['IPOrRange', 'Description'], searchKey: 'IPOrRange', items: [{ IPOrRange: '192.0.2.0/24', Description: 'office' }] } };

  it('serves _GetWatchlist(alias) from the given items', () => {
    const r = evaluateQuery(`_GetWatchlist('NetworkAllowlist') | project SearchKey, IPOrRange, Description, Item = WatchlistItem`, { now, tables: {}, watchlists });
    expect(r.rows).toEqual([['192.0.2.0/24', '192.0.2.0/24', 'office', { IPOrRange: '192.0.2.0/24', Description: 'office' }]]);
  });

  it('an alias without items is an empty table', () => {
    const r = evaluateQuery(`_GetWatchlist('Other') | count`, { now, tables: {}, watchlists: { ...watchlists, Other: { columns: ['Upn'], items: [] } } });
    expect(r.rows).toEqual([[0]]);
  });

  it('an alias no watchlist defines is the validator\'s error, at the alias', () => {
    const q = `_GetWatchlist('Other') | count`;
    expect(() => evaluateQuery(q, { now, tables: {}, watchlists })).toThrow("KQL-UNKNOWN-WATCHLIST: Unknown watchlist alias 'Other'; known aliases: NetworkAllowlist");
    expect(() => evaluateQuery(q, { now, tables: {}, watchlists })).toThrow(expect.objectContaining({ offset: q.indexOf("'Other'") }));
  });

  it('evaluates calls to a saved function that reads a watchlist', () => {
    const functions = [
      { name: 'IsTrustedIp', parameters: '(ip:string)', body: `let ranges = toscalar(_GetWatchlist('NetworkAllowlist') | summarize make_list(IPOrRange)); ipv4_is_in_any_range(ip, ranges)` },
    ];
    const r = evaluateQuery(`datatable(IPAddress:string)['192.0.2.7', '203.0.113.9'] | extend Trusted = IsTrustedIp(IPAddress)`, { now, tables: {}, watchlists, functions });
    expect(r.rows).toEqual([['192.0.2.7', true], ['203.0.113.9', false]]);
  });

  it('evaluates a saved tabular function with a tabular parameter', () => {
    const functions = [{ name: 'Untrusted', parameters: '(T:(IPAddress:string))', body: `T | where not(ipv4_is_in_any_range(IPAddress, '192.0.2.0/24'))` }];
    const r = evaluateQuery(`Untrusted(datatable(IPAddress:string, n:long)['192.0.2.1', 1, '198.51.100.1', 2])`, { now, tables: {}, functions });
    expect(r.rows).toEqual([['198.51.100.1', 2]]);
  });
});

describe('errors', () => {
  it('reports an unsupported operator with line:col', () => {
    try {
      evaluateQuery('print s = "a"\n| sample 1', { now, tables: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EvaluationError);
      const err = e as EvaluationError;
      expect(err.message).toBe('not supported by the local evaluator: sample (SampleOperator) at 2:3');
      expect([err.line, err.col, err.offset]).toEqual([2, 3, 16]);
    }
  });

  it('reports an unsupported function inside a let lambda at the call site', () => {
    expect(() => evaluateQuery('let f = (x:long) { gamma(x) };\nprint f(1)', { now, tables: {} })).toThrow(
      'not supported by the local evaluator: function gamma() in the body of f() at 2:7',
    );
  });

  it('reports semantic errors from the analyzer with the Kusto code', () => {
    expect(() => evaluateQuery('SigninLogs | where NoSuchColumn == 1', { now, tables: {} })).toThrow(/^KS142: .*NoSuchColumn/);
  });
});

describe('semantics details', () => {
  it('now() is pinned per query', () => {
    expect(evaluateQuery('print now(), ago(1d)', { now, tables: {} }).rows).toEqual([['2026-03-10T10:00:00Z', '2026-03-09T10:00:00Z']]);
  });

  it('matches regex uses the JS engine with RE2 inline flags translated', () => {
    expect(evaluateQuery(`print a = "SVC-deploy" matches regex @"(?i)^svc-", b = "x" matches regex @"\\Ax\\z"`, { now, tables: {} }).rows).toEqual([[true, true]]);
  });

  it('in with a let-bound tabular list; has_any matches whole terms ("certificate" is not a term of "Certificates")', () => {
    const r = evaluateQuery(
      `let bad = datatable(op:string)['Add member', 'Add owner']; let words = dynamic(['secrets', 'certificate']); datatable(OperationName:string)['Add owner', 'Update application – Certificates and secrets management ', 'Delete'] | where OperationName in (bad) or OperationName has_any (words)`,
      { now, tables: {} },
    );
    expect(r.rows).toEqual([['Add owner'], ['Update application – Certificates and secrets management ']]);
  });
});

/**
 * Validation and the local evaluator share one Kusto world (scripts/kusto/globals.ts): a query
 * that validates runs with the same result columns, and `_GetWatchlist` is typed per alias in both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateQuery } from '../../scripts/evaluate/evaluate.ts';
import type { EvalContext } from '../../scripts/evaluate/evaluate.ts';
import { createKqlAnalyzer } from '../../scripts/validate/kql/analyzer.ts';
import type { KqlAnalyzer, KqlSchemaInput } from '../../scripts/validate/kql/analyzer.ts';

const schema: KqlSchemaInput = {
  watchlists: [
    { alias: 'NetworkAllowlist', columns: [{ name: 'IPOrRange', type: 'string' }, { name: 'Description', type: 'string' }] },
    { alias: 'VipUsers', columns: [{ name: 'UserPrincipalName', type: 'string' }, { name: 'Team', type: 'string' }] },
  ],
  functions: [{ name: 'VipUpns', parameters: '()', body: "{ _GetWatchlist('VipUsers') | project UserPrincipalName }" }],
};

const ctx: EvalContext = {
  now: new Date('2026-03-10T10:00:00Z'),
  tables: { SigninLogs: [{ TimeGenerated: '2026-03-10T09:00:00Z', UserPrincipalName: 'ceo@contoso.com', IPAddress: '198.51.100.7' }] },
  watchlists: {
    NetworkAllowlist: { columns: ['IPOrRange', 'Description'], searchKey: 'IPOrRange', items: [{ IPOrRange: '192.0.2.0/24', Description: 'office' }] },
    VipUsers: { columns: ['UserPrincipalName', 'Team'], searchKey: 'UserPrincipalName', items: [{ UserPrincipalName: 'ceo@contoso.com', Team: 'exec' }] },
  },
  functions: schema.functions!,
};

let kql: KqlAnalyzer;
beforeAll(() => {
  kql = createKqlAnalyzer(schema);
});

const errorsOf = (q: string) => kql.analyze(q, { lint: false }).diagnostics.filter((d) => d.severity === 'error');

describe('a query that validates runs in the evaluator with the same result columns', () => {
  const queries = [
    `SigninLogs | where TimeGenerated > ago(1d) | summarize n = count() by UserPrincipalName, bin(TimeGenerated, 1h)`,
    `_GetWatchlist('NetworkAllowlist')`,
    `_GetWatchlist('VipUsers')`,
    // Two watchlists with different columns in one query: each call keeps its alias's columns.
    `SigninLogs
     | where UserPrincipalName in (VipUpns)
     | extend Trusted = ipv4_is_in_any_range(IPAddress, toscalar(_GetWatchlist('NetworkAllowlist') | summarize make_list(IPOrRange)))
     | join kind=inner (_GetWatchlist('VipUsers') | project UserPrincipalName, Team) on UserPrincipalName
     | project UserPrincipalName, Team, IPAddress, Trusted`,
  ];
  for (const q of queries) {
    it(q.split('\n')[0]!, () => {
      const analysis = kql.analyze(q, { lint: false });
      expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const result = evaluateQuery(q, ctx);
      expect(result.columns).toEqual(analysis.resultColumns);
    });
  }

  it('the two-watchlist query computes its rows', () => {
    expect(evaluateQuery(queries[3]!, ctx).rows).toEqual([['ceo@contoso.com', 'exec', '198.51.100.7', false]]);
  });
});

describe('a column of the other watchlist is an error in both', () => {
  const cases = [
    { q: `_GetWatchlist('NetworkAllowlist') | project Team`, column: 'Team' },
    { q: `_GetWatchlist('VipUsers') | project IPOrRange`, column: 'IPOrRange' },
  ];
  for (const { q, column } of cases) {
    it(q, () => {
      const errors = errorsOf(q);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'KS142', start: q.lastIndexOf(column) });
      expect(() => evaluateQuery(q, ctx)).toThrow(expect.objectContaining({ offset: q.lastIndexOf(column), message: expect.stringContaining('KS142') }));
    });
  }

  it('an alias neither knows is the same error in both', () => {
    const q = `_GetWatchlist('Nope') | count`;
    const errors = errorsOf(q);
    expect(errors.map((d) => d.code)).toEqual(['KQL-UNKNOWN-WATCHLIST']);
    expect(() => evaluateQuery(q, ctx)).toThrow(`KQL-UNKNOWN-WATCHLIST: ${errors[0]!.message}`);
  });
});

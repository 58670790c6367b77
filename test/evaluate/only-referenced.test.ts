/** A one-off query's global state holds only the names it reads: same answers, same errors. */
import { describe, expect, it } from 'vitest';
import { evaluateQuery, EvaluationError } from '../../scripts/evaluate/evaluate.ts';
import { resolveSchema } from '../../scripts/kusto/schema.ts';

const now = new Date('2026-01-01T12:00:00Z');
const tables = { SigninLogs: [{ TimeGenerated: '2026-01-01T11:00:00Z', ResultType: '50126', UserPrincipalName: 'a@b.c' }] };

describe('onlyReferenced', () => {
  it('gives the same result as the full global state', () => {
    const q = 'SigninLogs | where ResultType == "50126" | join kind=leftouter (AuditLogs | project Id) on $left.UserPrincipalName == $right.Id | project UserPrincipalName';
    expect(evaluateQuery(q, { now, tables, onlyReferenced: true })).toEqual(evaluateQuery(q, { now, tables }));
  });

  it('an unknown table or column is still an error at its position', () => {
    for (const q of ['SigninLog | take 1', 'SigninLogs | where ResultTyp == 1']) {
      const a = (() => { try { evaluateQuery(q, { now, tables, onlyReferenced: true }); } catch (e) { return (e as EvaluationError).message; } return 'no error'; })();
      const b = (() => { try { evaluateQuery(q, { now, tables }); } catch (e) { return (e as EvaluationError).message; } return 'no error'; })();
      expect(a).toBe(b);
      expect(a).toMatch(/KS\d+/);
    }
  });

  it('the schema keeps only the names asked for (saved functions and watchlists always)', () => {
    const r = resolveSchema({ watchlists: [{ alias: 'W', columns: [] }], functions: [{ name: 'F', parameters: '()', body: '{ print 1 }' }], only: ['SigninLogs', '_Im_Dns'] });
    expect([...r.tables.keys()]).toEqual(['SigninLogs']);
    expect([...r.tabularFunctions.keys()]).toEqual(['_Im_Dns']);
    expect([...r.savedFunctions.keys()]).toEqual(['F']);
    expect(r.watchlists.map((w) => w.alias)).toEqual(['W']);
  });
});

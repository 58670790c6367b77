/** Fact extraction from the analysed syntax tree (scripts/kusto/extract.ts), without the validator around it. */
import { describe, expect, it } from 'vitest';
import { loadKusto } from '../../scripts/kusto/bridge.ts';
import { loadCatalogue } from '../../scripts/kusto/catalogue.ts';
import { extractFacts } from '../../scripts/kusto/extract.ts';
import type { Facts } from '../../scripts/kusto/extract.ts';
import { buildGlobals } from '../../scripts/kusto/globals.ts';
import { indexTree } from '../../scripts/kusto/syntax.ts';

const schema = {
  watchlists: [{ alias: 'NetworkAllowlist', columns: [{ name: 'IPOrRange', type: 'string' as const }] }],
  functions: [{ name: 'Trusted', parameters: '()', body: "{ _GetWatchlist('NetworkAllowlist') }" }],
};
let globals: Kusto.Language.GlobalState | undefined;

function facts(query: string): Facts {
  const catalogue = loadCatalogue();
  globals ??= buildGlobals(schema);
  const root = loadKusto().Language.KustoCode.ParseAndAnalyze(query, globals)!.Syntax!;
  return extractFacts(root, indexTree(root), query, new Set(catalogue.keys()));
}

describe('extractFacts', () => {
  it('catalogue tables referenced (sorted, unique) and functions called, with or without parentheses', () => {
    const f = facts('union SigninLogs, AuditLogs, SigninLogs | where isnotempty(Trusted) | extend x = strlen("a")');
    expect(f.tables).toEqual(['AuditLogs', 'SigninLogs']);
    expect(f.functionsCalled).toEqual(expect.arrayContaining(['isnotempty', 'strlen', 'Trusted']));
  });
  it('watchlist aliases from literals and constant lets, with the span of the argument', () => {
    const q = "let wl = 'NetworkAllowlist';\n_GetWatchlist(wl) | join (_GetWatchlist('NetworkAllowlist')) on SearchKey";
    expect(facts(q).watchlistAliases).toEqual([
      { alias: 'NetworkAllowlist', start: q.indexOf('wl)'), length: 2 },
      { alias: 'NetworkAllowlist', start: q.indexOf("'NetworkAllowlist')"), length: 18 },
    ]);
  });
  it('top-level lets with name and value spans', () => {
    const q = 'let threshold = 5;\nlet lookback = 2d;\nSigninLogs | take threshold';
    expect(facts(q).lets).toEqual([
      { name: 'threshold', start: 4, length: 9, valueStart: 16, valueLength: 1, valueText: '5' },
      { name: 'lookback', start: 23, length: 8, valueStart: 34, valueLength: 2, valueText: '2d' },
    ]);
  });
  it('the largest constant ago() lookback', () => {
    const q = 'SigninLogs | where TimeGenerated > ago(1h) or TimeGenerated > ago(2d)';
    expect(facts(q).maxAgoLookback).toEqual({ ms: 2 * 86_400_000, start: q.indexOf('ago(2d)'), length: 7 });
    expect(facts('SigninLogs | take 1').maxAgoLookback).toBeNull();
  });
  it('search * and union * spans', () => {
    const q = 'search * | take 1';
    expect(facts(q).searchStar).toEqual([{ start: 0, length: 8 }]);
    expect(facts('search "x" | take 1').searchStar).toEqual([]);
  });
});

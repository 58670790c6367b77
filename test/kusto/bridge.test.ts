/**
 * The language service loads with the completion-only QueryGrammar deferred (scripts/kusto/bridge.ts):
 * ordinary queries parse and analyse without it, and the library's stack-safe path for very deep
 * queries, which does use the grammar, still gets the real one.
 */
import { describe, expect, it } from 'vitest';
import { loadKusto, toArray } from '../../scripts/kusto/bridge.ts';

describe('language service loading', () => {
  it('parses and analyses a query without building the query grammar', () => {
    const K = loadKusto();
    const code = K.Language.KustoCode.ParseAndAnalyze('print x = 1 | extend y = strcat("a", tostring(x))', K.Language.GlobalState.Default)!;
    expect(toArray(code.GetDiagnostics())).toEqual([]);
    expect((code as unknown as { Grammar: unknown }).Grammar).toBeNull();
  });

  it('parses a query nested deeper than the parser limit (300) through the real grammar', () => {
    const K = loadKusto();
    const depth = 350;
    const query = `print x = ${'('.repeat(depth)}1${')'.repeat(depth)} + 1`;
    const code = K.Language.KustoCode.ParseAndAnalyze(query, K.Language.GlobalState.Default)!;
    const errors = toArray<{ Severity: string }>(code.GetDiagnostics()).filter((d) => d.Severity === 'Error');
    expect(errors).toEqual([]);
    const S = K.Language.Syntax;
    expect(toArray(code.Syntax!.GetDescendants(S.PrintOperator))).toHaveLength(1);
  });
});

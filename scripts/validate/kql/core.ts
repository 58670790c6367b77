/**
 * One query through the language service: parse + bind against the globals, collect syntax,
 * semantic and (optionally) analyzer diagnostics, our own checks, the result schema and the
 * syntax-tree facts. Returns plain data; no caching here (see analyzer.ts).
 */
import { loadKusto, toArray } from '../../kusto/bridge.ts';
import { extractFacts } from '../../kusto/extract.ts';
import { indexTree } from '../../kusto/syntax.ts';
import { CODE_UNKNOWN_WATCHLIST, CODE_WATCHLIST_ALIAS, stringNumberComparisons, watchlistAliasChecks } from './our-checks.ts';
import type { KqlAnalysis, KqlDiagnostic, KqlSeverity } from '../../kusto/types.ts';

export interface CoreContext {
  globals: Kusto.Language.GlobalState;
  /** Every table the schema knows (catalogue and declared): the `tables` fact lists those a query reads. */
  knownTables: ReadonlySet<string>;
  watchlistAliases: readonly string[];
}

/** The service's message on one line with collapsed whitespace. */
export function cleanMessage(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Analyzer (lint) findings are always warnings; the service's own findings keep their level. */
function severityOf(serviceSeverity: string | null, lint: boolean): KqlSeverity {
  if (lint) return 'warning';
  if (serviceSeverity === 'Error') return 'error';
  if (serviceSeverity === 'Warning') return 'warning';
  return 'info';
}

function toDiagnostics(list: unknown, lint: boolean): KqlDiagnostic[] {
  return toArray<Kusto.Language.Diagnostic>(list).map((d) => ({
    start: d.Start,
    length: d.Length,
    severity: severityOf(d.Severity, lint),
    code: d.Code ?? 'KS000',
    message: cleanMessage(d.Message ?? ''),
  }));
}

/** True when `d` sits on the `_GetWatchlist` name whose argument `w` points at: `_GetWatchlist(` + arg. */
function onCallOf(d: KqlDiagnostic, w: KqlDiagnostic, query: string): boolean {
  const end = d.start + d.length;
  return end <= w.start && /^\s*\(\s*$/.test(query.slice(end, w.start));
}

/**
 * The language service's lint analyzers we run, by name (Kusto.Language.Editor.KustoAnalyzers).
 * Each is a walk of the whole tree (1-6 ms on a pack query), so only those that pay: the ones that
 * fired on 223 production Azure-Sentinel rules and this pack (contains, obsolete functions, join
 * without kind) and the correctness ones that matter in security queries (has with an IPv4 string,
 * a column shadowed by a variable, comparing with a null string, a called function whose body has
 * errors). Left out: analyzers for what
 * Log Analytics rules never do (materialized views, legacy partition, stdev of timespans) and
 * style advice that never fired there — about a third of the lint time (`npm run bench`).
 */
export const LINT_ANALYZERS = [
  'AvoidUsingContains', 'AvoidUsingObsoleteFunctions', 'AvoidJoinWithoutKind',
  'AvoidUsingHasWithIPv4Strings', 'ColumnHasSameNameAsVariable', 'AvoidUsingNullStringComparison', 'CalledFunctionHasErrors',
] as const;

function lintDiagnostics(K: typeof Kusto, code: Kusto.Language.KustoCode): KqlDiagnostic[] {
  const A = K.Language.Editor.KustoAnalyzers as unknown as Record<(typeof LINT_ANALYZERS)[number], Kusto.Language.Editor.KustoAnalyzer>;
  const list = new (System.Collections.Generic.List$1(K.Language.Diagnostic))() as unknown as System.Collections.Generic.List$1<Kusto.Language.Diagnostic>;
  const token = new K.Language.Utils.CancellationToken();
  for (const name of LINT_ANALYZERS) A[name].Analyze(code, list, token);
  return toDiagnostics(list, true);
}

export function analyzeCore(ctx: CoreContext, query: string, lint: boolean): KqlAnalysis {
  const K = loadKusto();
  const code = K.Language.KustoCode.ParseAndAnalyze(query, ctx.globals)!;
  const root = code.Syntax!;
  const service = toDiagnostics(code.GetDiagnostics(), false);
  const index = indexTree(root);
  const ours = [...watchlistAliasChecks(index, ctx.watchlistAliases), ...stringNumberComparisons(index, query)];
  const watchlistErrors = ours.filter((d) => d.code === CODE_UNKNOWN_WATCHLIST || d.code === CODE_WATCHLIST_ALIAS);
  const lints = lint ? lintDiagnostics(K, code) : [];
  // A bad alias also makes the service say "_GetWatchlist has errors in its definition": ours says it better.
  const filtered = [...service, ...lints].filter(
    (d) => !(d.message.includes("'_GetWatchlist'") && watchlistErrors.some((w) => onCallOf(d, w, query))),
  );
  const diagnostics = [...filtered, ...ours].sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
  const rt = code.ResultType;
  const resultColumns =
    rt instanceof K.Language.Symbols.TableSymbol
      ? toArray<Kusto.Language.Symbols.ColumnSymbol>(rt.Columns).map((c) => ({ name: c.Name ?? '', type: c.Type?.Name ?? 'unknown' }))
      : null;
  return { diagnostics, resultColumns, ...extractFacts(root, index, query, ctx.knownTables) };
}

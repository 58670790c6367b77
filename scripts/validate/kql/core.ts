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

export function analyzeCore(ctx: CoreContext, query: string, lint: boolean): KqlAnalysis {
  const K = loadKusto();
  const code = K.Language.KustoCode.ParseAndAnalyze(query, ctx.globals)!;
  const root = code.Syntax!;
  const service = toDiagnostics(code.GetDiagnostics(), false);
  const index = indexTree(root);
  const ours = [...watchlistAliasChecks(index, ctx.watchlistAliases), ...stringNumberComparisons(index, query)];
  const watchlistErrors = ours.filter((d) => d.code === CODE_UNKNOWN_WATCHLIST || d.code === CODE_WATCHLIST_ALIAS);
  const lints = lint ? toDiagnostics(new K.Language.Editor.KustoCodeService.ctor(code).GetAnalyzerDiagnostics(true), true) : [];
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

/**
 * Runs the KQL analyzer over every query in the content (rule queries, workbook queries) and maps
 * the language service's offsets back to file:line:col.
 */
import { diagAt, diagAtOffset } from '../model/diagnostics.ts';
import type { Diagnostic, Repo, WatchlistColumnType } from '../model/types.ts';
import { savedFunctionOf } from '../kusto/functions.ts';
import type { KqlAnalysis, KqlAnalyzer, KqlSchemaInput, KqlType } from './kql/analyzer.ts';
import { declaredKql, type DeclaredKql } from '../kusto/declared.ts';
import type { TableSchema } from '../kusto/types.ts';
import { closest } from '../model/suggest.ts';
import type { QuerySite } from '../content/query-sites.ts';

/** Watchlist column types as `_GetWatchlist()` returns them: Sentinel hands every cell back as text. */
const WATCHLIST_KQL_TYPE: Record<WatchlistColumnType, KqlType> = {
  string: 'string', ipOrRange: 'string', datetime: 'string', int: 'string', bool: 'string', email: 'string', guid: 'string',
};

/**
 * What the analyzer must know about the repo: its watchlists, its functions (`functions/`) and its
 * declared tables and functions (`schemas/`; their findings are `declared.diagnostics`). A repo
 * function replaces a declared one of the same name, as a saved search does in the workspace.
 */
export function kqlSchemaOf(
  repo: Pick<Repo, 'watchlists'> & Partial<Pick<Repo, 'functions' | 'schemas'>>,
  declared: DeclaredKql = declaredKql(repo.schemas ?? { tables: [], functions: [] }),
): KqlSchemaInput {
  const functions = [...declared.functions, ...(repo.functions ?? []).map((f) => savedFunctionOf(f.fn))];
  return {
    watchlists: repo.watchlists.map((w) => ({
      alias: w.watchlist.alias,
      columns: w.watchlist.columns.map((c) => ({ name: c.name, type: WATCHLIST_KQL_TYPE[c.type] })),
    })),
    ...(declared.tables.length ? { tables: declared.tables } : {}),
    ...(declared.tabularFunctions.length ? { tabularFunctions: declared.tabularFunctions } : {}),
    ...(functions.length ? { functions } : {}),
  };
}

const UNKNOWN_NAME = /^The name '([^']+)' does not refer to any known column/;

/**
 * For an unknown column, the closest column of the tables the query reads (or of its output):
 * most unknown names are typos of a real column.
 */
export function suggestColumn(message: string, analysis: KqlAnalysis, tables: ReadonlyMap<string, TableSchema>): string {
  const name = UNKNOWN_NAME.exec(message)?.[1];
  if (!name) return message;
  const candidates = new Set([
    ...analysis.tables.flatMap((t) => tables.get(t)?.columns.map((c) => c.name) ?? []),
    ...(analysis.resultColumns ?? []).map((c) => c.name),
  ]);
  const guess = closest(name, [...candidates]);
  return guess && guess !== name ? `${message.replace(/\.$/, '')} (did you mean '${guess}'?)` : message;
}

/**
 * AzureDiagnostics (legacy "Azure diagnostics" mode) has no fixed column set: each resource type
 * adds its own columns, named with a type suffix (`_s` string, `_d` number, `_g` guid, `_b` bool,
 * `_t` datetime) — "AzureDiagnostics" in the Azure Monitor table reference and "Azure resource logs:
 * collection mode". The catalogue lists the documented ones; another such column may well exist in
 * the workspace, so it is a warning that says how to make it checkable, not an error.
 */
const AZURE_DIAGNOSTICS = 'AzureDiagnostics';
const RESOURCE_SPECIFIC = /^[A-Za-z][\w]*_[sdgbt]$|^ResourceId$/;

function azureDiagnosticsColumn(raw: KqlAnalysis['diagnostics'][number], analysis: KqlAnalysis): string | undefined {
  if (raw.severity !== 'error' || !analysis.tables.includes(AZURE_DIAGNOSTICS)) return undefined;
  const name = UNKNOWN_NAME.exec(raw.message)?.[1];
  if (!name || !RESOURCE_SPECIFIC.test(name)) return undefined;
  return `'${name}' is not among the documented AzureDiagnostics columns; resource types add their own (suffix _s, _d, _g, _b, _t), so it may exist in the workspace — declare it in schemas/tables/AzureDiagnostics.yaml (or pull the workspace schema) to have it checked`;
}

/** Analyzer findings of one query as file diagnostics. */
export function kqlDiagnostics(site: QuerySite, analysis: KqlAnalysis, tables: ReadonlyMap<string, TableSchema>): Diagnostic[] {
  const map = site.toValueOffset ?? ((o: number) => o);
  return analysis.diagnostics.map((raw) => {
    const open = azureDiagnosticsColumn(raw, analysis);
    const d = open
      ? { ...raw, severity: 'warning' as const, code: 'KQL-AZDIAG-COLUMN', message: open }
      : { ...raw, message: suggestColumn(raw.message, analysis, tables) };
    if (d.start < 0) return diagAt(site.source, site.path, d.severity, `kql/${d.code}`, d.message);
    const start = map(d.start);
    const end = map(d.start + d.length);
    return diagAtOffset(site.source, site.path, start, end - start, d.severity, `kql/${d.code}`, d.message);
  });
}

export interface KqlRun {
  diagnostics: Diagnostic[];
  /** Analysis per rule file, for the cross-checks. */
  byRuleFile: Map<string, KqlAnalysis>;
  /** Analysis of each function body, by function file. */
  byFunctionFile: Map<string, KqlAnalysis>;
}

/** Analyses the chosen sites (all when `only` is absent). */
export async function runKql(analyzer: KqlAnalyzer, sites: QuerySite[], workers: number): Promise<KqlRun> {
  const analyses = await analyzer.analyzeMany(sites.map((s) => s.query), { workers });
  const run: KqlRun = { diagnostics: [], byRuleFile: new Map(), byFunctionFile: new Map() };
  sites.forEach((site, i) => {
    const a = analyses[i]!;
    run.diagnostics.push(...kqlDiagnostics(site, a, analyzer.tables));
    if (site.ruleFile) run.byRuleFile.set(site.ruleFile, a);
    if (site.functionFile) run.byFunctionFile.set(site.functionFile, a);
  });
  return run;
}

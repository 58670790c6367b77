/**
 * Runs the KQL analyzer over every query in the content (rule queries, workbook queries) and maps
 * the language service's offsets back to file:line:col.
 */
import { diagAt, diagAtOffset } from '../model/diagnostics.ts';
import type { Diagnostic, NodePath, Repo, SourceFile, WatchlistColumnType } from '../model/types.ts';
import type { KqlAnalysis, KqlAnalyzer, KqlSchemaInput, KqlType } from './kql/analyzer.ts';
import { loadCatalogue } from '../kusto/catalogue.ts';
import { closest } from '../content/schema.ts';

/** Watchlist column types as `_GetWatchlist()` returns them: Sentinel hands every cell back as text. */
const WATCHLIST_KQL_TYPE: Record<WatchlistColumnType, KqlType> = {
  string: 'string', ipOrRange: 'string', datetime: 'string', int: 'string', bool: 'string', email: 'string', guid: 'string',
};

/** What the analyzer must know about the repo: its watchlists (and saved functions, when content has them). */
export function kqlSchemaOf(repo: Pick<Repo, 'watchlists'>): KqlSchemaInput {
  return {
    watchlists: repo.watchlists.map((w) => ({
      alias: w.watchlist.alias,
      columns: w.watchlist.columns.map((c) => ({ name: c.name, type: WATCHLIST_KQL_TYPE[c.type] })),
    })),
  };
}

/** One query somewhere in the content. */
export interface QuerySite {
  source: SourceFile;
  path: NodePath;
  /** The text the analyzer sees. */
  query: string;
  /** Maps an offset in `query` back to an offset in the YAML string value (identity when absent). */
  toValueOffset?: (offset: number) => number;
  /** Rule file this query belongs to, if any. */
  ruleFile?: string;
}

export function querySites(repo: Pick<Repo, 'rules' | 'workbooks'>): QuerySite[] {
  const sites: QuerySite[] = repo.rules.map((r) => ({ source: r.source, path: ['query'], query: r.rule.query, ruleFile: r.source.file }));
  for (const wb of repo.workbooks) {
    walkWorkbookItems(wb.workbook.template.items as unknown[], ['template', 'items'], (item, path) => {
      const content = (item as { content?: { query?: unknown; queryType?: unknown } }).content;
      if (typeof content?.query !== 'string' || (content.queryType !== undefined && content.queryType !== 0)) return;
      const { text, toValueOffset } = substituteWorkbookParameters(content.query);
      sites.push({ source: wb.source, path: [...path, 'content', 'query'], query: text, toValueOffset });
    });
  }
  return sites;
}

function walkWorkbookItems(items: unknown[] | undefined, path: NodePath, visit: (item: unknown, path: NodePath) => void): void {
  (items ?? []).forEach((item, i) => {
    const here = [...path, i];
    visit(item, here);
    const nested = (item as { content?: { items?: unknown[] } }).content?.items;
    if (Array.isArray(nested)) walkWorkbookItems(nested, [...here, 'content', 'items'], visit);
  });
}

/**
 * Workbook queries use `{Param}` tokens that the workbook expands before running the query.
 * Replace them with KQL of the right shape (`{TimeRange}` → a time filter, `{X:start}` → a datetime,
 * anything else → a string literal) and keep an offset map back to the original text.
 */
export function substituteWorkbookParameters(query: string): { text: string; toValueOffset: (offset: number) => number } {
  const segments: { newStart: number; oldStart: number; newLen: number; oldLen: number }[] = [];
  let text = '';
  let last = 0;
  for (const m of query.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g)) {
    const [token, name, fmt] = m;
    const at = m.index!;
    text += query.slice(last, at);
    const replacement = /timerange/i.test(name!) && !fmt ? '> ago(1d)'
      : fmt === 'start' || fmt === 'end' ? 'now()'
      : fmt === 'grain' ? '1h'
      : `"${name}"`;
    segments.push({ newStart: text.length, oldStart: at, newLen: replacement.length, oldLen: token.length });
    text += replacement;
    last = at + token.length;
  }
  text += query.slice(last);
  const toValueOffset = (offset: number): number => {
    let delta = 0;
    for (const s of segments) {
      if (offset < s.newStart) break;
      if (offset < s.newStart + s.newLen) return s.oldStart;
      delta = s.oldStart + s.oldLen - (s.newStart + s.newLen);
    }
    return offset + delta;
  };
  return { text, toValueOffset };
}

const UNKNOWN_NAME = /^The name '([^']+)' does not refer to any known column/;

/**
 * For an unknown column, the closest column of the tables the query reads (or of its output):
 * most unknown names are typos of a real column.
 */
export function suggestColumn(message: string, analysis: KqlAnalysis): string {
  const name = UNKNOWN_NAME.exec(message)?.[1];
  if (!name) return message;
  const catalogue = loadCatalogue();
  const candidates = new Set([
    ...analysis.tables.flatMap((t) => catalogue.get(t)?.columns.map((c) => c.name) ?? []),
    ...(analysis.resultColumns ?? []).map((c) => c.name),
  ]);
  const guess = closest(name, [...candidates]);
  return guess && guess !== name ? `${message.replace(/\.$/, '')} (did you mean '${guess}'?)` : message;
}

/** Analyzer findings of one query as file diagnostics. */
export function kqlDiagnostics(site: QuerySite, analysis: KqlAnalysis): Diagnostic[] {
  const map = site.toValueOffset ?? ((o: number) => o);
  return analysis.diagnostics.map((raw) => {
    const d = { ...raw, message: suggestColumn(raw.message, analysis) };
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
}

/** Analyses the chosen sites (all when `only` is absent). */
export async function runKql(analyzer: KqlAnalyzer, sites: QuerySite[], workers: number): Promise<KqlRun> {
  const analyses = await analyzer.analyzeMany(sites.map((s) => s.query), { workers });
  const run: KqlRun = { diagnostics: [], byRuleFile: new Map() };
  sites.forEach((site, i) => {
    const a = analyses[i]!;
    run.diagnostics.push(...kqlDiagnostics(site, a));
    if (site.ruleFile) run.byRuleFile.set(site.ruleFile, a);
  });
  return run;
}

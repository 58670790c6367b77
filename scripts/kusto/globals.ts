/**
 * Builds the language service's GlobalState for the Sentinel workspace: catalogue tables, the
 * repo's watchlists behind `_GetWatchlist`, Log Analytics-only functions and saved functions.
 * Built once per schema and reused for every query (`WithCache()` keeps bound symbols warm).
 */
import { loadKusto } from './bridge.ts';
import type { TableDef } from './catalogue.ts';
import type { KqlSchemaInput, WatchlistSchema } from './types.ts';

/** Name of the workspace database queries run against. */
export const WORKSPACE_DB = 'Sentinel';
/**
 * Hidden database holding one table per watchlist alias. `_GetWatchlist(alias)` resolves to
 * `database(WATCHLIST_DB).table(alias)`, which the service binds per call site, so each call is
 * typed by its own alias literal.
 */
export const WATCHLIST_DB = '__sentinel_watchlists';

/** Columns every `_GetWatchlist` result carries besides the watchlist's own columns. */
export const WATCHLIST_STANDARD_COLUMNS: readonly { name: string; type: string }[] = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
];

/** Functions Log Analytics adds on top of Kusto; they scope to (another) workspace, same tables. */
const LOG_ANALYTICS_FUNCTIONS: readonly { name: string; parameter: string; description: string }[] = [
  { name: 'workspace', parameter: 'name:string', description: 'Tables of another Log Analytics workspace.' },
  { name: 'app', parameter: 'name:string', description: 'Tables of an Application Insights resource.' },
  { name: 'resource', parameter: 'id:string', description: 'Records of one Azure resource.' },
];

function schemaText(columns: readonly { name: string; type: string }[]): string {
  return '(' + columns.map((c) => `['${c.name.replace(/'/g, "\\'")}']:${c.type}`).join(', ') + ')';
}

/** Columns `_GetWatchlist(alias)` returns for one watchlist (standard columns first). */
export function watchlistColumns(w: WatchlistSchema): { name: string; type: string }[] {
  const own = w.columns.filter((c) => !WATCHLIST_STANDARD_COLUMNS.some((s) => s.name === c.name));
  return [...WATCHLIST_STANDARD_COLUMNS, ...own];
}

export function buildGlobals(tables: Iterable<TableDef>, schema: KqlSchemaInput): Kusto.Language.GlobalState {
  const K = loadKusto();
  const S = K.Language.Symbols;
  const members: Kusto.Language.Symbols.Symbol[] = [];
  for (const t of tables) members.push(new S.TableSymbol.$ctor7(t.name, schemaText(t.columns), t.description));
  for (const f of LOG_ANALYTICS_FUNCTIONS) {
    members.push(new S.FunctionSymbol.$ctor16(f.name, `(${f.parameter})`, `{ database('${WORKSPACE_DB}') }`, f.description));
  }
  members.push(
    new S.FunctionSymbol.$ctor16(
      '_GetWatchlist',
      '(watchlistAlias:string)',
      `{ database('${WATCHLIST_DB}').table(watchlistAlias) }`,
      'Items of the Microsoft Sentinel watchlist with this alias.',
    ),
  );
  for (const f of schema.functions ?? []) {
    members.push(new S.FunctionSymbol.$ctor16(f.name, f.parameters, f.body, f.description ?? ''));
  }
  const watchlistTables = schema.watchlists.map(
    (w) => new S.TableSymbol.$ctor7(w.alias, schemaText(watchlistColumns(w)), `Watchlist ${w.alias}`),
  );
  const db = new S.DatabaseSymbol.ctor(WORKSPACE_DB, members);
  const wlDb = new S.DatabaseSymbol.ctor(WATCHLIST_DB, watchlistTables);
  const cluster = new S.ClusterSymbol.ctor('sentinel', [db, wlDb]);
  return K.Language.GlobalState.Default!.WithClusterList([cluster])!.WithDatabase(db)!.WithCache()!;
}

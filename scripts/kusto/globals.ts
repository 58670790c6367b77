/**
 * The one builder of the language service's GlobalState, used by validation and by the local
 * evaluator: catalogue (and any extra) tables, the repo's watchlists behind `_GetWatchlist` (typed
 * per alias), Log Analytics-only functions and saved functions. Built once per schema and reused
 * for every query (`WithCache()` keeps bound symbols warm).
 */
import { loadKusto } from './bridge.ts';
import type { FunctionDef } from './catalogue.ts';
import { resolveSchema } from './schema.ts';
import type { KqlSchemaInput, SavedFunction, TableSchema, WatchlistSchema } from './types.ts';

export type { TableSchema };

/** Name of the workspace database queries run against. */
export const WORKSPACE_DB = 'Sentinel';
/**
 * Hidden database holding one table per watchlist alias. `_GetWatchlist(alias)` resolves to
 * `database(WATCHLIST_DB).table(alias)`, which the service binds per call site, so each call is
 * typed by its own alias literal.
 */
export const WATCHLIST_DB = '__sentinel_watchlists';

/**
 * Hidden database holding one table per tabular function with declared output columns (the ASIM
 * parsers): `_Im_Dns(…)` resolves to `database(FUNCTION_RESULTS_DB).table('_Im_Dns')`, so callers see
 * the documented output columns and the parameters are checked by name and type.
 */
export const FUNCTION_RESULTS_DB = '__sentinel_function_results';

/** Columns every `_GetWatchlist` result carries before the watchlist's own columns (as Sentinel returns them). */
export const WATCHLIST_STANDARD_COLUMNS: readonly { name: string; type: string }[] = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
  { name: 'WatchlistItem', type: 'dynamic' },
];

/** Functions Log Analytics adds on top of Kusto; they scope to (another) workspace, same tables. */
export const LOG_ANALYTICS_FUNCTIONS: readonly { name: string; parameter: string; description: string }[] = [
  { name: 'workspace', parameter: 'name:string', description: 'Tables of another Log Analytics workspace.' },
  { name: 'app', parameter: 'name:string', description: 'Tables of an Application Insights resource.' },
  { name: 'resource', parameter: 'id:string', description: 'Records of one Azure resource.' },
];

/** `(['a']:string, ['b']:long)` — a table schema in the service's text form. */
export function schemaText(columns: readonly { name: string; type: string }[]): string {
  return '(' + columns.map((c) => `['${c.name.replace(/'/g, "\\'")}']:${c.type}`).join(', ') + ')';
}

/** Columns `_GetWatchlist(alias)` returns for one watchlist (standard columns first). */
export function watchlistColumns(w: WatchlistSchema): { name: string; type: string }[] {
  const own = w.columns.filter((c) => !WATCHLIST_STANDARD_COLUMNS.some((s) => s.name === c.name));
  return [...WATCHLIST_STANDARD_COLUMNS, ...own];
}

/** A saved function's parameter list and body as the service wants them: `(…)` and `{ … }`. */
function functionText(f: SavedFunction): { parameters: string; body: string } {
  const parameters = f.parameters.trim().startsWith('(') ? f.parameters.trim() : `(${f.parameters})`;
  const body = f.body.trim().startsWith('{') ? f.body.trim() : `{ ${f.body} }`;
  return { parameters, body };
}

/** `(starttime:datetime=datetime(null), srcipaddr:string='*')`: a declared function's parameter list in KQL. */
function tabularParameters(f: FunctionDef): string {
  return '(' + f.parameters.map((p) => `${p.name}:${p.type}${p.default !== undefined ? `=${p.default}` : ''}`).join(', ') + ')';
}

/** Table symbols by name, schema and description: building hundreds of them per schema is the expensive part. */
const tableSymbols = new Map<string, Kusto.Language.Symbols.TableSymbol>();

function tableSymbol(name: string, columns: readonly { name: string; type: string }[], description: string): Kusto.Language.Symbols.TableSymbol {
  const text = schemaText(columns);
  const key = `${name}\u0000${text}\u0000${description}`;
  let t = tableSymbols.get(key);
  if (!t) {
    t = columnTable(name, columns, description) ?? new (loadKusto().Language.Symbols.TableSymbol.$ctor7)(name, text, description);
    if (tableSymbols.size > 20_000) tableSymbols.clear();
    tableSymbols.set(key, t);
  }
  return t;
}

/**
 * A table symbol built from column symbols. The schema-text constructor parses `(a:string, …)` with
 * the Kusto parser for every table (≈ 0.7 s for the catalogue's 452 tables); column symbols of the
 * scalar types are the same symbols without the parse. Null when a type name is not a scalar type
 * the library knows (the caller then falls back to the schema text, which reports it).
 */
function columnTable(name: string, columns: readonly { name: string; type: string }[], description: string): Kusto.Language.Symbols.TableSymbol | null {
  const S = loadKusto().Language.Symbols;
  const symbols: Kusto.Language.Symbols.ColumnSymbol[] = [];
  for (const c of columns) {
    const type = S.ScalarTypes.GetSymbol(c.type);
    if (!type) return null;
    symbols.push(new S.ColumnSymbol(c.name, type, null, null, null, null));
  }
  // A JS array is a Bridge IEnumerable; the (name, columns, description) constructor avoids a With… copy.
  return new S.TableSymbol.$ctor6(name, symbols as unknown as System.Collections.Generic.IEnumerable$1<Kusto.Language.Symbols.ColumnSymbol>, description);
}

/**
 * The global state for `schema`: its resolved tables (kusto/schema.ts), the repo's watchlists,
 * saved functions and tabular functions (ASIM and declared) behind the hidden results database.
 */
export function buildGlobals(schema: KqlSchemaInput): Kusto.Language.GlobalState {
  const K = loadKusto();
  const S = K.Language.Symbols;
  const resolved = resolveSchema(schema);
  const members: Kusto.Language.Symbols.Symbol[] = [...resolved.tables.values()].map((t) => tableSymbol(t.name, t.columns, t.description ?? ''));
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
  for (const f of resolved.savedFunctions.values()) {
    const { parameters, body } = functionText(f);
    members.push(new S.FunctionSymbol.$ctor16(f.name, parameters, body, f.description ?? ''));
  }
  const resultTables: Kusto.Language.Symbols.TableSymbol[] = [];
  for (const f of resolved.tabularFunctions.values()) {
    members.push(new S.FunctionSymbol.$ctor16(f.name, tabularParameters(f), `{ database('${FUNCTION_RESULTS_DB}').table('${f.name}') }`, f.description));
    resultTables.push(tableSymbol(f.name, f.columns, f.description));
  }
  const watchlistTables = resolved.watchlists.map((w) => tableSymbol(w.alias, watchlistColumns(w), `Watchlist ${w.alias}`));
  const db = new S.DatabaseSymbol.ctor(WORKSPACE_DB, members);
  const wlDb = new S.DatabaseSymbol.ctor(WATCHLIST_DB, watchlistTables);
  const fnDb = new S.DatabaseSymbol.ctor(FUNCTION_RESULTS_DB, resultTables);
  const cluster = new S.ClusterSymbol.ctor('sentinel', [db, wlDb, fnDb]);
  return K.Language.GlobalState.Default!.WithClusterList([cluster])!.WithDatabase(db)!.WithCache()!;
}

/// <reference types="@kusto/language-service-next" />
/**
 * Builds the Kusto `GlobalState` the evaluator analyses queries against: catalogue tables, tables
 * that only exist in the test data (typed from their values), saved functions and `_GetWatchlist`.
 * Bridge types stay inside scripts/evaluate.
 */
import { loadKusto, toArray } from '../kusto/bridge.ts';
import { loadCatalogue } from '../kusto/catalogue.ts';
import type { Value } from './values.ts';
import { typeOfValue } from './values.ts';

export interface ColumnSpec {
  name: string;
  type: string;
}

export interface SavedFunction {
  name: string;
  /** Parameter list as written in Kusto, e.g. `(ip:string)` or `ip:string`. */
  parameters: string;
  /** Function body, with or without the enclosing braces. */
  body: string;
}

/** Columns `_GetWatchlist()` returns besides the item's own columns (as Sentinel does). */
export const watchlistSystemColumns: ColumnSpec[] = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
  { name: 'WatchlistItem', type: 'dynamic' },
];

export interface GlobalsSpec {
  /** Tables by name with their columns (catalogue tables need not be listed). */
  extraTables: Map<string, ColumnSpec[]>;
  functions: SavedFunction[];
  /** Union of the item columns of every watchlist (all typed string). */
  watchlistColumns: string[];
}

const quoteName = (n: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : `['${n.replace(/'/g, "\\'")}']`);
export const schemaText = (cols: ColumnSpec[]): string => `(${cols.map((c) => `${quoteName(c.name)}:${c.type}`).join(', ')})`;

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Column types of a table known only from data: first non-null value of each column decides. */
export function inferColumns(rows: Record<string, unknown>[]): ColumnSpec[] {
  const types = new Map<string, string>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (types.get(k) && types.get(k) !== 'dynamic') continue;
      if (v === null || v === undefined) {
        if (!types.has(k)) types.set(k, '');
        continue;
      }
      // ISO 8601 text in a table known only from data is taken as a datetime (fixture convention).
      types.set(k, typeof v === 'string' && isoDateTime.test(v) ? 'datetime' : typeOfValue(v as Value));
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type || 'string' }));
}

export function watchlistColumns(watchlistCols: string[]): ColumnSpec[] {
  const own = watchlistCols.filter((c) => !watchlistSystemColumns.some((s) => s.name === c));
  return [...watchlistSystemColumns, ...own.map((name) => ({ name, type: 'string' }))];
}

const cache = new Map<string, { globals: Kusto.Language.GlobalState; key: string }>();
const tableSymbols = new Map<string, Kusto.Language.Symbols.TableSymbol>();

function tableSymbol(K: typeof Kusto, name: string, cols: ColumnSpec[]): Kusto.Language.Symbols.TableSymbol {
  const key = name + schemaText(cols);
  let t = tableSymbols.get(key);
  if (!t) {
    t = new K.Language.Symbols.TableSymbol.$ctor7(name, schemaText(cols), '');
    tableSymbols.set(key, t);
  }
  return t;
}

/** The globals for `spec`, cached; `key` identifies them (for caching analyses). */
export function buildGlobals(spec: GlobalsSpec): { globals: Kusto.Language.GlobalState; key: string } {
  const key = JSON.stringify([[...spec.extraTables], spec.functions, spec.watchlistColumns]);
  const hit = cache.get(key);
  if (hit) return hit;
  const K = loadKusto();
  const S = K.Language.Symbols;
  const symbols: Kusto.Language.Symbols.Symbol[] = [];
  const catalogue = loadCatalogue();
  for (const def of catalogue.values()) {
    if (!spec.extraTables.has(def.name)) symbols.push(tableSymbol(K, def.name, def.columns));
  }
  for (const [name, cols] of spec.extraTables) symbols.push(tableSymbol(K, name, cols));
  const wl = schemaText(watchlistColumns(spec.watchlistColumns));
  symbols.push(new S.FunctionSymbol.$ctor16('_GetWatchlist', '(watchlistAlias:string)', `{ datatable${wl}[] }`, 'Sentinel watchlist items'));
  for (const f of spec.functions) {
    const params = f.parameters.trim().startsWith('(') ? f.parameters.trim() : `(${f.parameters})`;
    const body = f.body.trim().startsWith('{') ? f.body.trim() : `{ ${f.body} }`;
    symbols.push(new S.FunctionSymbol.$ctor16(f.name, params, body, ''));
  }
  const db = new S.DatabaseSymbol.ctor('local', symbols as never);
  const cluster = new S.ClusterSymbol.ctor('local', [db] as never);
  const globals = K.Language.GlobalState.Default!.WithClusterList([cluster] as never)!.WithDatabase(db)!.WithCache()!;
  if (cache.size > 50) cache.clear();
  const entry = { globals, key: String(cache.size) + ':' + key.length + ':' + hash(key) };
  cache.set(key, entry);
  return entry;
}

function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** Column name/type list of a Bridge TableSymbol. */
export function tableColumns(t: unknown): ColumnSpec[] {
  const cols = toArray<{ Name: string; Type: { Name: string } }>((t as { Columns: unknown }).Columns);
  return cols.map((c) => ({ name: c.Name, type: c.Type.Name }));
}

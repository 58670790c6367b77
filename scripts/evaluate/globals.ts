/**
 * The evaluator's view of the one Kusto world (scripts/kusto/globals.ts): the catalogue plus
 * tables that only exist in the test data (typed from their values), each watchlist typed by its
 * own columns, saved functions. Only the evaluator-specific bits live here: typing data-only tables
 * and caching the global state per input (rule tests run one query over many cases).
 */
import { buildGlobals } from '../kusto/globals.ts';
import type { KqlDeclarations, SavedFunction, TableSchema, WatchlistSchema } from '../kusto/types.ts';
import type { Value } from './values.ts';
import { typeOfValue } from './values.ts';

export type { SavedFunction } from '../kusto/types.ts';

export interface ColumnSpec {
  name: string;
  type: string;
}

export interface GlobalsSpec {
  /** Declared tables and functions beyond (or instead of) the catalogue, as validation sees them. */
  declared?: KqlDeclarations;
  /** Tables known only from test data, by name with their columns. */
  extraTables: Map<string, ColumnSpec[]>;
  functions: SavedFunction[];
  /** Each watchlist alias with its item columns (typed string, as Sentinel serves them). */
  watchlists: WatchlistSchema[];
  /** Only these tables and tabular functions (KqlSchemaInput.only). */
  only?: readonly string[];
}

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

const cache = new Map<string, { globals: Kusto.Language.GlobalState; key: string }>();
let built = 0;

/** The globals for `spec`, cached; `key` identifies them (for caching analyses). */
export function evaluatorGlobals(spec: GlobalsSpec): { globals: Kusto.Language.GlobalState; key: string } {
  const key = JSON.stringify([[...spec.extraTables], spec.functions, spec.watchlists, spec.declared ?? null, spec.only ?? null]);
  const hit = cache.get(key);
  if (hit) return hit;
  const tables: TableSchema[] = [...(spec.declared?.tables ?? [])];
  for (const [name, columns] of spec.extraTables) tables.push({ name, columns });
  const globals = buildGlobals({ ...spec.declared, tables, watchlists: spec.watchlists, functions: spec.functions, ...(spec.only ? { only: spec.only } : {}) });
  if (cache.size > 50) cache.clear();
  const entry = { globals, key: String(++built) };
  cache.set(key, entry);
  return entry;
}

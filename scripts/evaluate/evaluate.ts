/// <reference types="@kusto/language-service-next" />
/**
 * Public entry point of the local KQL evaluator: `evaluateQuery(query, ctx)`.
 *
 * The query is parsed and analysed by the real Kusto language service against the table catalogue
 * (plus tables present only in `ctx.tables`, the saved functions and `_GetWatchlist`); the analysed
 * tree is then interpreted over the given rows with `now()` pinned to `ctx.now`.
 */
import { loadKusto, toArray } from '../kusto/bridge.ts';
import { resolveSchema } from '../kusto/schema.ts';
import { ALL, referencedNames } from '../kusto/references.ts';
import { as, indexTree } from '../kusto/syntax.ts';
import type { KqlDeclarations, TableSchema, WatchlistSchema } from '../kusto/types.ts';
import { watchlistAliasChecks } from '../kusto/watchlists.ts';
import { EvaluationError, errorAt } from './errors.ts';
import type { ColumnSpec, SavedFunction } from './globals.ts';
import { evaluatorGlobals, inferColumns, type GlobalsSpec } from './globals.ts';
import type { Table } from './interpreter.ts';
import { Interpreter } from './interpreter.ts';
import type { Value } from './values.ts';
import { coerce, toJson } from './values.ts';

export { EvaluationError } from './errors.ts';
export type { SavedFunction } from './globals.ts';

/** A result table: column names/types and rows of plain JSON values (datetimes as ISO text). */
export interface EvalTable {
  columns: ColumnSpec[];
  rows: unknown[][];
}

/** Watchlist items, optionally with the watchlist's declared columns and search key. */
export interface WatchlistData {
  columns?: string[];
  searchKey?: string;
  items: Record<string, string>[];
}

export interface EvalContext {
  /** Pinned `now()`. */
  now: Date;
  /** Rows per table; catalogue tables are typed by the catalogue, others by their values. */
  tables: Record<string, Record<string, unknown>[]>;
  /** Watchlist items by alias, served by `_GetWatchlist('<alias>')`. */
  watchlists?: Record<string, Record<string, string>[] | WatchlistData>;
  /** Saved (workspace) functions the query may call. */
  functions?: SavedFunction[];
  /** Declared tables (and tabular functions) beyond the catalogue: fixture rows of those tables are typed by them. */
  declared?: KqlDeclarations;
  /**
   * Build the global state from only the tables and functions the query names (a one-off query:
   * `sentinel query`); rule suites share one global state across their queries instead.
   */
  onlyReferenced?: boolean;
}

const normalizeWatchlist = (w: Record<string, string>[] | WatchlistData): WatchlistData => (Array.isArray(w) ? { items: w } : w);

const tablesByDeclared = new WeakMap<KqlDeclarations, ReadonlyMap<string, TableSchema>>();

/** Every table fixtures may fill: the catalogue (unless left out) and the declared tables. */
export function knownTables(declared: KqlDeclarations = NO_DECLARATIONS): ReadonlyMap<string, TableSchema> {
  let t = tablesByDeclared.get(declared);
  if (!t) tablesByDeclared.set(declared, (t = resolveSchema({ ...declared, watchlists: [] }).tables));
  return t;
}
const NO_DECLARATIONS: KqlDeclarations = {};

/** Typed in-memory tables from fixture rows; values are coerced to the column types (catalogue or declared). */
export function buildTables(
  rowsByTable: Record<string, Record<string, unknown>[]>,
  declared: KqlDeclarations = NO_DECLARATIONS,
): { tables: Map<string, Table>; extra: Map<string, ColumnSpec[]> } {
  const catalogue = knownTables(declared);
  const tables = new Map<string, Table>();
  const extra = new Map<string, ColumnSpec[]>();
  for (const [name, rows] of Object.entries(rowsByTable)) {
    const def = catalogue.get(name);
    const columns: ColumnSpec[] = def ? def.columns.map((c) => ({ name: c.name, type: c.type })) : inferColumns(rows);
    if (!def) extra.set(name, columns);
    const known = new Set(columns.map((c) => c.name));
    const typed = rows.map((row, i) => {
      for (const k of Object.keys(row)) {
        if (!known.has(k)) throw new EvaluationError(`table ${name} has no column ${k} (row ${i + 1}); see the table catalogue`, 0, 1, 1);
      }
      return columns.map((c) => {
        const v = coerce(row[c.name], c.type);
        return v === null && c.type === 'string' ? '' : v;
      });
    });
    tables.set(name, { columns, rows: typed });
  }
  return { tables, extra };
}

function watchlistTable(alias: string, data: WatchlistData | undefined, columns: ColumnSpec[], now: Date): Table {
  const items = data?.items ?? [];
  const rows = items.map((item, i) =>
    columns.map((c): Value => {
      switch (c.name) {
        case '_DTItemId':
          return `${alias}-${i + 1}`;
        case 'LastUpdatedTimeUTC':
          return now;
        case 'SearchKey':
          return data?.searchKey ? item[data.searchKey] ?? '' : Object.values(item)[0] ?? '';
        case 'WatchlistItem':
          return { ...item };
        default:
          return coerce(item[c.name] ?? '', c.type);
      }
    }),
  );
  return { columns, rows };
}

/** Analysed queries by globals key and text: rule tests run one query over many cases. */
const analyses = new Map<string, Kusto.Language.KustoCode>();

function analyse(K: typeof Kusto, query: string, globals: Kusto.Language.GlobalState, globalsKey: string): Kusto.Language.KustoCode {
  const key = globalsKey + '\u0000' + query;
  let code = analyses.get(key);
  if (!code) {
    code = K.Language.KustoCode.ParseAndAnalyze(query, globals)!;
    if (analyses.size >= 64) analyses.delete(analyses.keys().next().value!);
    analyses.set(key, code);
  }
  return code;
}

/** Runs `query` and returns its result; throws `EvaluationError` (message, offset, line, col). */
export function evaluateQuery(query: string, ctx: EvalContext): EvalTable {
  const result = evaluateToTable(query, ctx);
  return { columns: result.columns, rows: result.rows.map((r) => r.map((v) => toJson(v))) };
}

/** Each watchlist typed as validation types it: its declared columns and any item keys, all strings. */
function watchlistSchemas(watchlists: Map<string, WatchlistData>): WatchlistSchema[] {
  return [...watchlists].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([alias, w]) => {
    const names = new Set(w.columns ?? []);
    for (const item of w.items) for (const c of Object.keys(item)) names.add(c);
    return { alias, columns: [...names].map((name) => ({ name, type: 'string' as const })) };
  });
}

/** The names `query` may read among everything the spec knows, or undefined when it may read every table. */
function referencedOnly(query: string, spec: Omit<GlobalsSpec, 'only'>): string[] | undefined {
  const tables: TableSchema[] = [...(spec.declared?.tables ?? []), ...[...spec.extraTables].map(([name, columns]) => ({ name, columns }))];
  const names = referencedNames(query, resolveSchema({ ...spec.declared, tables, watchlists: spec.watchlists, functions: spec.functions }));
  return names === ALL ? undefined : names;
}

/** As `evaluateQuery`, but values keep their runtime types (Date, Timespan). */
export function evaluateToTable(query: string, ctx: EvalContext): Table {
  const K = loadKusto();
  const { tables, extra } = buildTables(ctx.tables, ctx.declared);
  const watchlists = new Map(Object.entries(ctx.watchlists ?? {}).map(([a, w]) => [a, normalizeWatchlist(w)]));
  const spec = { ...(ctx.declared ? { declared: ctx.declared } : {}), extraTables: extra, functions: ctx.functions ?? [], watchlists: watchlistSchemas(watchlists) };
  const only = ctx.onlyReferenced ? referencedOnly(query, spec) : undefined;
  const { globals, key } = evaluatorGlobals({ ...spec, ...(only ? { only } : {}) });
  const code = analyse(K, query, globals, key);
  // An unknown or computed watchlist alias is the validator's error, not the service's vaguer one.
  const aliasErrors = watchlistAliasChecks(indexTree(code.Syntax!), [...watchlists.keys()]);
  const errors = toArray<{ Severity: string; Message: string; Start: number; Code: string }>(code.GetDiagnostics()).filter((d) => d.Severity === 'Error');
  if (aliasErrors.length) {
    const d = aliasErrors[0]!;
    throw errorAt(query, d.start, `${d.code}: ${d.message}`);
  }
  if (errors.length) {
    const d = errors[0]!;
    throw errorAt(query, d.Start, `${d.Code}: ${d.Message}`);
  }
  const interpreter = new Interpreter({
    text: query,
    root: as(code.Syntax, 'QueryBlock'),
    now: ctx.now,
    tables,
    watchlist: (alias, columns) => watchlistTable(alias, watchlists.get(alias), columns, ctx.now),
  });
  const out = interpreter.run();
  return out;
}

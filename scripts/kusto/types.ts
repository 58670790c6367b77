/**
 * Plain-data contract of the KQL validation layer. Nothing here refers to Bridge/Kusto types, so
 * every other stage (checks, report, evaluate, CLI) can use the results without the library.
 */
import type { FunctionDef, KqlType } from './catalogue.ts';

export type { FunctionDef, KqlType };

/** A table the service should know: name, typed columns, optional description. */
export interface TableSchema {
  name: string;
  columns: readonly { name: string; type: string }[];
  description?: string;
}

/** A watchlist as the analyzer sees it: `_GetWatchlist('<alias>')` returns these columns. */
export interface WatchlistSchema {
  alias: string;
  columns: { name: string; type: KqlType }[];
}

/** A saved (workspace) function that rules may call, e.g. the shared trusted-network function. */
export interface SavedFunction {
  name: string;
  /** Parameter list in KQL syntax, e.g. `(ip:string)` or `()`. */
  parameters: string;
  /** Body in KQL syntax including the braces, e.g. `{ _GetWatchlist('NetworkAllowlist') }`. */
  body: string;
  description?: string;
}

/**
 * Everything a query can name besides KQL itself — the one way tables and functions beyond the
 * built-in catalogue enter the Kusto world (validation, the evaluator, cache keys):
 *
 * - `tables`: declared (`schemas/tables/`), pulled from a workspace, or known only from test data.
 *   A table of a catalogue table's name replaces it; a later entry replaces an earlier one.
 * - `tabularFunctions`: functions known by parameters and output columns only (declared in
 *   `schemas/functions/`, pulled); one of an ASIM function's name replaces it.
 * - `functions`: functions with a KQL body (saved searches, `functions/` content); the service
 *   infers their output. A body's own table references count as the caller's.
 * - `builtIns: false` leaves the built-in catalogue and ASIM functions out, so only what is listed
 *   resolves (a workspace's pulled schema); default true.
 *
 * A name given as both a table and a function resolves to the table (as Log Analytics does).
 * Plain JSON data: it crosses to worker threads and into cache keys.
 */
export interface KqlSchemaInput {
  watchlists: WatchlistSchema[];
  functions?: SavedFunction[];
  tables?: TableSchema[];
  tabularFunctions?: FunctionDef[];
  builtIns?: boolean;
  /**
   * Only these tables and tabular functions (built-in or given) enter the global state; saved
   * functions and watchlists always do. For a one-off query, its referenced names
   * (kusto/references.ts, an over-approximation): the analysis is the same, and the ~450 catalogue
   * tables it does not name cost nothing to build.
   */
  only?: readonly string[];
}

/** The tables and tabular functions of a schema, without the repo's watchlists and saved functions. */
export type KqlDeclarations = Pick<KqlSchemaInput, 'tables' | 'tabularFunctions' | 'builtIns'>;

export type KqlSeverity = 'error' | 'warning' | 'info';

/** One finding with 0-based UTF-16 offsets into the analysed query string. */
export interface KqlDiagnostic {
  start: number;
  length: number;
  severity: KqlSeverity;
  /** Language-service code (`KS142`, `KS508`, …) or one of ours (`KQL-…`, see ourChecks). */
  code: string;
  message: string;
}

export interface KqlSpan {
  start: number;
  length: number;
}

export interface KqlLet extends KqlSpan {
  name: string;
  valueStart: number;
  valueLength: number;
  valueText: string;
}

export interface KqlAnalysis {
  diagnostics: KqlDiagnostic[];
  /** Output columns of a tabular query; null when the query is not tabular or did not resolve. */
  resultColumns: { name: string; type: string }[] | null;
  /** Known tables (catalogue or `KqlSchemaInput.tables`) the query references (sorted, unique). */
  tables: string[];
  /** Names of functions the query calls: built-in, Log Analytics and saved ones (sorted, unique). */
  functionsCalled: string[];
  /** Every `_GetWatchlist('<alias>')` call with the span of its alias literal. */
  watchlistAliases: ({ alias: string } & KqlSpan)[];
  /** Top-level `let name = <expr>;` statements; spans of the name and of the value expression. */
  lets: KqlLet[];
  /** The largest `ago(<timespan literal>)` in the query. */
  maxAgoLookback: ({ ms: number } & KqlSpan) | null;
  /** `search *` and `union *` occurrences (span of the operator through the star). */
  searchStar: KqlSpan[];
}

export interface AnalyzeOptions {
  /** Include the language service's analyzer (lint) diagnostics. Default true. */
  lint?: boolean;
}

/**
 * Plain-data contract of the KQL validation layer. Nothing here refers to Bridge/Kusto types, so
 * every other stage (checks, report, evaluate, CLI) can use the results without the library.
 */
import type { KqlType } from './catalogue.ts';

export type { KqlType };

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

export interface KqlSchemaInput {
  watchlists: WatchlistSchema[];
  functions?: SavedFunction[];
}

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
  /** Catalogue tables the query references (sorted, unique). */
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

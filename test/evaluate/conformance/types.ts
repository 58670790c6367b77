/** One golden case: a query, the documentation page it reproduces, and the engine's documented output. */
export interface ConformanceCase {
  /** Short description of what the case checks. */
  name: string;
  /** Kusto documentation page (and example) the expected output comes from. */
  doc: string;
  query: string;
  /** Expected column names, optionally typed (`name:type`). */
  columns?: string[];
  /** Expected rows as the evaluator's JSON output (datetimes ISO text, timespans `d.hh:mm:ss`). */
  rows?: unknown[][];
  /** Compare rows ignoring order (Kusto does not guarantee order without sort). */
  unordered?: boolean;
  /** Expected error message substring instead of a result. */
  error?: string;
  /** Pinned now() (default 2024-01-01T00:00:00Z). */
  now?: string;
  tables?: Record<string, Record<string, unknown>[]>;
}

export const DOCS = 'https://learn.microsoft.com/kusto/query/';

/**
 * The KQL analyzer: the one entry point other stages use to validate rule queries.
 *
 *   const kql = createKqlAnalyzer({ watchlists, functions }, { cacheDir: `${root}/.sentinel/cache/kql` });
 *   const a = kql.analyze(rule.query);            // diagnostics, result columns, tables, lets, …
 *   const all = await kql.analyzeMany(queries, { workers: 2 });
 *
 * The language service is loaded lazily, on the first query that misses both caches, so a fully
 * cached run never pays for it. Results are plain, JSON-serialisable data.
 */
import { analyzeCore } from './core.ts';
import type { CoreContext } from './core.ts';
import { DiskCache } from './disk-cache.ts';
import { cacheKeys } from './fingerprint.ts';
import { buildGlobals } from '../../kusto/globals.ts';
import { resolveSchema } from '../../kusto/schema.ts';
import { runInWorkers } from './pool.ts';
import type { AnalyzeOptions, KqlAnalysis, KqlSchemaInput, TableSchema } from '../../kusto/types.ts';

export type * from '../../kusto/types.ts';

export interface AnalyzerOptions {
  /** Directory for the on-disk result cache; no disk cache when omitted. */
  cacheDir?: string;
}

export interface AnalyzeManyOptions extends AnalyzeOptions {
  /** Worker threads for cache misses; 0 or 1 analyses in this thread. Default 1. */
  workers?: number;
}

export interface KqlAnalyzer {
  /** Changes whenever the catalogue, schema input, library version or analyzer code changes. */
  readonly fingerprint: string;
  /** Every table queries can read (catalogue and declared), by name. */
  readonly tables: ReadonlyMap<string, TableSchema>;
  /** A query's cache key: covers only the tables and functions it may read (validate/kql/fingerprint.ts). */
  keyOf(query: string, lint: boolean): string;
  analyze(query: string, opts?: AnalyzeOptions): KqlAnalysis;
  /** Same results as `analyze` for each query, in order; misses are spread over worker threads. */
  analyzeMany(queries: readonly string[], opts?: AnalyzeManyOptions): Promise<KqlAnalysis[]>;
}

/** Below this many misses, starting workers (each loads the library, ~2 s) costs more than it saves. */
const MIN_MISSES_PER_WORKER = 40;
/** Longer queries are not handed to the language service (Sentinel itself allows 10,000 characters). */
export const MAX_ANALYZED_CHARS = 100_000;

/** An analysis that carries one finding and no facts (query not analysed). */
function failed(code: string, message: string): KqlAnalysis {
  return {
    diagnostics: [{ start: 0, length: 0, severity: 'error', code, message }],
    resultColumns: null,
    tables: [],
    functionsCalled: [],
    watchlistAliases: [],
    lets: [],
    maxAgoLookback: null,
    searchStar: [],
  };
}

/** Never throws: an oversized query or a language-service failure becomes a diagnostic. */
function analyzeSafely(ctx: () => CoreContext, query: string, lint: boolean): { value: KqlAnalysis; cacheable: boolean } {
  if (query.length > MAX_ANALYZED_CHARS) {
    const msg = `query is too long to analyse (${query.length} characters; Sentinel allows 10,000)`;
    return { value: failed('KQL-TOO-LONG', msg), cacheable: true };
  }
  try {
    return { value: analyzeCore(ctx(), query, lint), cacheable: true };
  } catch (err) {
    const msg = `the Kusto language service failed on this query (${err instanceof Error ? err.message : String(err)}); simplify the query or report it`;
    return { value: failed('KQL-INTERNAL', msg), cacheable: false };
  }
}

export function createKqlAnalyzer(schema: KqlSchemaInput, options: AnalyzerOptions = {}): KqlAnalyzer {
  const keys = cacheKeys(schema);
  const memory = new Map<string, KqlAnalysis>();
  const disk = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
  let context: CoreContext | undefined;

  const ctx = (): CoreContext =>
    (context ??= {
      globals: buildGlobals(schema),
      knownTables: new Set(resolveSchema(schema).tables.keys()),
      watchlistAliases: schema.watchlists.map((w) => w.alias),
    });
  const keyOf = (query: string, lint: boolean): string => keys.keyOf(query, lint);

  function cached(key: string): KqlAnalysis | undefined {
    const hit = memory.get(key) ?? disk?.get(key);
    if (hit) memory.set(key, hit);
    return hit;
  }
  function store(key: string, value: KqlAnalysis): KqlAnalysis {
    memory.set(key, value);
    disk?.set(key, value);
    return value;
  }

  function analyze(query: string, opts: AnalyzeOptions = {}): KqlAnalysis {
    const lint = opts.lint ?? true;
    const key = keyOf(query, lint);
    const hit = cached(key);
    if (hit) return hit;
    const { value, cacheable } = analyzeSafely(ctx, query, lint);
    return cacheable ? store(key, value) : value;
  }

  async function analyzeMany(queries: readonly string[], opts: AnalyzeManyOptions = {}): Promise<KqlAnalysis[]> {
    const lint = opts.lint ?? true;
    const keys = queries.map((q) => keyOf(q, lint));
    const results: (KqlAnalysis | undefined)[] = keys.map((k) => cached(k));
    const missing = [...new Set(queries.filter((_, i) => !results[i]))];
    const workers = Math.min(opts.workers ?? 1, Math.floor(missing.length / MIN_MISSES_PER_WORKER));
    if (workers >= 2) {
      // Workers only speed things up: if they cannot start, the same analysis runs in this thread.
      const computed = await runInWorkers(schema, missing, lint, workers).catch(() => undefined);
      // Stored results make the in-thread pass below a cache hit; failures get a second try here.
      computed?.forEach((r, i) => {
        if (!r.diagnostics.some((d) => d.code === 'KQL-INTERNAL')) store(keyOf(missing[i]!, lint), r);
      });
    }
    return queries.map((q, i) => results[i] ?? analyze(q, { lint }));
  }

  return {
    get fingerprint() {
      return keys.fingerprint;
    },
    tables: resolveSchema(schema).tables,
    keyOf,
    analyze,
    analyzeMany,
  };
}

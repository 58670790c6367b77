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
import { loadCatalogue } from './catalogue.ts';
import { analyzeCore } from './core.ts';
import type { CoreContext } from './core.ts';
import { DiskCache } from './disk-cache.ts';
import { schemaFingerprint, sha256 } from './fingerprint.ts';
import { buildGlobals } from './globals.ts';
import { runInWorkers } from './pool.ts';
import type { AnalyzeOptions, KqlAnalysis, KqlSchemaInput } from './types.ts';

export type * from './types.ts';

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
  analyze(query: string, opts?: AnalyzeOptions): KqlAnalysis;
  /** Same results as `analyze` for each query, in order; misses are spread over worker threads. */
  analyzeMany(queries: readonly string[], opts?: AnalyzeManyOptions): Promise<KqlAnalysis[]>;
}

/** Below this many misses, starting workers (each loads the library, ~2 s) costs more than it saves. */
const MIN_MISSES_PER_WORKER = 40;

export function createKqlAnalyzer(schema: KqlSchemaInput, options: AnalyzerOptions = {}): KqlAnalyzer {
  const catalogue = loadCatalogue();
  const fingerprint = schemaFingerprint(catalogue.values(), schema);
  const memory = new Map<string, KqlAnalysis>();
  const disk = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
  let context: CoreContext | undefined;

  const ctx = (): CoreContext =>
    (context ??= {
      globals: buildGlobals(catalogue.values(), schema),
      catalogueTables: new Set(catalogue.keys()),
      watchlistAliases: schema.watchlists.map((w) => w.alias),
    });
  const keyOf = (query: string, lint: boolean): string => sha256(fingerprint, lint ? 'lint' : 'nolint', query);

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
    return cached(key) ?? store(key, analyzeCore(ctx(), query, lint));
  }

  async function analyzeMany(queries: readonly string[], opts: AnalyzeManyOptions = {}): Promise<KqlAnalysis[]> {
    const lint = opts.lint ?? true;
    const keys = queries.map((q) => keyOf(q, lint));
    const results: (KqlAnalysis | undefined)[] = keys.map((k) => cached(k));
    const missing = [...new Set(queries.filter((_, i) => !results[i]))];
    const workers = Math.min(opts.workers ?? 1, Math.floor(missing.length / MIN_MISSES_PER_WORKER));
    if (workers >= 2) {
      const computed = await runInWorkers(schema, missing, lint, workers);
      missing.forEach((q, i) => store(keyOf(q, lint), computed[i]!));
    }
    return queries.map((q, i) => results[i] ?? analyze(q, { lint }));
  }

  return { fingerprint, analyze, analyzeMany };
}

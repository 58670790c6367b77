/**
 * Cache keys. A query's key hashes everything its result depends on besides the query: the
 * language-service version, the source of the code that computes results (the analysis modules
 * here and the kusto/ modules they import), the watchlists, and the schemas of only those tables
 * and functions the query may read (kusto/references.ts) — so changing one declared or pulled table
 * re-analyses only the queries that name it. A changed analysis module invalidates every cached
 * result; editing anything else (the cache or worker plumbing, a benchmark, a README, a test) keeps
 * users' caches. The schema fingerprint hashes the whole schema (every table and function).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL, referencedNames } from '../../kusto/references.ts';
import { resolveSchema, type ResolvedSchema } from '../../kusto/schema.ts';
import type { KqlSchemaInput } from '../../kusto/types.ts';

const require = createRequire(import.meta.url);
let sourceHash: string | undefined;

export function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export function libraryVersion(): string {
  return (require('@kusto/language-service-next/package.json') as { version: string }).version;
}

/** Where the analysis starts; the modules it imports (relative imports, followed) compute results too. */
const ANALYSIS_ENTRY = fileURLToPath(new URL('./analyzer.ts', import.meta.url));
/** Plumbing the analyzer imports that cannot change a result: the disk cache, the worker pool, this file. */
const NOT_RESULTS = new Set(['disk-cache.ts', 'pool.ts', 'fingerprint.ts'].map((f) => fileURLToPath(new URL(`./${f}`, import.meta.url))));
const SCRIPTS = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The source files whose code computes analysis results, as absolute paths, sorted. */
export function analysisSources(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || NOT_RESULTS.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) visit(resolve(dirname(file), m[1] ?? m[2]!));
  };
  visit(ANALYSIS_ENTRY);
  return [...seen].sort();
}

/** Hash of the analysis sources (paths relative to scripts/, so the checkout location does not matter). */
function analyzerSourceHash(): string {
  if (sourceHash) return sourceHash;
  sourceHash = sha256(...analysisSources().flatMap((f) => [relative(SCRIPTS, f), readFileSync(f, 'utf8')]));
  return sourceHash;
}

/** What a result depends on for one table or function name: its kind and schema (descriptions do not count). */
function entryText(schema: ResolvedSchema, name: string): string {
  const t = schema.tables.get(name);
  if (t) return 't' + JSON.stringify(t.columns.map((c) => [c.name, c.type]));
  const f = schema.tabularFunctions.get(name);
  if (f) return 'f' + JSON.stringify([f.parameters, f.columns.map((c) => [c.name, c.type])]);
  const s = schema.savedFunctions.get(name);
  return s ? 's' + JSON.stringify([s.parameters, s.body]) : '';
}

export interface CacheKeys {
  /** Hash of the whole schema, library and analysis code. */
  readonly fingerprint: string;
  /** The cache key of one query's analysis. */
  keyOf(query: string, lint: boolean): string;
}

export function cacheKeys(input: KqlSchemaInput): CacheKeys {
  const schema = resolveSchema(input);
  const base = sha256('kql-cache-2', libraryVersion(), analyzerSourceHash(), JSON.stringify(schema.watchlists));
  const entries = new Map<string, string>();
  const entry = (name: string): string => {
    let e = entries.get(name);
    if (e === undefined) entries.set(name, (e = entryText(schema, name)));
    return e;
  };
  let whole: string | undefined;
  const fingerprint = (): string => {
    const names = [...schema.tables.keys(), ...schema.tabularFunctions.keys(), ...schema.savedFunctions.keys()].sort();
    return (whole ??= sha256(base, ...names.map((n) => `${n}=${entry(n)}`)));
  };
  return {
    get fingerprint() {
      return fingerprint();
    },
    keyOf(query, lint) {
      const refs = referencedNames(query, schema);
      const parts = refs === ALL ? ['*', fingerprint()] : refs.map((n) => `${n}=${entry(n)}`);
      return sha256(base, lint ? 'lint' : 'nolint', query, ...parts);
    },
  };
}

/** The whole-schema fingerprint (see `CacheKeys.fingerprint`). */
export function schemaFingerprint(schema: KqlSchemaInput): string {
  return cacheKeys(schema).fingerprint;
}

/**
 * The schema fingerprint: a hash of everything an analysis result depends on besides the query —
 * the table catalogue, the watchlists and saved functions, the language-service version and the
 * source of the code that computes results (the analysis modules here and the kusto/ modules they
 * import). A changed input or analysis module invalidates every cached result; editing anything
 * else (the cache or worker plumbing, a benchmark, a README, a test) keeps users' caches.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAsimFunctions, type TableDef } from '../../kusto/catalogue.ts';
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

export function schemaFingerprint(tables: Iterable<TableDef>, schema: KqlSchemaInput): string {
  const catalogue = [...tables].map((t) => [t.name, t.columns.map((c) => `${c.name}:${c.type}`)]);
  // The built-in ASIM functions are part of every global state (kusto/globals.ts), so their data counts too.
  const asim = [...loadAsimFunctions().values()].map((f) => [f.name, f.parameters, f.columns.map((c) => `${c.name}:${c.type}`)]);
  return sha256(JSON.stringify(catalogue), JSON.stringify(asim), JSON.stringify(schema), libraryVersion(), analyzerSourceHash());
}

/**
 * The schema fingerprint: a hash of everything an analysis result depends on besides the query —
 * the table catalogue, the watchlists and saved functions, the language-service version and the
 * analyzer's own source. A changed input or analyzer invalidates every cached result.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { TableDef } from '../../kusto/catalogue.ts';
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

/** Hash of the analyzer's sources (this folder and scripts/kusto/), so editing them invalidates disk caches. */
function analyzerSourceHash(): string {
  if (sourceHash) return sourceHash;
  const parts: string[] = [];
  for (const rel of ['./', '../../kusto/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') || f.endsWith('.mjs')).sort();
    parts.push(...files.flatMap((f) => [rel + f, readFileSync(dir + f, 'utf8')]));
  }
  sourceHash = sha256(...parts);
  return sourceHash;
}

export function schemaFingerprint(tables: Iterable<TableDef>, schema: KqlSchemaInput): string {
  const catalogue = [...tables].map((t) => [t.name, t.columns.map((c) => `${c.name}:${c.type}`)]);
  return sha256(JSON.stringify(catalogue), JSON.stringify(schema), libraryVersion(), analyzerSourceHash());
}

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKqlAnalyzer } from '../../../scripts/validate/kql/analyzer.ts';
import { runInWorkers } from '../../../scripts/validate/kql/pool.ts';
import type { KqlAnalysis, KqlSchemaInput } from '../../../scripts/validate/kql/analyzer.ts';

const schema: KqlSchemaInput = { watchlists: [{ alias: 'NetworkAllowlist', columns: [{ name: 'IPOrRange', type: 'string' }] }] };
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kql-cache-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('disk cache', () => {
  const query = 'SigninLogs | where ResultType == 0 | project UserPrincipalName';

  it('stores each analysis under sha256(query + fingerprint) and serves it to the next run', () => {
    const dir = tempDir();
    const first = createKqlAnalyzer(schema, { cacheDir: dir }).analyze(query);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'))).toEqual(first);

    // Mark the stored entry: a second analyzer returning the mark proves it read the disk.
    const marked: KqlAnalysis = { ...first, tables: ['FromDiskCache'] };
    writeFileSync(join(dir, files[0]!), JSON.stringify(marked));
    const second = createKqlAnalyzer(schema, { cacheDir: dir });
    expect(second.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(second.analyze(query).tables).toEqual(['FromDiskCache']);
  });

  it('misses when the schema changes, and treats a corrupt entry as a miss', () => {
    const dir = tempDir();
    const a = createKqlAnalyzer(schema, { cacheDir: dir });
    a.analyze(query);
    const other = createKqlAnalyzer({ watchlists: [] }, { cacheDir: dir });
    expect(other.fingerprint).not.toBe(a.fingerprint);
    other.analyze(query);
    expect(readdirSync(dir)).toHaveLength(2);

    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), '{not json');
    const again = createKqlAnalyzer(schema, { cacheDir: dir }).analyze(query);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['KQL-STRING-NUMBER']);
  });
});

describe('worker pool and analyzeMany', () => {
  const tables = ['SigninLogs', 'AADServicePrincipalSignInLogs', 'AuditLogs', 'AzureActivity'];
  const queries = Array.from({ length: 24 }, (_, i) => {
    const t = tables[i % tables.length];
    const bad = i % 6 === 0 ? ' | where NoSuchColumn == 1' : '';
    return `${t}\n| where TimeGenerated > ago(${(i % 12) + 1}h)${bad}\n| summarize n = count() by bin(TimeGenerated, 1h)\n| where n > ${i}`;
  });

  // Each worker thread loads its own library; on a busy 2-core machine that takes a while.
  it('2 worker threads return, in order, exactly what single-threaded analysis returns', { timeout: 180_000 }, async () => {
    const pooled = await runInWorkers(schema, queries, true, 2);
    const single = createKqlAnalyzer(schema);
    expect(pooled).toEqual(queries.map((q) => single.analyze(q)));
    expect(pooled.filter((r) => r.diagnostics.some((d) => d.code === 'KS142'))).toHaveLength(4);
  });

  it('answers repeated queries from the cache without recomputing', async () => {
    const kql = createKqlAnalyzer(schema);
    const [a, b] = await kql.analyzeMany([queries[0]!, queries[0]!]);
    expect(b).toBe(a);
  });
});

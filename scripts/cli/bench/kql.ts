/**
 * KQL analyzer benchmark: N synthetic 20–60-line rule queries, analysed cold (empty disk cache,
 * worker threads), then fully cached, then an incremental run with 5 changed queries in a fresh
 * process (library load included, as in a real `validate` on a PR). Prints numbers; asserts nothing.
 *
 *   npx tsx scripts/kql/bench.ts [--sizes 100,1000,3000] [--workers 2]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKqlAnalyzer } from '../../validate/kql/analyzer.ts';
import { syntheticQuery } from './synthetic.ts';
import type { KqlSchemaInput } from '../../kusto/types.ts';

const SCHEMA: KqlSchemaInput = {
  watchlists: [{ alias: 'NetworkAllowlist', columns: [{ name: 'IPOrRange', type: 'string' }, { name: 'Description', type: 'string' }] }],
};
const CHANGED = 5;

export interface BenchRow {
  size: number;
  coldSeconds: number;
  cachedSeconds: number;
  incrementalSeconds: number;
  peakRssMb: number;
}

const queriesFor = (n: number, changed = 0): string[] =>
  Array.from({ length: n }, (_, i) => syntheticQuery(i) + (i < changed ? `\n| extend Changed = ${i}` : ''));

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await fn();
  return [value, (performance.now() - t) / 1000];
}

/** One incremental run: a new process, warm disk cache, `changed` edited queries. Returns seconds. */
export async function incrementalRun(cacheDir: string, size: number, workers: number): Promise<number> {
  const [, seconds] = await timed(() => createKqlAnalyzer(SCHEMA, { cacheDir }).analyzeMany(queriesFor(size, CHANGED), { workers }));
  return seconds;
}

export async function runKqlBench(sizes: number[], workers: number, log: (line: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  log(`KQL analyzer benchmark: ${availableParallelism()} CPUs, ${workers} workers, load average ${loadavg()[0]!.toFixed(1)}`);
  for (const size of sizes) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kql-bench-'));
    try {
      const queries = queriesFor(size);
      const [, coldSeconds] = await timed(() => createKqlAnalyzer(SCHEMA, { cacheDir }).analyzeMany(queries, { workers }));
      const [, cachedSeconds] = await timed(() => createKqlAnalyzer(SCHEMA, { cacheDir }).analyzeMany(queries, { workers }));
      // The incremental run happens in a fresh process so library loading and JIT warm-up count.
      const self = fileURLToPath(import.meta.url);
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--incremental', cacheDir, String(size), String(workers)], {
        encoding: 'utf8',
      });
      const incrementalSeconds = Number(out.trim().split('\n').pop());
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      rows.push({ size, coldSeconds, cachedSeconds, incrementalSeconds, peakRssMb });
      log(
        `${String(size).padStart(5)} rules: cold ${coldSeconds.toFixed(1)} s (${(size / coldSeconds).toFixed(0)} rules/s), ` +
          `cached ${cachedSeconds.toFixed(2)} s, incremental (${CHANGED} changed, new process) ${incrementalSeconds.toFixed(2)} s, ` +
          `peak RSS ${peakRssMb.toFixed(0)} MB`,
      );
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return rows;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const inc = process.argv.indexOf('--incremental');
  if (inc >= 0) {
    const [dir, size, workers] = process.argv.slice(inc + 1);
    console.log(await incrementalRun(dir!, Number(size), Number(workers)));
  } else {
    const sizes = arg('--sizes', '100,1000,3000').split(',').map(Number);
    await runKqlBench(sizes, Number(arg('--workers', String(Math.min(2, availableParallelism())))), (l) => console.log(l));
  }
}

/**
 * Start-up benchmark (`sentinel bench startup`): wall and CPU time of `sentinel query` for a
 * one-line query in a fresh process (language service load, catalogue, global state, analysis,
 * evaluation, output). Prints numbers; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const RUNS = 5;

export function benchStartup(print: (line: string) => void): void {
  const cli = fileURLToPath(new URL('../../../bin/sentinel.mjs', import.meta.url));
  const walls: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'query', 'print x = 1', '--format', 'json'], { encoding: 'utf8' });
    const wall = performance.now() - t0;
    if (r.status !== 0) {
      print(`startup: sentinel query failed (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
      return;
    }
    if (i === 0) continue; // the first run fills tsx's and Node's compile caches
    walls.push(wall);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  print(`startup: sentinel query 'print x = 1' (fresh process, ${RUNS} runs after one warm-up): median ${median(walls).toFixed(0)} ms, min ${Math.min(...walls).toFixed(0)} ms, max ${Math.max(...walls).toFixed(0)} ms wall`);
}

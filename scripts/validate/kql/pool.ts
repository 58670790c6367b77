/**
 * Spreads query analysis over worker threads. Each worker loads its own copy of the language
 * service and builds its own globals (Bridge objects cannot cross threads); queries go out in
 * small batches so fast workers take more.
 */
import { Worker } from 'node:worker_threads';
import type { KqlAnalysis, KqlSchemaInput } from '../../kusto/types.ts';

export interface WorkerRequest {
  id: number;
  queries: string[];
  lint: boolean;
}
export type WorkerResponse = { id: number; results: KqlAnalysis[] } | { id: number; error: string };

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

function batches(count: number, workers: number): { start: number; end: number }[] {
  const size = Math.max(5, Math.min(50, Math.ceil(count / (workers * 8))));
  const out: { start: number; end: number }[] = [];
  for (let start = 0; start < count; start += size) out.push({ start, end: Math.min(count, start + size) });
  return out;
}

export async function runInWorkers(
  schema: KqlSchemaInput,
  queries: readonly string[],
  lint: boolean,
  workerCount: number,
): Promise<KqlAnalysis[]> {
  const results: KqlAnalysis[] = new Array(queries.length);
  const pending = batches(queries.length, workerCount);
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const next = (w: Worker): void => {
        const b = pending.shift();
        if (!b) {
          if (inFlight === 0) resolve();
          return;
        }
        inFlight++;
        w.postMessage({ id: b.start, queries: queries.slice(b.start, b.end), lint } satisfies WorkerRequest);
      };
      for (let i = 0; i < workerCount; i++) {
        const w = new Worker(WORKER_URL, { workerData: { schema } });
        workers.push(w);
        w.on('message', (res: WorkerResponse) => {
          inFlight--;
          if ('error' in res) return reject(new Error(`KQL analysis worker failed: ${res.error}`));
          res.results.forEach((r, j) => (results[res.id + j] = r));
          next(w);
        });
        w.on('error', (err) => reject(new Error(`KQL analysis worker failed: ${err.message}`)));
        w.on('exit', (code) => code !== 0 && reject(new Error(`KQL analysis worker exited with code ${code}`)));
        next(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

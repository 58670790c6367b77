/**
 * Body of one analysis worker thread: builds its own analyzer (library + globals) from the schema
 * it was started with and answers `{ id, queries, lint }` batches with `{ id, results }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKqlAnalyzer } from './analyzer.ts';
import type { WorkerRequest, WorkerResponse } from './pool.ts';
import type { KqlSchemaInput } from '../../kusto/types.ts';

const analyzer = createKqlAnalyzer((workerData as { schema: KqlSchemaInput }).schema);
const port = parentPort!;
port.on('message', (req: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: req.id, results: req.queries.map((q) => analyzer.analyze(q, { lint: req.lint })) };
  } catch (err) {
    response = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(response);
});

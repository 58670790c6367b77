/**
 * The bearer token goes only to the ARM endpoint: an Azure-AsyncOperation URL on another origin is not
 * followed (deploy polls the watchlist itself instead). A middlebox in front of the emulator rewrites the
 * header to point at a second server, which records what reaches it.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Watchlist, WatchlistFile } from '../../scripts/model/types.ts';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { sourceFile, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

type Closer = () => Promise<void>;

async function listen(server: ReturnType<typeof createServer>): Promise<{ url: string; close: Closer }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Forwards to `upstream`, replacing the origin of every Azure-AsyncOperation header with `elsewhere`. */
async function rewritingProxy(upstream: () => string, elsewhere: () => string): Promise<{ url: string; close: Closer }> {
  const server = createServer((req, res) => {
    const up = new URL(upstream());
    const out = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (r) => {
      const headers: IncomingHttpHeaders = { ...r.headers };
      const op = headers['azure-asyncoperation'];
      if (typeof op === 'string') headers['azure-asyncoperation'] = op.replace(/^https?:\/\/[^/]+/, elsewhere());
      res.writeHead(r.statusCode ?? 502, headers);
      r.pipe(res);
    });
    req.pipe(out);
  });
  return listen(server);
}

function watchlist(): WatchlistFile {
  const w: Watchlist = {
    alias: 'OriginCheck', displayName: 'Origin check', description: 'Status URL origin', provider: 'SOC', source: 'OriginCheck.csv',
    itemsSearchKey: 'Key', columns: [{ name: 'Key', type: 'string' }], items: [{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }],
  };
  return { kind: 'watchlist', watchlist: w, source: sourceFile('watchlists/OriginCheck.yaml') };
}

describe('asynchronous operation status on another origin', () => {
  const seen: { path: string; authorization: string | undefined }[] = [];
  let foreign: { url: string; close: Closer };
  let proxy: { url: string; close: Closer };
  let h: Harness;
  const t0 = target(0);

  beforeAll(async () => {
    foreign = await listen(createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"Succeeded"}');
    }));
    let upstream = '';
    proxy = await rewritingProxy(() => upstream, () => foreign.url);
    // Uploads stay InProgress for 200 ms: a client that trusted the foreign "Succeeded" would not wait.
    h = await harness([t0], { watchlists: { uploadMs: 200, deleteMs: 0 } }, { endpoint: proxy.url });
    upstream = h.emulator.url;
  });
  afterAll(async () => {
    await h.stop();
    await proxy.close();
    await foreign.close();
  });

  it('is never sent the token; the upload is waited for by reading the watchlist', async () => {
    const resolved = h.resolve({ rules: [], watchlists: [watchlist()], workbooks: [] }, [t0]);
    const report = await h.apply(resolved);
    expect(report.targets.map((t) => t.status)).toEqual(['ok']);
    expect(seen).toEqual([]);
    // Waited for: the rows are there once apply returns, and a second plan has nothing to do.
    const items = h.emulator.list(`${workspaceResourceId(workspaceOf(t0))}/providers/Microsoft.SecurityInsights/watchlists/OriginCheck/watchlistItems`);
    expect(items).toHaveLength(3);
    const [again] = await h.plan(resolved);
    expect(again!.changes.map((c) => c.op)).toEqual(again!.changes.map(() => 'noop'));
  });
});

/**
 * Faults that used to hang a run: an endpoint that accepts the connection and never answers, and
 * Ctrl-C while requests are in flight. Real SDK clients over real sockets to a local server.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientPool, EMULATOR_RETRY } from '../../scripts/deploy/azure/clients.ts';
import { planAll } from '../../scripts/deploy/apply/rollout.ts';
import { resolveTarget } from '../../scripts/deploy/desired/resolve.ts';
import { emulatorSignIn, apply } from '../../scripts/cli/deploy.ts';
import type { CliContext } from '../../scripts/cli/context.ts';
import { content, target } from './fixtures.ts';
import { REPO } from './harness.ts';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { loadRepo } from '../../scripts/content/load.ts';
import { emulatorConfigFor } from '../../scripts/cli/deploy.ts';
import { TEST_IDENTITY } from '../helpers/repo.ts';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { LEASE_NAME } from '../../scripts/deploy/plan/ownership.ts';
import { leaseHolderOf } from '../../scripts/deploy/apply/lease.ts';

/**
 * A network middlebox in front of the emulator: forwards every request except PUTs, which it
 * accepts and never answers (a write stuck in flight).
 */
async function holdWrites(upstream: string): Promise<{ url: string; held: () => number; leaseWrites: () => number; close: () => Promise<void> }> {
  let held = 0;
  let leaseWrites = 0;
  const server: HttpServer = createHttpServer((req, res) => {
    if (/\/metadata\/sentinel-deploy-lease\?/.test(req.url ?? '') && req.method !== 'GET') leaseWrites++;
    // Content writes are held; the workspace lease (taken before them) passes.
    if (req.method === 'PUT' && !/\/metadata\/sentinel-deploy-lease\?/.test(req.url ?? '')) {
      held++;
      req.resume();
      return;
    }
    const target = new URL(req.url ?? '/', upstream);
    const fwd = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    held: () => held,
    leaseWrites: () => leaseWrites,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Accepts connections, reads requests, never answers; counts the connections. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((s) => {
    count++;
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('an endpoint that never answers', () => {
  it('each attempt times out and is retried; the target fails with one line naming the wait', async () => {
    const silent = await silentServer();
    // The token endpoint answers (a real emulator); ARM requests go to the silent server.
    const t0 = target(0);
    const emulator = await startEmulator({ workspaces: [{ tenantId: t0.tenantId, subscriptionId: t0.subscriptionId, resourceGroup: t0.resourceGroup, workspace: t0.workspaceName }] });
    try {
      const pool = new ClientPool({
        auth: 'emulator', endpoint: silent.url, env: {}, retry: { ...EMULATOR_RETRY, maxRetries: 2 }, requestTimeoutMs: 150,
        ...emulatorSignIn(emulator.url),
      });
      const [p] = await planAll([resolveTarget(content(1), target(0), { repoName: REPO })], { pool, repoName: REPO, prune: false, concurrency: 2 });
      expect(p!.error).toMatch(new RegExp(`^${silent.url} gave workspace ws-target-0 .* no answer within 0\\.1[5]? s, retried — the endpoint accepts connections but does not answer`));
      expect(p!.error).not.toContain('\n');
      // First attempt + 2 retries of the first list request.
      expect(silent.connections()).toBeGreaterThanOrEqual(3);
    } finally {
      await emulator.stop();
      await silent.close();
    }
  }, 30_000);
});

describe('Ctrl-C during an apply', () => {
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  let root: string;
  let emulator: EmulatorHandle;
  let box: Awaited<ReturnType<typeof holdWrites>>;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ctrl-c-'));
    for (const d of ['analytics-rules', 'watchlists', 'workbooks', 'targets', 'package.json']) await cp(join(repoRoot, d), join(root, d), { recursive: true });
    // The tests' own repository identity (this repo's is the template's, refused outside an emulator).
    await writeFile(join(root, 'sentinel.config.yaml'), TEST_IDENTITY);
    emulator = await startEmulator(emulatorConfigFor((await loadRepo(root)).targets.map((t) => t.target)));
    box = await holdWrites(emulator.url);
  });
  afterAll(async () => {
    await box.close();
    await emulator.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('cancels in-flight writes at once and records the journal as resumable (the CLI then exits 130: cli.test.ts)', async () => {
    const controller = new AbortController();
    const stderr: string[] = [];
    const ctx: CliContext = { root, out: () => undefined, err: (t) => stderr.push(t), env: {}, isTTY: false, signal: controller.signal };
    // Ctrl-C once the first writes are stuck in flight.
    const timer = setInterval(() => {
      if (box.held() > 0) {
        clearInterval(timer);
        controller.abort();
      }
    }, 20);
    // The held writes would never end and the request timeout is a minute: returning at all
    // (within this test's limit) shows the in-flight requests were cancelled.
    const code = await apply(['--auth', 'emulator', '--endpoint', box.url, '--yes', '--targets', 'contoso-canary', '--request-timeout', '60s'], ctx);
    clearInterval(timer);
    expect(box.held()).toBeGreaterThan(0);
    expect(code).toBe(1); // the CLI's runner turns an aborted signal into 130 (cli.test.ts covers the process)
    expect(controller.signal.aborted).toBe(true);
    expect(stderr.join('\n')).toMatch(/interrupted: cancelling in-flight requests; resume with `sentinel apply --resume \S+`/);
    const [name] = (await readdir(join(root, '.sentinel', 'journal'))).sort().reverse();
    const journal = JSON.parse(await readFile(join(root, '.sentinel', 'journal', name!), 'utf8')) as { status: string; targets: Record<string, { status: string }> };
    expect(journal.status).toBe('aborted');
    expect(journal.targets['contoso-canary']!.status).toBe('pending');
    // The workspace lease was created (free), taken before the writes and released (marked free) after Ctrl-C.
    expect(box.leaseWrites()).toBe(3);
    const canary = (await loadRepo(root)).targets.find((t) => t.target.name === 'contoso-canary')!.target;
    expect(leaseHolderOf(emulator.get(`${workspaceResourceId(workspaceOf(canary))}/providers/Microsoft.SecurityInsights/metadata/${LEASE_NAME}`)!)?.released).toBe(true);
    expect(stderr.join('\n')).not.toContain('could not release');
  }, 20_000);

  it('--timeout ends the whole run the same way (the journal stays resumable)', async () => {
    const stderr: string[] = [];
    const ctx: CliContext = { root, out: () => undefined, err: (t) => stderr.push(t), env: {}, isTTY: false, signal: new AbortController().signal };
    const code = await apply(['--auth', 'emulator', '--endpoint', box.url, '--yes', '--targets', 'contoso-canary', '--timeout', '3s'], ctx);
    expect(code).toBe(1);
    expect(stderr.join('\n')).toMatch(/--timeout reached: cancelling in-flight requests; resume with `sentinel apply --resume \S+`/);
  }, 20_000);
});

describe('a gateway that answers with an HTML page', () => {
  it('keeps the HTTP status in the one-line error and says what the body was', async () => {
    const t0 = target(0);
    const emulator = await startEmulator({ workspaces: [{ tenantId: t0.tenantId, subscriptionId: t0.subscriptionId, resourceGroup: t0.resourceGroup, workspace: t0.workspaceName }] });
    const gateway: HttpServer = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
    try {
      const pool = new ClientPool({ auth: 'emulator', endpoint: url, env: {}, retry: { ...EMULATOR_RETRY, maxRetries: 1 }, ...emulatorSignIn(emulator.url) });
      const [p] = await planAll([resolveTarget(content(1), t0, { repoName: REPO })], { pool, repoName: REPO, prune: false, concurrency: 2 });
      expect(p!.error).toMatch(/HTTP 502/);
      expect(p!.error).toMatch(/HTML page/);
      expect(p!.error).not.toContain('<');
      expect(p!.error).not.toContain('\n');
    } finally {
      await new Promise((r) => gateway.close(r));
      await emulator.stop();
    }
  }, 30_000);
});

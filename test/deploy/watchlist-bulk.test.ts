/**
 * Watchlists at scale (issue 12, item 5), end to end through the real SDK clients against the
 * emulator: items are uploaded in bulk (rawContent) and the service's asynchronous upload is waited
 * for; a changed or removed row is written one by one; rows added in the portal survive --prune.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Watchlist, WatchlistFile } from '../../scripts/model/types.ts';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { renderPlan } from '../../scripts/render/plan.ts';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { Journal, newRunId } from '../../scripts/deploy/apply/journal.ts';
import { EMULATOR_ASYNC_POLL } from '../../scripts/deploy/azure/async-operation.ts';
import { ClientPool, EMULATOR_RETRY } from '../../scripts/deploy/azure/clients.ts';
import { LoopbackClientSecretCredential } from '../../scripts/deploy/azure/loopback-auth.ts';
import { DEFAULT_CLIENT } from '../../scripts/emulator/index.ts';
import { sourceFile, TENANT_A, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';
import { planAll, rollout } from '../../scripts/deploy/apply/rollout.ts';

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;

function bigList(n: number, edit: (rows: Array<Record<string, string>>) => void = () => {}): WatchlistFile {
  const items = Array.from({ length: n }, (_, i) => ({ IPOrRange: ip(i), Description: `egress ${i}` }));
  edit(items);
  const w: Watchlist = {
    alias: 'EgressAllowlist', displayName: 'Egress allowlist', description: 'Known egress addresses', provider: 'SOC',
    source: 'EgressAllowlist.csv', itemsSearchKey: 'IPOrRange',
    columns: [{ name: 'IPOrRange', type: 'ipOrRange' }, { name: 'Description', type: 'string' }],
    items,
  };
  return { kind: 'watchlist', watchlist: w, source: sourceFile('watchlists/EgressAllowlist.yaml') };
}

const only = (w: WatchlistFile) => ({ rules: [], watchlists: [w], workbooks: [] });
const SIZE = 10_000;
const t0 = target(0);
const wsId = workspaceResourceId(workspaceOf(t0));
const WATCHLIST = `${wsId}/providers/Microsoft.SecurityInsights/watchlists/EgressAllowlist`;
const ITEMS = `${WATCHLIST}/watchlistItems`;
const PORTAL_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

const writesOf = (h: Harness) => h.emulator.stats().total.writes;
/** The emulator's operations as stored (read without a request, so without settling any: time passes only per request). */
const operationsOf = (h: Harness) => h.emulator.snapshot().resources.filter((r) => r.id.includes('/asyncOperations/')).map((r) => r.body as { kind: string; status: string; endTime?: string });
const keysOf = (h: Harness) => h.emulator.list(ITEMS).map((r) => (r['properties'] as { itemsKeyValue: Record<string, string> }).itemsKeyValue);

describe('a 10,000-item watchlist', () => {
  let h: Harness;
  beforeAll(async () => {
    // Uploads stay InProgress for 150 ms: the client must wait for them.
    h = await harness([t0], { pageSize: 1000, watchlists: { uploadMs: 150, deleteMs: 150 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('is deployed in 2 writes (the ownership record, one watchlist PUT with all rows), the upload waited for', async () => {
    const resolved = h.resolve(only(bigList(SIZE)), [t0]);
    const [p] = await h.plan(resolved);
    const wl = p!.changes.find((c) => c.type === 'watchlist')!;
    expect(wl.op).toBe('create');
    expect(wl.items).toHaveLength(SIZE);
    expect(wl.items!.every((i) => i.op === 'create' && i.bulk && i.name === '')).toBe(true);
    expect(countPlan([p!]).writes).toBe(2);
    const json = JSON.parse(renderPlan([p!], 'json'));
    expect(json.summary.writes).toBe(2);
    const text = renderPlan([p!], 'text');
    expect(text).toContain('+ watchlist EgressAllowlist "Egress allowlist" (items: +10000 ~0 -0; 10000 in 1 bulk upload(s))');
    expect(text).toContain(`    + item ${ip(9999)}`);
    expect(text).toContain('2 write(s)');

    h.emulator.resetStats();
    const report = await h.apply(resolved);
    expect(report.targets[0]).toMatchObject({ status: 'ok', failed: 0, writes: 2 });
    expect(writesOf(h)).toBeLessThanOrEqual(3);
    expect(h.emulator.stats().rows.filter((r) => r.method === 'PUT').map((r) => [r.resourceType, r.writes]).sort()).toEqual([['metadata', 1], ['watchlists', 1]]);
    // The client polled the operation to its end during the apply.
    expect(operationsOf(h)).toEqual([expect.objectContaining({ kind: 'upload', status: 'Succeeded' })]);
    // apply returned after the upload completed: every row is listed, created by the deploying identity.
    expect(h.emulator.get(WATCHLIST)!['properties']).toMatchObject({ provisioningState: 'Succeeded', uploadStatus: 'Complete' });
    expect(keysOf(h)).toHaveLength(SIZE);
    const [again] = await h.plan(resolved, true);
    expect(countPlan([again!]).writes).toBe(0);
    expect(again!.changes.find((c) => c.type === 'watchlist')).toMatchObject({ op: 'noop', drift: false });
  });

  it('a portal row is kept by --prune; 3 changed rows and 1 removed cost 3 PUTs, 1 DELETE and the record; added rows one upload', async () => {
    h.emulator.portal.put(`${ITEMS}/${PORTAL_ID}`, { properties: { itemsKeyValue: { IPOrRange: '203.0.113.9/32', Description: 'added in the portal' } } });
    const edited = bigList(SIZE, (rows) => {
      for (const i of [1, 2, 3]) rows[i]!.Description = `changed ${i}`;
      rows.splice(10, 1);
    });
    const resolved = h.resolve(only(edited), [t0]);
    const [p] = await h.plan(resolved, true);
    const wl = p!.changes.find((c) => c.type === 'watchlist')!;
    expect(wl.items!.map((i) => `${i.op} ${i.key}`).sort()).toEqual([`delete ${ip(10)}`, `update ${ip(1)}`, `update ${ip(2)}`, `update ${ip(3)}`]);
    expect(wl.foreign).toEqual([expect.objectContaining({ name: PORTAL_ID, conflict: false })]);
    expect(countPlan([p!]).writes).toBe(5);
    h.emulator.resetStats();
    expect((await h.apply(resolved, { prune: true })).targets[0]).toMatchObject({ status: 'ok', failed: 0, writes: 5 });
    expect(writesOf(h)).toBe(5);
    expect(h.emulator.get(`${ITEMS}/${PORTAL_ID}`)).toBeDefined();
    const rows = keysOf(h);
    expect(rows).toHaveLength(SIZE);
    expect(rows.find((r) => r.IPOrRange === ip(2))).toEqual({ IPOrRange: ip(2), Description: 'changed 2' });
    expect(rows.some((r) => r.IPOrRange === ip(10))).toBe(false);

    // Rows added to the existing watchlist: one bulk PUT (appended by the service), then the record.
    const grown = bigList(SIZE + 50, (rows) => {
      for (const i of [1, 2, 3]) rows[i]!.Description = `changed ${i}`;
      rows.splice(10, 1);
    });
    const more = h.resolve(only(grown), [t0]);
    const [q] = await h.plan(more, true);
    expect(q!.changes.find((c) => c.type === 'watchlist')!.items!.filter((i) => i.op === 'create' && i.bulk)).toHaveLength(50);
    h.emulator.resetStats();
    expect((await h.apply(more, { prune: true })).targets[0]).toMatchObject({ status: 'ok', writes: 2 });
    expect(keysOf(h)).toHaveLength(SIZE + 50);
    // The record was written after the upload completed: its time is not before the operation's end.
    const ops = operationsOf(h);
    const lastEnd = ops.map((o) => Date.parse(o.endTime ?? '')).sort((a, b) => a - b).at(-1)!;
    const record = h.emulator.get(`${wsId}/providers/Microsoft.SecurityInsights/metadata/watchlist-egressallowlist`)!;
    expect(Date.parse(String((record['systemData'] as { lastModifiedAt: string }).lastModifiedAt))).toBeGreaterThanOrEqual(lastEnd);
    const [settled] = await h.plan(more, true);
    expect(countPlan([settled!]).writes).toBe(0);
    expect(settled!.changes.find((c) => c.type === 'watchlist')!.foreign).toHaveLength(1);
  });

  it('deleting the watchlist waits for the service to finish', async () => {
    const [p] = await h.plan(h.resolve({ rules: [], watchlists: [], workbooks: [] }, [t0]), true);
    expect(p!.changes.find((c) => c.type === 'watchlist')!.op).toBe('delete');
    const report = await h.apply(h.resolve({ rules: [], watchlists: [], workbooks: [] }, [t0]), { prune: true });
    expect(report.targets[0]).toMatchObject({ status: 'ok', failed: 0 });
    expect(operationsOf(h).filter((o) => o.kind === 'delete')).toEqual([expect.objectContaining({ status: 'Succeeded' })]);
    expect(h.emulator.get(WATCHLIST)).toBeUndefined();
  });
});

describe('a new deploying identity', () => {
  it("rows it uploads are the repo's: the record is written again after the upload, even when rows are kept", async () => {
    const B = { clientId: 'pipeline-b', clientSecret: 'test-only-secret-b' };
    const h = await harness([t0], { tenants: [{ tenantId: TENANT_A, clients: [DEFAULT_CLIENT, B] }] });
    try {
      expect((await h.apply(h.resolve(only(bigList(5)), [t0]))).targets[0]).toMatchObject({ status: 'ok', failed: 0 });
      const poolB = new ClientPool({
        auth: 'emulator', endpoint: h.emulator.url, env: {}, retry: EMULATOR_RETRY, asyncPoll: EMULATOR_ASYNC_POLL,
        credentialFor: (tenantId) => new LoopbackClientSecretCredential({ url: h.emulator.url, tenantId, ...B }),
      });
      // Row 0 leaves the file (kept without --prune), three rows are added: one upload by B, then the record.
      const next = h.resolve(only(bigList(8, (rows) => void rows.shift())), [t0]);
      const [p] = await h.plan(next);
      expect(p!.changes.find((c) => c.type === 'watchlist')!.phases.map((ph) => ph.map((w) => `${w.method} ${w.type}${w.upload ? ` +${w.upload.rows.length}` : ''}`))).toEqual([['PUT watchlist +3'], ['PUT metadata']]);
      expect((await rollout(next, h.settings({ pool: poolB }))).targets[0]).toMatchObject({ status: 'ok', failed: 0, writes: 2 });
      const [again] = await planAll(next, h.settings({ pool: poolB }));
      const wl = again!.changes.find((c) => c.type === 'watchlist')!;
      expect(wl).toMatchObject({ op: 'noop', reason: '1 item(s) not in the repo kept (--prune removes them)' });
      expect(wl.foreign).toBeUndefined();
    } finally {
      await h.stop();
    }
  });
});

describe('a watchlist over the 3.8 MB request limit', () => {
  it('is uploaded in two PUTs (the first creates, the second appends), 3 writes with the record', async () => {
    const h = await harness([t0], { pageSize: 1000 });
    try {
      const note = 'n'.repeat(330);
      const resolved = h.resolve(only(bigList(12_000, (rows) => rows.forEach((r) => (r.Description = `${note} ${r.IPOrRange}`)))), [t0]);
      const [p] = await h.plan(resolved);
      const uploads = p!.changes.find((c) => c.type === 'watchlist')!.phases.flat().filter((w) => w.upload);
      expect(uploads.map((w) => w.upload!.rows.length).reduce((a, b) => a + b, 0)).toBe(12_000);
      expect(uploads).toHaveLength(2);
      h.emulator.resetStats();
      expect((await h.apply(resolved)).targets[0]).toMatchObject({ status: 'ok', failed: 0, writes: 3 });
      expect(writesOf(h)).toBe(3);
      expect(keysOf(h)).toHaveLength(12_000);
      expect(countPlan(await h.plan(resolved)).writes).toBe(0);
    } finally {
      await h.stop();
    }
  });
});

describe('an upload that fails or does not finish', () => {
  it('a failed upload fails the change with the service\'s reason; the journal records it and the next plan re-uploads', async () => {
    const h = await harness([t0], { watchlists: { uploadMs: 20, failUploads: true } });
    const root = await mkdtemp(join(tmpdir(), 'wl-failed-'));
    try {
      const resolved = h.resolve(only(bigList(100)), [t0]);
      const journal = await Journal.create(root, newRunId(), { targets: [t0.name], prune: false }, [{ name: t0.name, wave: 0 }]);
      const report = await h.apply(resolved, { journal });
      const result = report.targets[0]!.results.find((r) => r.key === 'watchlist/egressallowlist')!;
      expect(result.status).toBe('failed');
      expect(result.error).toContain("watchlist EgressAllowlist: the service's upload of 100 item(s) ended Failed: The upload of watchlist 'EgressAllowlist' failed");
      expect(report.targets[0]!.status).toBe('failed');
      expect((await Journal.latestUnfinished(root))!.data.targets[t0.name]).toMatchObject({ status: 'failed' });
      // The record was written before the upload (no unowned watchlist); the plan now uploads the rows again.
      const [p] = await h.plan(resolved);
      const wl = p!.changes.find((c) => c.type === 'watchlist')!;
      expect(wl.op).toBe('update');
      expect(wl.items!.filter((i) => i.op === 'create')).toHaveLength(100);
    } finally {
      await h.stop();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('an upload still in progress after the wait limit: a clear error; the plan leaves the watchlist alone until it completes', async () => {
    const h = await harness([t0], { watchlists: { uploadMs: 600_000 } }, { asyncPoll: { ...EMULATOR_ASYNC_POLL, timeoutMs: 100 } });
    try {
      const resolved = h.resolve(only(bigList(20)), [t0]);
      const report = await h.apply(resolved);
      const result = report.targets[0]!.results.find((r) => r.key === 'watchlist/egressallowlist')!;
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/watchlist EgressAllowlist: the service's upload of 20 item\(s\) is still in progress after 0\.1 s: not waited for longer/);
      const [p] = await h.plan(resolved);
      expect(p!.changes.find((c) => c.type === 'watchlist')).toMatchObject({ op: 'conflict', phases: [], reason: expect.stringContaining('still running an upload or delete') });
    } finally {
      await h.stop();
    }
  });

  it('Ctrl-C while waiting for the upload ends the wait at once: the change is skipped (aborted), resumable', async () => {
    const controller = new AbortController();
    const h = await harness([t0], { watchlists: { uploadMs: 600_000 } }, { signal: controller.signal, asyncPoll: { ...EMULATOR_ASYNC_POLL, timeoutMs: 600_000 } });
    try {
      // Abort once the watchlist PUT has been answered (the client is then polling).
      const timer = setInterval(() => {
        if (h.emulator.stats().rows.some((r) => r.method === 'PUT' && r.resourceType === 'watchlists' && r.statuses['201'])) {
          clearInterval(timer);
          controller.abort();
        }
      }, 10);
      const report = await h.apply(h.resolve(only(bigList(20)), [t0]), { signal: controller.signal });
      clearInterval(timer);
      expect(controller.signal.aborted).toBe(true);
      expect(report.aborted).toBe(true);
      const result = report.targets[0]!.results.find((r) => r.key === 'watchlist/egressallowlist');
      expect(report.targets[0]!.status).toBe('aborted');
      expect(result).toMatchObject({ status: 'skipped', error: 'aborted' });
    } finally {
      await h.stop();
    }
  });
});

/**
 * The workspace lease (deploy/apply/lease.ts) through the real SDK clients against the emulator's
 * metadata API and its etag preconditions: one holder at a time, a second run waits or stops naming
 * the holder, an expired (crashed) lease is taken over, and the lease never shows in a plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceApi } from '../../scripts/deploy/azure/arm.ts';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { acquireAll, Lease, LeaseHeldError, leaseBody, leaseHolderOf, releaseAll } from '../../scripts/deploy/apply/lease.ts';
import { LEASE_NAME } from '../../scripts/deploy/plan/ownership.ts';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { renderDrift } from '../../scripts/render/deploy-report.ts';
import { content, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

const t0 = target(0);
const ws = workspaceOf(t0);
const LEASE_ID = `${workspaceResourceId(ws)}/providers/Microsoft.SecurityInsights/metadata/${LEASE_NAME}`;
const HOUR = 3_600_000;
const alice = { id: '11111111-1111-4111-8111-111111111111', name: 'alice-soc', legacyOwners: [], template: false };
const bob = { id: '22222222-2222-4222-8222-222222222222', name: 'bob-soc', legacyOwners: [], template: false };

let h: Harness;
let api: WorkspaceApi;
beforeAll(async () => {
  h = await harness([t0]);
  api = new WorkspaceApi(h.pool.get(t0.tenantId, t0.subscriptionId), ws);
});
afterAll(async () => {
  await h.stop();
});

describe('workspace lease', () => {
  it('one holder: a second run without waiting stops naming the holder; after release it takes the lease', async () => {
    const a = await Lease.acquire(api, { runId: 'run-a', owner: alice, ttlMs: HOUR, waitMs: 0 });
    const stored = h.emulator.get(LEASE_ID)!;
    expect(stored.properties).toMatchObject({ kind: 'DeploymentLease', parentId: workspaceResourceId(ws), source: { kind: 'SourceRepository', name: 'alice-soc', sourceId: alice.id } });
    const err = await Lease.acquire(api, { runId: 'run-b', owner: bob, ttlMs: HOUR, waitMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    const msg = (err as Error).message;
    expect(msg).toContain('run run-a of repository alice-soc (11111111-1111-4111-8111-111111111111)');
    expect(msg).toContain(`started ${a.holder.startedAt}, expires ${a.holder.expiresAt}`);
    await a.release();
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)?.released).toBe(true);
    const b = await Lease.acquire(api, { runId: 'run-b', owner: bob, ttlMs: HOUR, waitMs: 0 });
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)).toMatchObject({ runId: 'run-b', repoId: bob.id, repoName: 'bob-soc' });
    await b.release();
  });

  it('a second run waits (bounded) and gets the lease when the first releases it', async () => {
    const a = await Lease.acquire(api, { runId: 'run-a', owner: alice, ttlMs: HOUR, waitMs: 0 });
    const waitedFor: string[] = [];
    const b = await Lease.acquire(api, {
      runId: 'run-b', owner: bob, ttlMs: HOUR, waitMs: 10 * 60_000, pollMs: 10,
      onWait: (holder) => {
        waitedFor.push(holder.runId);
        void a.release();
      },
    });
    expect(waitedFor).toEqual(['run-a']);
    expect(b.holder.runId).toBe('run-b');
    await b.release();
  });

  it('two runs racing for a free lease: exactly one gets it (If-None-Match), the other names it', async () => {
    const results = await Promise.allSettled(['run-x', 'run-y'].map((runId) => Lease.acquire(api, { runId, owner: alice, ttlMs: HOUR, waitMs: 0 })));
    const won = results.filter((r): r is PromiseFulfilledResult<Lease> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(LeaseHeldError);
    expect((lost[0]!.reason as Error).message).toContain(`run ${won[0]!.value.holder.runId} of repository alice-soc`);
    await won[0]!.value.release();
  });

  it("a crashed run's expired lease is taken over; a lease we cannot read counts as expired", async () => {
    const past = new Date(Date.now() - HOUR);
    const crashed = { runId: 'run-crashed', repoId: alice.id, repoName: 'alice-soc', startedAt: new Date(past.getTime() - HOUR).toISOString(), expiresAt: past.toISOString() };
    await api.write({ method: 'PUT', type: 'metadata', name: LEASE_NAME, body: leaseBody(ws, crashed) });
    const b = await Lease.acquire(api, { runId: 'run-b', owner: bob, ttlMs: HOUR, waitMs: 0 });
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)?.runId).toBe('run-b');
    await b.release();

    const garbled = leaseBody(ws, crashed);
    (garbled.properties as Record<string, unknown>).customVersion = 'not a lease';
    await api.write({ method: 'PUT', type: 'metadata', name: LEASE_NAME, body: garbled });
    const c = await Lease.acquire(api, { runId: 'run-c', owner: bob, ttlMs: HOUR, waitMs: 0 });
    await c.release();
  });

  it('a resumed run takes over its own unexpired lease; a fresh run with the same id does not', async () => {
    const first = await Lease.acquire(api, { runId: 'run-r', owner: alice, ttlMs: HOUR, waitMs: 0 });
    await expect(Lease.acquire(api, { runId: 'run-r', owner: alice, ttlMs: HOUR, waitMs: 0 })).rejects.toBeInstanceOf(LeaseHeldError);
    const resumed = await Lease.acquire(api, { runId: 'run-r', owner: alice, ttlMs: HOUR, waitMs: 0, resume: true });
    expect(resumed.holder.startedAt).toBe(first.holder.startedAt);
    // The first attempt's lease was taken over: releasing it leaves the resumed one alone.
    await first.release();
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)?.runId).toBe('run-r');
    await resumed.release();
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)?.released).toBe(true);
  });

  it('renewal moves the expiry; a lease taken over after expiry is reported lost and not deleted', async () => {
    const a = await Lease.acquire(api, { runId: 'run-a', owner: alice, ttlMs: HOUR, waitMs: 0 });
    const before = a.holder.expiresAt;
    await a.renew();
    expect(Date.parse(a.holder.expiresAt)).toBeGreaterThanOrEqual(Date.parse(before));
    // Someone else took it over (as after an expiry): a's etag no longer matches.
    const current = h.emulator.get(LEASE_ID)!;
    await api.write({ method: 'PUT', type: 'metadata', name: LEASE_NAME, body: leaseBody(ws, { ...a.holder, runId: 'run-other' }), ...(current.etag ? { etag: String(current.etag) } : {}) });
    await a.renew();
    expect(a.lost).toContain('taken over');
    await a.release();
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)?.runId).toBe('run-other');
    await api.write({ method: 'DELETE', type: 'metadata', name: LEASE_NAME });
  });

  it('acquireAll takes each workspace once and releases what it took when one is held', async () => {
    const leases = await acquireAll([api, api], { runId: 'run-a', owner: alice, ttlMs: HOUR, waitMs: 0 });
    expect(leases).toHaveLength(1);
    expect(await releaseAll(leases)).toEqual([]);
  });

  it('the lease is never pruned, never drift and never unmanaged content', async () => {
    const resolved = h.resolve(content(2), [t0]);
    expect((await h.apply(resolved)).targets[0]!.status).toBe('ok');
    const [without] = await h.plan(resolved, true);
    const a = await Lease.acquire(api, { runId: 'run-a', owner: alice, ttlMs: HOUR, waitMs: 0 });
    const [withLease] = await h.plan(resolved, true);
    expect(withLease!.unmanaged).toBe(without!.unmanaged);
    expect(countPlan([withLease!])).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(withLease!.changes.map((c) => c.key)).toEqual(without!.changes.map((c) => c.key));
    expect(renderDrift([withLease!], 'json').drifted).toBeFalsy();
    // A pruning apply while someone else's lease sits in the workspace leaves it.
    expect((await h.apply(resolved, { prune: true })).targets[0]!.status).toBe('ok');
    expect(leaseHolderOf(h.emulator.get(LEASE_ID)!)?.runId).toBe('run-a');
    await a.release();
  });
});

/** Rollouts over many targets with injected faults, interruption and resume. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, newRunId } from '../../scripts/deploy/apply/journal.ts';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { EMULATOR_RETRY } from '../../scripts/deploy/azure/clients.ts';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import type { Target } from '../../scripts/model/types.ts';
import type { EmulatorHandle } from '../../scripts/emulator/index.ts';
import { content, rule, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

const RULES = 8;
const ITEMS = 6;
const targets = Array.from({ length: 20 }, (_, i) => target(i));
const UNMANAGED = '44444444-4444-4444-8444-444444444444';

let open: Harness[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  open = [];
  dirs = [];
});

async function start(faults: Record<string, number>): Promise<Harness> {
  const h = await harness(targets, { faults: { seed: 7, retryAfterSeconds: 0.05, ...faults } });
  open.push(h);
  return h;
}

/** Adds one portal-created rule to every workspace: it must survive everything. */
function seedUnmanaged(emulator: EmulatorHandle, ts: readonly Target[]): void {
  for (const t of ts) {
    emulator.portal.put(`${workspaceResourceId(workspaceOf(t))}/providers/Microsoft.SecurityInsights/alertRules/${UNMANAGED}`, {
      kind: 'Scheduled',
      properties: { displayName: 'Portal rule', enabled: true, query: 'SigninLogs | take 1', queryFrequency: 'PT1H', queryPeriod: 'PT1H', severity: 'Low', triggerOperator: 'GreaterThan', triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: 'PT1H' },
    });
  }
}

/** Resource ids (lower case) per workspace, by type: the state to compare. */
function stateOf(emulator: EmulatorHandle, ts: readonly Target[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of ts) {
    const ws = workspaceResourceId(workspaceOf(t));
    const si = `${ws}/providers/Microsoft.SecurityInsights`;
    out[t.name] = [
      ...emulator.list(`${si}/alertRules`),
      ...emulator.list(`${si}/metadata`),
      ...emulator.list(`${si}/watchlists`),
      ...emulator.list(`/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.Insights/workbooks`),
    ].map((r) => {
      // Items uploaded in bulk get ids the service assigns: an item is its watchlist and its values.
      const kv = (r['properties'] as { itemsKeyValue?: unknown } | undefined)?.itemsKeyValue;
      return (kv ? `${String(r.id).replace(/\/[^/]+$/, '')}/${JSON.stringify(kv)}` : String(r.id)).toLowerCase();
    }).sort();
  }
  return out;
}

function expectExactlyDesired(emulator: EmulatorHandle, ts: readonly Target[]): void {
  for (const t of ts) {
    const si = `${workspaceResourceId(workspaceOf(t))}/providers/Microsoft.SecurityInsights`;
    const rules = emulator.list(`${si}/alertRules`).map((r) => String(r.name)).sort();
    expect(rules).toEqual([...Array.from({ length: RULES }, (_, i) => rule(i).rule.id), UNMANAGED].sort());
    expect(emulator.list(`${si}/watchlists/NetworkAllowlist/watchlistItems`)).toHaveLength(ITEMS);
    // one ownership record per rule + watchlist + workbook, no duplicates
    expect(emulator.list(`${si}/metadata`)).toHaveLength(RULES + 2);
  }
}

describe('fault-injected rollout: 20 targets, 20% 429 and 5% 500', () => {
  it('converges to exactly the desired state (no duplicates, nothing unmanaged deleted)', async () => {
    const h = await start({ throttle429: 0.2, error500: 0.05 });
    seedUnmanaged(h.emulator, targets);
    const resolved = h.resolve(content(RULES, ITEMS), targets);
    const report = await h.apply(resolved, { prune: true, concurrency: 6 });
    const stats = h.emulator.stats().total;
    expect(stats.faults['429']).toBeGreaterThan(0);
    expect(stats.faults['500']).toBeGreaterThan(0);
    // Every target is reported, and every one is ok (a failure shows its first error).
    const outcome = (t: (typeof report.targets)[number]) => `${t.target}: ${t.status === 'ok' ? 'ok' : `${t.status} ${t.error ?? t.results.find((r) => r.error)?.error}`}`;
    expect(report.targets.map(outcome).sort()).toEqual(targets.map((t) => `${t.name}: ok`).sort());
    // Each target created its rules, watchlist and workbook (the unmanaged portal rule is untouched).
    expect(report.targets.map((t) => t.created)).toEqual(targets.map(() => RULES + 2));
    expectExactlyDesired(h.emulator, targets);
    const again = await h.plan(resolved, true);
    expect(countPlan(again)).toMatchObject({ create: 0, update: 0, delete: 0, writes: 0 });
  });

  it('an aborted rollout resumes from its journal and ends in the same state as an uninterrupted one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'deploy-resume-'));
    dirs.push(root);
    const c = content(RULES, ITEMS);

    const clean = await start({ throttle429: 0.2, error500: 0.05 });
    seedUnmanaged(clean.emulator, targets);
    await clean.apply(clean.resolve(c, targets), { prune: true, concurrency: 6 });

    const h = await start({ throttle429: 0.2, error500: 0.05 });
    seedUnmanaged(h.emulator, targets);
    const resolved = h.resolve(c, targets);
    const names = targets.map((t) => ({ name: t.name, wave: t.wave }));
    const journal = await Journal.create(root, newRunId(), { targets: names.map((n) => n.name), prune: true }, names);
    const controller = new AbortController();
    const first = await h.apply(resolved, {
      prune: true, concurrency: 6, journal, signal: controller.signal,
      onProgress: (p) => {
        if (p.writesDone >= 150) controller.abort();
      },
    });
    expect(first.aborted).toBe(true);
    const unfinished = await Journal.latestUnfinished(root);
    expect(unfinished?.data.status).toBe('aborted');
    const done = new Set(Object.entries(unfinished!.data.targets).filter(([, t]) => t.status === 'done').map(([n]) => n));
    expect(done.size).toBeGreaterThan(0);
    expect(done.size).toBeLessThan(targets.length);

    const resumed = await h.apply(resolved, { prune: true, concurrency: 6, journal: unfinished! }, );
    expect(resumed.aborted).toBe(false);
    expect(resumed.targets.every((t) => t.status === 'ok')).toBe(true);
    // Resume skipped the finished targets: it planned only the rest.
    expect(resumed.plans.map((p) => p.target).sort()).toEqual(targets.map((t) => t.name).filter((n) => !done.has(n)).sort());
    expect((await Journal.latestUnfinished(root))).toBeUndefined();
    expectExactlyDesired(h.emulator, targets);
    expect(stateOf(h.emulator, targets)).toEqual(stateOf(clean.emulator, targets));
  });
});

describe('throttling', () => {
  it('a tight write bucket shared by many targets: every write lands, the back-off is shared', async () => {
    const sub = target(0).subscriptionId;
    const ts = [0, 1, 2, 3].map((i) => target(i, { subscriptionId: sub, tenantId: target(0).tenantId, wave: 0 }));
    const h = await harness(ts, { throttling: { writes: { burst: 10, refillPerSecond: 40 }, retryAfterMsHeader: true } });
    open.push(h);
    seedUnmanaged(h.emulator, ts);
    const report = await h.apply(h.resolve(content(RULES, ITEMS), ts), { concurrency: 16 });
    expect(report.targets.map((t) => t.error ?? t.results.find((r) => r.error)?.error ?? t.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const stats = h.emulator.stats().total;
    expect(stats.committedWrites).toBe(report.writes);
    expect(stats.throttled).toBeGreaterThan(0);
    expectExactlyDesired(h.emulator, ts);
  });
});

describe('waves', () => {
  it('stop the rollout when the canary wave fails', async () => {
    const ts = [target(0), target(1), target(2)];
    const h = await harness(ts);
    open.push(h);
    // The canary's query is rejected by the service (empty query): wave 0 fails, wave 1 never starts.
    const c = content(1);
    const bad = h.resolve({ ...c, rules: [rule(0, { query: ' ' })] }, [ts[0]!]);
    const good = h.resolve(c, ts.slice(1));
    const report = await h.apply([...bad, ...good], { failureThreshold: 0 });
    expect(report.stopped).toMatch(/^wave 0: 1 of 1 target\(s\) failed/);
    expect(report.targets.find((t) => t.target === 't0')!.status).toBe('failed');
    expect(report.targets.filter((t) => t.wave === 1).map((t) => t.status)).toEqual(['skipped', 'skipped']);
    expect(h.emulator.stats().bySubscription[ts[1]!.subscriptionId.toLowerCase()]).toBeUndefined();
  });
});

describe('a delete that landed but was answered 500', () => {
  it('counts as done when the retry finds the item gone (404 from the SDK), and the next wave runs', async () => {
    const root = await mkdtemp(join(tmpdir(), 'deploy-delete-retry-'));
    dirs.push(root);
    const stateFile = join(root, 'state.json');
    const ts = [target(0), target(1)]; // wave 0 (canary) and wave 1
    const first = await harness(ts, { stateFile });
    await first.apply(first.resolve(content(2), ts));
    await first.stop();

    // Same state; now every write is applied and then answered 500, so the SDK retries it until it
    // gives up. The outcome is ambiguous: the item is re-read, the GET gets 404 through the
    // SecurityInsights SDK's own CommonJS RestError: the item is gone, which is what the delete wanted.
    const h = await harness(ts, { stateFile, throttling: { enabled: false }, faults: { applyThenFail500: 1 } }, { retry: { ...EMULATOR_RETRY, maxRetries: 1 } });
    open.push(h);
    const resolved = h.resolve(content(1), ts);
    const plans = await h.plan(resolved, true);
    // Pruning rule 1: its alert rule, then its ownership record (metadata, through the SDK); nothing else.
    expect(plans.map((p) => p.changes.filter((c) => c.op !== 'noop').map((c) => [c.op, c.type, c.name]))).toEqual([
      [['delete', 'alertRule', rule(1).rule.id]],
      [['delete', 'alertRule', rule(1).rule.id]],
    ]);
    expect(countPlan(plans).writes).toBe(4);

    const report = await h.apply(resolved, { prune: true, failureThreshold: 0 });
    expect(report.stopped).toBeUndefined();
    expect(report.targets.map((t) => [t.target, t.wave, t.status, t.deleted, t.error ?? t.results.find((r) => r.error)?.error])).toEqual([
      ['t0', 0, 'ok', 1, undefined],
      ['t1', 1, 'ok', 1, undefined],
    ]);
    expect(h.emulator.stats().total.faults['applyThenFail500']).toBe(4 * 2); // 4 writes, each tried twice
    for (const t of ts) {
      const si = `${workspaceResourceId(workspaceOf(t))}/providers/Microsoft.SecurityInsights`;
      expect(h.emulator.list(`${si}/alertRules`).map((r) => r.name)).toEqual([rule(0).rule.id]);
      expect(h.emulator.list(`${si}/metadata`)).toHaveLength(3); // rule 0, watchlist, workbook
    }
  });
});

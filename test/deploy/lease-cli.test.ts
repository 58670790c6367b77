/**
 * `apply` and the workspace lease, and the repository identity, end to end: the real CLI (in
 * process and as child processes) with the real SDK clients against the emulator.
 * Issue 13 items 2 and 3: concurrent applies → the second waits or stops naming the holder, final
 * state exact; an expired lease is taken over; two clones with different identities → no cross-prune.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { ClientPool, EMULATOR_RETRY } from '../../scripts/deploy/azure/clients.ts';
import { WorkspaceApi } from '../../scripts/deploy/azure/arm.ts';
import { emulatorSignIn } from '../../scripts/cli/deploy.ts';
import { Lease, leaseBody, leaseHolderOf } from '../../scripts/deploy/apply/lease.ts';
import { LEASE_NAME } from '../../scripts/deploy/plan/ownership.ts';
import { Journal } from '../../scripts/deploy/apply/journal.ts';
import { repoConfigText } from '../../scripts/content/repo-config.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { GOOD_RULE, tempRepo, targetYaml, type TempRepo } from '../helpers/repo.ts';

const TENANT = '00000000-0000-0000-0000-0000000000a1';
const SUB = '00000000-0000-0000-0000-0000000000b1';
const TARGET = targetYaml({ tenantId: TENANT, subscriptionId: SUB });
const WS_REF = { tenantId: TENANT, location: 'westeurope', subscriptionId: SUB, resourceGroup: 'rg-soc', workspaceName: 'law-soc' };
const WS = `/subscriptions/${SUB}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc`;
const RULE_A = '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const RULE_B = '7d3e4f5a-2c3d-4e6f-9a01-b2c3d4e5f6a7';
const ID_A = { id: 'aaaaaaaa-0000-4000-8000-00000000000a', name: 'soc-content-a', legacyOwners: [], template: false };
const ID_B = { id: 'bbbbbbbb-0000-4000-8000-00000000000b', name: 'soc-content-b', legacyOwners: [], template: false };
const HOUR = 3_600_000;

let em: EmulatorHandle;
let api: WorkspaceApi;
const repos: TempRepo[] = [];

function repoWith(files: Record<string, string>, identity = true): TempRepo {
  const r = tempRepo({ 'targets/soc.yaml': TARGET, ...files }, { identity });
  repos.push(r);
  return r;
}
const via = (r: TempRepo) => ['--root', r.root, '--endpoint', em.url, '--auth', 'emulator'];
const rules = () => em.list(`${WS}/providers/Microsoft.SecurityInsights/alertRules`).map((x) => x.name).sort();
const lease = () => em.get(`${WS}/providers/Microsoft.SecurityInsights/metadata/${LEASE_NAME}`);

/** The CLI in process, its stderr readable while it runs. */
function runLive(argv: string[], signal?: AbortSignal): { done: Promise<number>; stderr: () => string } {
  let err = '';
  const done = main(argv, (root) => ({ root, out: () => {}, err: (t) => { err += `${t}\n`; }, env: {}, isTTY: false, ...(signal ? { signal } : {}) }));
  return { done, stderr: () => err };
}

beforeAll(async () => {
  em = await startEmulator({
    workspaces: [{ tenantId: TENANT, subscriptionId: SUB, resourceGroup: 'rg-soc', workspace: 'law-soc', location: 'westeurope' }],
    throttling: { enabled: false },
  });
  const pool = new ClientPool({ auth: 'emulator', endpoint: em.url, env: {}, retry: EMULATOR_RETRY, ...emulatorSignIn(em.url) });
  api = new WorkspaceApi(pool.get(TENANT, SUB), WS_REF);
});
afterAll(async () => {
  await em.stop();
  for (const r of repos) r.cleanup();
});

describe('repository identity', () => {
  it('plan and apply refuse without one and say to run sentinel init', async () => {
    const r = repoWith({ 'analytics-rules/entra/good-rule.yaml': GOOD_RULE }, false);
    for (const verb of ['plan', 'apply']) {
      const run = await runCli([verb, ...via(r), ...(verb === 'apply' ? ['--yes'] : [])]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no repository identity: sentinel.config.yaml is missing. Run `sentinel init`');
    }
    r.write('sentinel.config.yaml', 'repository:\n  id: not-a-guid\n  name: x\n');
    const bad = await runCli(['plan', ...via(r)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sentinel.config.yaml:2:7: repository.id must be a GUID');
    expect(rules()).toEqual([]);
  });

  it("the template's identity deploys only to an emulator", async () => {
    const r = repoWith({ 'analytics-rules/entra/good-rule.yaml': GOOD_RULE, 'sentinel.config.yaml': repoConfigText({ ...ID_A, template: true }) });
    const refused = await runCli(['plan', '--root', r.root, '--auth', 'cli']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("still holds the template's identity (template: true): run `sentinel init --force`");
    const viaEmulator = await runCli(['plan', ...via(r)]);
    expect(viaEmulator.code).toBe(0);
  });

  it('two clones with different identities never prune each other; plan shows the identity', async () => {
    const a = repoWith({ 'analytics-rules/entra/good-rule.yaml': GOOD_RULE, 'sentinel.config.yaml': repoConfigText(ID_A) });
    const b = repoWith({ 'analytics-rules/entra/other-rule.yaml': GOOD_RULE.replace(RULE_A, RULE_B), 'sentinel.config.yaml': repoConfigText(ID_B) });
    expect((await runCli(['apply', '--yes', '--prune', ...via(a)])).code).toBe(0);
    const planB = await runCli(['plan', '--prune', ...via(b)]);
    expect(planB.stdout).toContain(`repository: soc-content-b (${ID_B.id})`);
    expect((await runCli(['apply', '--yes', '--prune', ...via(b)])).code).toBe(0);
    expect((await runCli(['apply', '--yes', '--prune', ...via(a)])).code).toBe(0);
    expect(rules()).toEqual([RULE_A, RULE_B].sort());
    const meta = em.list(`${WS}/providers/Microsoft.SecurityInsights/metadata`).filter((m) => m.name !== LEASE_NAME);
    const sources = meta.map((m) => (m.properties as { source: { sourceId: string } }).source.sourceId).sort();
    expect(sources).toEqual([ID_A.id, ID_B.id]);
    // Each clone's plan: its own rule unchanged, the other's not touched.
    const json = JSON.parse((await runCli(['plan', '--prune', '--format', 'json', ...via(a)])).stdout) as { targets: { changes: { op: string }[]; unmanaged: number }[] };
    expect(json.targets[0]!.changes.map((c) => c.op)).toEqual(['noop']);
    expect(json.targets[0]!.unmanaged).toBe(1);
    // Clean up for the next tests.
    for (const r of [a, b]) {
      r.remove('analytics-rules/entra/good-rule.yaml');
      r.remove('analytics-rules/entra/other-rule.yaml');
      expect((await runCli(['apply', '--yes', '--prune', ...via(r)])).code).toBe(0);
    }
    expect(rules()).toEqual([]);
  });

  it('records written under the old package.json name are recognised through legacyOwners and rewritten with the id', async () => {
    const r = repoWith({ 'analytics-rules/entra/good-rule.yaml': GOOD_RULE }, false);
    expect((await runCli(['apply', '--yes', ...via(r), '--repo-name', 'old-pkg-name'])).code).toBe(0);
    r.write('sentinel.config.yaml', repoConfigText({ ...ID_A, legacyOwners: ['old-pkg-name'] }));
    const plan = JSON.parse((await runCli(['plan', '--format', 'json', ...via(r)])).stdout) as { targets: { changes: { op: string; changes: { path: string }[] }[] }[] };
    // Ours (not a conflict): only its ownership record is rewritten, with the id.
    expect(plan.targets[0]!.changes.map((c) => c.op)).toEqual(['update']);
    expect((await runCli(['apply', '--yes', ...via(r)])).code).toBe(0);
    const again = JSON.parse((await runCli(['plan', '--format', 'json', ...via(r)])).stdout) as { targets: { changes: { op: string }[] }[] };
    expect(again.targets[0]!.changes.map((c) => c.op)).toEqual(['noop']);
    // Without the legacy name the old records would not be ours: the same repo under a new identity sees a conflict.
    r.write('sentinel.config.yaml', repoConfigText(ID_B));
    const other = JSON.parse((await runCli(['plan', '--format', 'json', ...via(r)])).stdout) as { targets: { changes: { op: string }[] }[] };
    expect(other.targets[0]!.changes.map((c) => c.op)).toEqual(['conflict']);
    r.write('sentinel.config.yaml', repoConfigText(ID_A));
    r.remove('analytics-rules/entra/good-rule.yaml');
    expect((await runCli(['apply', '--yes', '--prune', ...via(r)])).code).toBe(0);
    expect(rules()).toEqual([]);
  });
});

describe('apply takes the workspace lease', () => {
  it('a lease held by another run: apply --lock-wait 0 stops naming the holder and writes nothing', async () => {
    const r = repoWith({ 'analytics-rules/entra/good-rule.yaml': GOOD_RULE, 'sentinel.config.yaml': repoConfigText(ID_A) });
    const held = await Lease.acquire(api, { runId: 'run-elsewhere', owner: ID_B, ttlMs: HOUR, waitMs: 0 });
    const run = await runCli(['apply', '--yes', '--lock-wait', '0', ...via(r)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`workspace rg-soc/law-soc is locked by run run-elsewhere of repository soc-content-b (${ID_B.id}), started ${held.holder.startedAt}, expires ${held.holder.expiresAt}`);
    expect(rules()).toEqual([]);
    expect(run.stderr).not.toContain('--resume');
    await held.release();
  });

  it('a second run waits for the first and then applies; the lease is released at the end', async () => {
    const r = repoWith({ 'analytics-rules/entra/good-rule.yaml': GOOD_RULE, 'sentinel.config.yaml': repoConfigText(ID_A) });
    const held = await Lease.acquire(api, { runId: 'run-first', owner: ID_A, ttlMs: HOUR, waitMs: 0 });
    const live = runLive(['apply', '--yes', '--lock-wait', '10m', ...via(r)]);
    while (!live.stderr().includes('waiting up to')) await new Promise((res) => setTimeout(res, 20));
    expect(live.stderr()).toContain('for the workspace lease held by run run-first of repository soc-content-a');
    expect(rules()).toEqual([]);
    await held.release();
    expect(await live.done).toBe(0);
    expect(rules()).toEqual([RULE_A]);
    expect(leaseHolderOf(lease()!)?.released).toBe(true);
  });

  it('Ctrl-C while waiting for a lease ends the wait: nothing written, no journal to resume', async () => {
    // RULE_B would be created if anything were written.
    const r = repoWith({ 'analytics-rules/entra/other-rule.yaml': GOOD_RULE.replace(RULE_A, RULE_B), 'sentinel.config.yaml': repoConfigText(ID_A) });
    const held = await Lease.acquire(api, { runId: 'run-long', owner: ID_B, ttlMs: HOUR, waitMs: 0 });
    const ctrlC = new AbortController();
    const live = runLive(['apply', '--yes', '--lock-wait', '10m', ...via(r)], ctrlC.signal);
    while (!live.stderr().includes('waiting up to')) await new Promise((res) => setTimeout(res, 20));
    ctrlC.abort();
    expect(await live.done).toBe(130);
    expect(live.stderr()).toContain('interrupted while waiting for a workspace lease: nothing written');
    expect(rules()).toEqual([RULE_A]);
    expect(existsSync(join(r.root, '.sentinel', 'journal'))).toBe(false);
    expect(leaseHolderOf(lease()!)?.runId).toBe('run-long');
    await held.release();
  });

  it('apply --resume takes the lease of its own crashed run again; a fresh run is kept out by it', async () => {
    const r = repoWith({ 'analytics-rules/entra/other-rule.yaml': GOOD_RULE.replace(RULE_A, RULE_B), 'sentinel.config.yaml': repoConfigText(ID_B) });
    // What a run killed mid-apply leaves: its unfinished journal and its unexpired lease.
    const crashed = await Lease.acquire(api, { runId: 'run-killed', owner: ID_B, ttlMs: HOUR, waitMs: 0 });
    await Journal.create(r.root, 'run-killed', { targets: ['soc'], prune: false }, [{ name: 'soc', wave: 0 }]);
    const fresh = await runCli(['apply', '--yes', '--lock-wait', '0', ...via(r)]);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain('is locked by run run-killed of repository soc-content-b');
    const resumed = await runCli(['apply', '--yes', '--lock-wait', '0', '--resume', 'run-killed', ...via(r)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming run run-killed');
    expect(rules()).toEqual([RULE_A, RULE_B].sort());
    expect(leaseHolderOf(lease()!)?.released).toBe(true);
    await crashed.release(); // its etag is stale: the resumed run's release already removed the lease
    // Leave the workspace as the next test expects it (only RULE_A).
    r.remove('analytics-rules/entra/other-rule.yaml');
    expect((await runCli(['apply', '--yes', '--prune', ...via(r)])).code).toBe(0);
    expect(rules()).toEqual([RULE_A]);
  });

  it("a crashed run's expired lease is taken over", async () => {
    const r = repoWith({ 'analytics-rules/entra/other-rule.yaml': GOOD_RULE.replace(RULE_A, RULE_B), 'sentinel.config.yaml': repoConfigText(ID_B) });
    const past = new Date(Date.now() - HOUR).toISOString();
    await api.write({ method: 'PUT', type: 'metadata', name: LEASE_NAME, body: leaseBody(WS_REF, { runId: 'run-crashed', repoId: ID_A.id, repoName: ID_A.name, startedAt: past, expiresAt: past }) });
    const run = await runCli(['apply', '--yes', '--lock-wait', '0', ...via(r)]);
    expect(run.code).toBe(0);
    expect(rules()).toEqual([RULE_A, RULE_B].sort());
    expect(leaseHolderOf(lease()!)?.released).toBe(true);
  });

  it('two concurrent applies (separate processes) to one workspace both finish; the final state is exact', async () => {
    const rulesOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => {
      const id = `0c0c0c0c-0000-4000-8000-${String(i).padStart(12, '0')}`;
      return [`analytics-rules/entra/rule-${i}.yaml`, GOOD_RULE.replace(RULE_A, id).replace('Service principal credential added', `Concurrent rule ${i}`)];
    }));
    const r = repoWith({ ...rulesOf(6), 'sentinel.config.yaml': repoConfigText({ ...ID_A, id: 'cccccccc-0000-4000-8000-00000000000c' }) });
    const both = await Promise.all([0, 1].map(() => spawnCli(['apply', '--yes', '--lock-wait', '2m', ...via(r)], { timeoutMs: 180_000 })));
    for (const run of both) expect(run.code, run.stderr).toBe(0);
    expect(leaseHolderOf(lease()!)?.released).toBe(true);
    const plan = JSON.parse((await runCli(['plan', '--format', 'json', ...via(r)])).stdout) as { targets: { changes: { op: string }[] }[] };
    expect(plan.targets[0]!.changes.map((c) => c.op)).toEqual(Array(6).fill('noop'));
    const mine = em.list(`${WS}/providers/Microsoft.SecurityInsights/metadata`).filter((m) => m.name !== LEASE_NAME && (m.properties as { source: { sourceId: string } }).source.sourceId === 'cccccccc-0000-4000-8000-00000000000c');
    expect(mine).toHaveLength(6);
  }, 200_000);
});

/**
 * `--adopt` end to end: the repo's content exported (`sentinel export --format arm`), each template
 * deployed through the official ARM SDK (@azure/arm-resources) against the emulator — content with no
 * ownership record, as `az deployment group create` leaves it — then `sentinel plan` shows conflicts
 * that name --adopt, `plan --adopt` shows adopt changes, `apply --adopt --yes` (one target) and a saved
 * adopt plan (`plan --adopt --out`, `apply <file>`, another target) take them over, and the next plan
 * without --adopt is all unchanged with zero writes. A rule recorded by Content hub or by another repo
 * is never adopted.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { useLoopbackBearer } from '../../scripts/deploy/azure/loopback-auth.ts';
import { loadRepo } from '../../scripts/content/load.ts';
import { workspacesOf } from '../../scripts/cli/emulator.ts';
import { runCli } from '../helpers/cli.ts';
import { jsonFiles } from '../helpers/files.ts';
import { credentialOf, FAST_RETRY, securityInsights } from '../emulator/helpers.ts';
import type { Target } from '../../scripts/model/types.ts';
import { ADOPTABLE_REASON } from '../../scripts/deploy/plan/plan.ts';
import { GOOD_FUNCTION } from '../helpers/repo.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROD = 'contoso-prod';
const CANARY = 'contoso-canary';
const FOREIGN_ROW = '3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f';

interface JsonPlan {
  summary: Record<string, number>;
  targets: { target: string; changes: { key: string; type: string; name: string; op: string; reason?: string; phases: unknown[][] }[] }[];
}

let em: EmulatorHandle;
let root: string;
let targets: Map<string, Target>;
/** Rule ids given a Content-hub record and another repo's record in prod. */
let solutionRule: string;
let otherRepoRule: string;

const cli = (...args: string[]) => runCli([...args, '--root', root, '--endpoint', em.url, '--auth', 'emulator']);
const plan = async (...args: string[]): Promise<JsonPlan> => {
  const r = await cli('plan', '--format', 'json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonPlan;
};
const changesOf = (p: JsonPlan, target: string) => p.targets.find((t) => t.target === target)!.changes;

/** Exports the repo for `target` and deploys every template as `az deployment group create` would. */
async function exportAndDeploy(target: Target): Promise<void> {
  const out = join(root, '.scratch', `arm-${target.name}`);
  const exp = await runCli(['export', '--root', root, '--format', 'arm', '--out', out, '--target', target.name]);
  expect(exp.code, exp.stderr).toBe(0);
  const credential = credentialOf(em, target.tenantId);
  const client = useLoopbackBearer(new ResourceManagementClient(credential, target.subscriptionId, { endpoint: em.url, ...FAST_RETRY }), credential);
  for (const file of jsonFiles(out).sort()) {
    const result = await client.deployments.beginCreateOrUpdateAndWait(target.resourceGroup, relative(out, file).replace(/[^-\w.()]/g, '_').slice(-64), {
      properties: { mode: 'Incremental', template: JSON.parse(readFileSync(file, 'utf8')), parameters: { workspace: { value: target.workspaceName } } },
    });
    expect(result.properties?.provisioningState, file).toBe('Succeeded');
  }
}

beforeAll(async () => {
  // A copy of the project's content (apply writes its journal under the repo root), plus a function.
  root = mkdtempSync(join(tmpdir(), 'sentinel-adopt-'));
  for (const d of ['analytics-rules', 'watchlists', 'workbooks', 'targets', 'sentinel.config.yaml']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
  mkdirSync(join(root, 'functions'));
  writeFileSync(join(root, 'functions', 'SpCredentialChanges.yaml'), GOOD_FUNCTION);
  const repo = await loadRepo(root);
  targets = new Map(repo.targets.map((t) => [t.target.name, t.target]));
  em = await startEmulator({ workspaces: workspacesOf(repo.targets.map((t) => t.target)), throttling: { enabled: false } });
});
afterAll(async () => {
  await em?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('adopting exported content deployed through ARM', () => {
  it('exported content deployed through ARM is a conflict that names --adopt; a Content-hub and another repo\'s record are named', async () => {
    const prod = targets.get(PROD)!;
    await exportAndDeploy(prod);
    await exportAndDeploy(targets.get(CANARY)!);
    const before = changesOf(await plan('--targets', PROD), PROD);
    expect(before.length).toBeGreaterThan(3);
    for (const c of before) expect(c.op === 'conflict' && c.reason === ADOPTABLE_REASON, JSON.stringify(c)).toBe(true);

    // Two rules get records of other owners: Content hub's (its own record name) and another repo's.
    const rules = before.filter((c) => c.type === 'alertRule').map((c) => c.name);
    [solutionRule, otherRepoRule] = [rules[0]!, rules[1]!];
    const si = securityInsights(em, credentialOf(em, prod.tenantId), prod.subscriptionId);
    const ruleArmId = (id: string) =>
      `/subscriptions/${prod.subscriptionId}/resourceGroups/${prod.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${prod.workspaceName}/providers/Microsoft.SecurityInsights/alertRules/${id}`;
    await si.metadata.create(prod.resourceGroup, prod.workspaceName, 'azuresentinel.solution-entra-ar-1', {
      kind: 'AnalyticsRule', parentId: ruleArmId(solutionRule), contentId: solutionRule, version: '1.0.0', source: { kind: 'Solution', name: 'Microsoft Entra ID' },
    });
    // A row the repo does not list, added by the same identity before the adoption: it stays the workspace's.
    await si.watchlistItems.createOrUpdate(prod.resourceGroup, prod.workspaceName, 'NetworkAllowlist', FOREIGN_ROW, {
      itemsKeyValue: { IPOrRange: '100.64.0.0/10', Description: 'carrier-grade NAT added by the SOC', Owner: 'soc@contoso.example', Expires: '2027-01-01T00:00:00Z', Ticket: 'SOC-1', Tenant: 'contoso' },
    });
    await si.metadata.create(prod.resourceGroup, prod.workspaceName, `analyticsrule-${otherRepoRule}`, {
      kind: 'AnalyticsRule', parentId: ruleArmId(otherRepoRule), contentId: otherRepoRule, version: '1.0.0',
      source: { kind: 'SourceRepository', name: 'other-repo', sourceId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' },
    });
  });

  it('plan --adopt shows adopt changes with their writes; records of other owners stay conflicts', async () => {
    const p = await plan('--targets', PROD, '--adopt');
    const changes = changesOf(p, PROD);
    expect(changes.find((c) => c.name === solutionRule)).toMatchObject({ op: 'conflict', reason: "its metadata record belongs to Solution 'Microsoft Entra ID', not this repo: not touched" });
    expect(changes.find((c) => c.name === otherRepoRule)).toMatchObject({ op: 'conflict', reason: "its metadata record belongs to SourceRepository 'other-repo', not this repo: not touched" });
    const rest = changes.filter((c) => c.name !== solutionRule && c.name !== otherRepoRule);
    for (const c of rest) expect(c.op, JSON.stringify(c)).toBe('adopt');
    expect(new Set(rest.map((c) => c.type))).toEqual(new Set(['alertRule', 'watchlist', 'workbook', 'function']));
    expect(p.summary.adopt).toBe(rest.length);
    expect(p.summary.writes).toBeGreaterThanOrEqual(rest.length);
    const text = await cli('plan', '--targets', PROD, '--adopt');
    expect(text.stdout).toMatch(new RegExp(`Plan: 0 to create, 0 to update, ${rest.length} to adopt, 0 to delete, 0 unchanged, 2 conflict\\(s\\) not touched · ${p.summary.writes} write\\(s\\)`));
  });

  it('a saved adopt plan applies exactly that; --adopt cannot be combined with a plan file', async () => {
    const file = join(root, 'adopt-plan.json');
    const saved = await cli('plan', '--targets', CANARY, '--adopt', '--out', file);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).selection).toMatchObject({ targets: [CANARY], adopt: true, prune: false });
    const both = await cli('apply', file, '--adopt');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--adopt cannot be combined with a plan file/);
    const applied = await cli('apply', file);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toMatch(/ adopted, 0 deleted/);
    const after = await plan('--targets', CANARY);
    for (const c of changesOf(after, CANARY)) expect(c.op, JSON.stringify(c)).toBe('noop');
    expect(after.summary.writes).toBe(0);
  });

  it('apply --adopt --yes takes the rest over; the next plan without --adopt is unchanged with zero writes, the others\' items untouched', async () => {
    // On Actions the job summary (through @actions/core) gets an Adopted column.
    const summaryFile = join(root, 'step-summary.md');
    writeFileSync(summaryFile, '');
    const applied = await runCli(['apply', '--targets', PROD, '--adopt', '--yes', '--root', root, '--endpoint', em.url, '--auth', 'emulator'], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(applied.code, applied.stderr + applied.stdout).toBe(1); // the two conflicts are reported as not applied
    expect(applied.stdout).toMatch(/ adopted, 0 deleted/);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('| Created | Updated | Adopted | Deleted | Unchanged | Failed | Writes |');
    expect(summary).toMatch(new RegExp(`\\| ${PROD} \\| .* \\| 0 \\| 0 \\| [1-9]\\d* \\| 0 \\|`));
    // The journal records --adopt, so `apply --resume` of an interrupted run adopts too.
    const journals = readdirSync(join(root, '.sentinel', 'journal')).filter((f) => f.endsWith('.json'));
    const options = journals.map((f) => (JSON.parse(readFileSync(join(root, '.sentinel', 'journal', f), 'utf8')) as { options: { targets: string[]; adopt?: boolean } }).options);
    expect(options.find((o) => o.targets.includes(PROD))).toMatchObject({ adopt: true });
    em.resetStats();
    const after = await plan('--targets', PROD);
    const changes = changesOf(after, PROD);
    for (const c of changes.filter((x) => x.name !== solutionRule && x.name !== otherRepoRule)) expect(c.op, JSON.stringify(c)).toBe('noop');
    expect(changes.filter((c) => c.op === 'conflict').map((c) => c.name).sort()).toEqual([solutionRule, otherRepoRule].sort());
    expect(after.summary.writes).toBe(0);
    expect(em.stats().total.writes).toBe(0);
    // No record of this repo was written beside the others' records.
    const prod = targets.get(PROD)!;
    const meta = securityInsights(em, credentialOf(em, prod.tenantId), prod.subscriptionId).metadata;
    const status = (name: string) => meta.get(prod.resourceGroup, prod.workspaceName, name).then(() => 200, (e: { statusCode?: number }) => e.statusCode);
    expect(await status(`analyticsrule-${solutionRule}`)).toBe(404);
    expect((await meta.get(prod.resourceGroup, prod.workspaceName, `analyticsrule-${otherRepoRule}`)).source).toMatchObject({ name: 'other-repo' });
    // Another plan --adopt --prune writes nothing either: the others' rules stay theirs, and the row added
    // before the adoption (created before the record, so not the repo's upload) is kept, never pruned.
    const again = await plan('--targets', PROD, '--adopt', '--prune');
    expect(again.summary.writes).toBe(0);
    expect(again.summary.adopt).toBe(0);
    const wl = changesOf(again, PROD).find((c) => c.type === 'watchlist') as unknown as { foreign?: { name: string; conflict: boolean }[] };
    expect(wl.foreign).toEqual([expect.objectContaining({ name: FOREIGN_ROW, conflict: false })]);
    const si = securityInsights(em, credentialOf(em, targets.get(PROD)!.tenantId), targets.get(PROD)!.subscriptionId);
    expect((await si.watchlistItems.get(targets.get(PROD)!.resourceGroup, targets.get(PROD)!.workspaceName, 'NetworkAllowlist', FOREIGN_ROW)).itemsKeyValue).toMatchObject({ IPOrRange: '100.64.0.0/10' });
  });
});

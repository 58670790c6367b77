/**
 * `sentinel export --format arm` end to end: the repo's own content exported for a target, each template
 * deployed through the official ARM SDK (@azure/arm-resources, Deployments_CreateOrUpdate + the
 * Azure-AsyncOperation poll) against the emulator, the resources read back through the
 * SecurityInsights / workbooks SDKs, and `sentinel plan` showing them as not managed by the repo
 * (exports carry no ownership records, docs/export.md#ownership).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { useLoopbackBearer } from '../../scripts/deploy/azure/loopback-auth.ts';
import { loadRepo } from '../../scripts/content/load.ts';
import { workspacesOf } from '../../scripts/cli/emulator.ts';
import { workbookResourceName } from '../../scripts/deploy/desired/mapping.ts';
import { workspaceOf } from '../../scripts/deploy/desired/model.ts';
import { runCli } from '../helpers/cli.ts';
import { jsonFiles } from '../helpers/files.ts';
import { appInsights, credentialOf, FAST_RETRY, securityInsights } from '../emulator/helpers.ts';
import type { Target } from '../../scripts/model/types.ts';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { GOOD_FUNCTION, GOOD_RULE, tempRepo, WATCHLIST } from '../helpers/repo.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARGET = 'contoso-prod';

let em: EmulatorHandle;
let out: string;
let target: Target;

function resources(em: EmulatorHandle, t: Target): ResourceManagementClient {
  const credential = credentialOf(em, t.tenantId);
  return useLoopbackBearer(new ResourceManagementClient(credential, t.subscriptionId, { endpoint: em.url, ...FAST_RETRY }), credential);
}

beforeAll(async () => {
  const repo = await loadRepo(ROOT);
  target = repo.targets.find((t) => t.target.name === TARGET)!.target;
  em = await startEmulator({ workspaces: workspacesOf(repo.targets.map((t) => t.target)), throttling: { enabled: false } });
  out = join(mkdtempSync(join(tmpdir(), 'sentinel-export-')), 'arm');
});
afterAll(async () => {
  await em.stop();
  rmSync(join(out, '..'), { recursive: true, force: true });
});

describe('export → az-style deployment → Sentinel', () => {
  it('exports, deploys every template through @azure/arm-resources and the resources exist', async () => {
    const exp = await runCli(['export', '--root', ROOT, '--format', 'arm', '--out', out, '--target', TARGET]);
    expect(exp.code, exp.stderr).toBe(0);
    const files = jsonFiles(out).sort();
    expect(files.length).toBeGreaterThan(3);

    const client = resources(em, target);
    for (const file of files) {
      const name = relative(out, file).replace(/[^-\w.()]/g, '_').slice(-64);
      const result = await client.deployments.beginCreateOrUpdateAndWait(target.resourceGroup, name, {
        properties: { mode: 'Incremental', template: JSON.parse(readFileSync(file, 'utf8')), parameters: { workspace: { value: target.workspaceName } } },
      });
      expect(result.properties?.provisioningState, file).toBe('Succeeded');
      expect(result.properties?.outputResources?.length, file).toBeGreaterThan(0);
      const again = await client.deployments.get(target.resourceGroup, name);
      expect(again.properties?.provisioningState).toBe('Succeeded');
    }

    const repo = await loadRepo(ROOT);
    const si = securityInsights(em, credentialOf(em, target.tenantId), target.subscriptionId);
    const disabled = new Set(['aws', 'gcp']); // contoso-prod's disableRules
    for (const rf of repo.rules.filter((r) => !disabled.has(r.area))) {
      const rule = await si.alertRules.get(target.resourceGroup, target.workspaceName, rf.rule.id);
      expect(rule.kind).toBe(rf.rule.kind);
      expect((rule as { displayName?: string }).displayName).toBe(rf.rule.name);
    }
    // The target's override (app-password-created: enabled false) is in the export.
    const off = repo.rules.find((r) => r.slug === 'app-password-created')!;
    expect(((await si.alertRules.get(target.resourceGroup, target.workspaceName, off.rule.id)) as { enabled?: boolean }).enabled).toBe(false);
    for (const wf of repo.watchlists) {
      const w = await si.watchlists.get(target.resourceGroup, target.workspaceName, wf.watchlist.alias);
      expect(w.displayName).toBe(wf.watchlist.displayName);
      const items = [];
      for await (const i of si.watchlistItems.list(target.resourceGroup, target.workspaceName, wf.watchlist.alias)) items.push(i);
      const own = Object.entries(target.watchlistItems ?? {}).find(([a]) => a.toLowerCase() === wf.watchlist.alias.toLowerCase())?.[1] ?? [];
      expect(items.length).toBeGreaterThanOrEqual(wf.watchlist.items.length);
      expect(items.length).toBeLessThanOrEqual(wf.watchlist.items.length + own.length);
    }
    const wb = repo.workbooks[0]!;
    const workbook = await appInsights(em, credentialOf(em, target.tenantId), target.subscriptionId).workbooks.get(
      target.resourceGroup, workbookResourceName(wb.workbook.id, workspaceOf(target)),
    );
    expect(workbook.displayName).toBe(wb.workbook.displayName);
    expect(workbook.location).toBe(target.location);
    expect(workbook.sourceId?.toLowerCase()).toBe(
      `/subscriptions/${target.subscriptionId}/resourcegroups/${target.resourceGroup}/providers/microsoft.operationalinsights/workspaces/${target.workspaceName}`.toLowerCase(),
    );
  });

  it('sentinel plan sees the deployed items as not managed by the repo and never touches them', async () => {
    const plan = await runCli(['plan', '--root', ROOT, '--endpoint', em.url, '--auth', 'emulator', '--targets', TARGET, '--format', 'json']);
    const doc = JSON.parse(plan.stdout) as { targets: { changes: { type: string; name: string; op: string; reason?: string }[] }[] };
    const items = doc.targets.flatMap((t) => t.changes);
    expect(items.length, plan.stdout).toBeGreaterThan(0);
    expect(plan.code, plan.stderr).toBe(0);
    for (const i of items) {
      expect(i.op, JSON.stringify(i)).toBe('conflict');
      expect(i.reason).toMatch(/not managed by this repo/);
    }
  });

  it('a template fault is a synchronous InvalidTemplate through the SDK; a resource the provider refuses fails the deployment', async () => {
    const client = resources(em, target);
    const base = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0' };
    const put = (name: string, template: Record<string, unknown>, parameters: Record<string, { value: unknown }> = {}) =>
      client.deployments.beginCreateOrUpdateAndWait(target.resourceGroup, name, { properties: { mode: 'Incremental', template, parameters } });
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as { code?: string }).code ?? String(e));

    expect(await code(put('missing-param', { ...base, parameters: { workspace: { type: 'string' } }, resources: [] }))).toBe('InvalidTemplate');
    expect(await code(put('extra-param', { ...base, resources: [] }, { workspace: { value: 'x' } }))).toBe('InvalidTemplate');
    expect(await code(put('unknown-function', { ...base, resources: [{ type: 'Microsoft.Insights/workbooks', apiVersion: '2023-06-01', name: "[uniqueString('x')]", properties: {} }] }))).toBe('InvalidTemplate');
    const rule = {
      type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules', apiVersion: '2024-03-01',
      name: `[concat('${target.workspaceName}', '/Microsoft.SecurityInsights/', 'bad-rule')]`, kind: 'Scheduled',
      properties: { displayName: 'no query' },
    };
    // core-lro reports a Failed operation as an Error naming the operation's error code.
    expect(await code(put('rejected-rule', { ...base, resources: [rule] }))).toMatch(/long-running operation has failed\. DeploymentFailed\./);
    // Deployments_Validate (what Repositories runs first, Test-AzResourceGroupDeployment): the same template checks, nothing applied.
    const file = jsonFiles(out).find((f) => f.includes('analytics-rules'))!;
    const ok = await client.deployments.beginValidateAndWait(target.resourceGroup, 'validate-only', {
      properties: { mode: 'Incremental', template: JSON.parse(readFileSync(file, 'utf8')), parameters: { workspace: { value: target.workspaceName } } },
    });
    expect(ok.properties?.provisioningState).toBe('Succeeded');
    expect(ok.properties?.validatedResources?.[0]?.id).toContain('/providers/Microsoft.SecurityInsights/alertRules/');
    const invalid = await client.deployments.beginValidateAndWait(target.resourceGroup, 'validate-only', {
      properties: { mode: 'Incremental', template: { ...base, resources: [] }, parameters: { workspace: { value: 'x' } } },
    }).then((r) => r.error?.code, (e: unknown) => (e as { code?: string }).code);
    expect(invalid).toBe('InvalidTemplate');
    expect(await code(client.deployments.get(target.resourceGroup, 'validate-only'))).toBe('DeploymentNotFound');
    const failed = await client.deployments.get(target.resourceGroup, 'rejected-rule');
    expect(failed.properties?.provisioningState).toBe('Failed');
    expect(failed.properties?.error?.details?.[0]?.code).toMatch(/BadRequest|Invalid/);
  });

  it('a repo-only export (no target) deploys functions as saved searches and NRT rules; an escaped literal arrives as written', async () => {
    const nrt = GOOD_RULE.replace('6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f7').replace('kind: Scheduled', 'kind: NRT')
      .replace(/queryFrequency.*\nqueryPeriod.*\ntriggerOperator.*\ntriggerThreshold.*\n/, '').replace('name: Service principal credential added', 'name: Service principal credential added (NRT)')
      .replace('  - T1098.001', '  - T1098'); // no sub-technique, so only the kind can ask for a preview api-version
    const repo = tempRepo({
      'analytics-rules/entra/nrt.yaml': nrt,
      'analytics-rules/entra/good.yaml': GOOD_RULE.replace('description: A certificate or secret was added to a service principal.', "description: '[not an expression]'"),
      'functions/SpCredentialChanges.yaml': GOOD_FUNCTION,
    });
    const dir = join(out, '..', 'small');
    try {
      const exp = await runCli(['export', '--root', repo.root, '--out', dir]);
      expect(exp.code, exp.stderr).toBe(0);
      const client = resources(em, target);
      for (const file of jsonFiles(dir)) {
        const result = await client.deployments.beginCreateOrUpdateAndWait(target.resourceGroup, `small-${relative(dir, file).replace(/[^-\w.()]/g, '_')}`.slice(0, 64), {
          properties: { mode: 'Incremental', template: JSON.parse(readFileSync(file, 'utf8')), parameters: { workspace: { value: target.workspaceName } } },
        });
        expect(result.properties?.provisioningState, file).toBe('Succeeded');
      }
      const credential = credentialOf(em, target.tenantId);
      const si = securityInsights(em, credential, target.subscriptionId);
      const rule = (await si.alertRules.get(target.resourceGroup, target.workspaceName, '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6')) as { description?: string };
      expect(rule.description).toBe('[not an expression]');
      // The GA specs define no NRT kind: the export names a preview api-version for it.
      expect(JSON.parse(readFileSync(join(dir, 'analytics-rules/entra/nrt.json'), 'utf8')).resources[0].apiVersion).toMatch(/-preview$/);
      const nrtRule = await si.alertRules.get(target.resourceGroup, target.workspaceName, '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f7');
      expect(nrtRule.kind).toBe('NRT');
      const oi = useLoopbackBearer(new OperationalInsightsManagementClient(credential, target.subscriptionId, { endpoint: em.url, ...FAST_RETRY }), credential);
      const search = await oi.savedSearches.get(target.resourceGroup, target.workspaceName, 'SpCredentialChanges');
      expect(search.functionAlias).toBe('SpCredentialChanges');
    } finally {
      repo.cleanup();
    }
  });

  it('a watchlist over one resource\'s share is split into part templates that, deployed in order, give every row once', async () => {
    // 3,150 rows of ~290 bytes of CSV: over EXPORT_UPLOAD_BYTES (900 kB), so two templates, while the
    // YAML stays under the 1 MB content-file limit.
    const N = 3150;
    const rows = Array.from({ length: N }, (_, i) => `  - IPOrRange: 10.${i >> 8}.${i & 255}.0/24\n    Description: branch ${String(i).padStart(5, '0')} ${'x'.repeat(262)}\n`).join('');
    // Its own alias: the earlier tests deployed the repo's NetworkAllowlist to this workspace.
    const repo = tempRepo({ 'watchlists/BranchAllowlist.yaml': WATCHLIST.replace('alias: NetworkAllowlist', 'alias: BranchAllowlist').replace(/items:\n[\s\S]*$/, `items:\n${rows}`) });
    const dir = join(out, '..', 'big');
    try {
      const exp = await runCli(['export', '--root', repo.root, '--out', dir]);
      expect(exp.code, exp.stderr).toBe(0);
      const files = jsonFiles(dir).map((f) => relative(dir, f)).sort();
      expect(files).toEqual(['watchlists/BranchAllowlist.json', 'watchlists/BranchAllowlist.part-2.json']);
      const client = resources(em, target);
      const deployAll = async (round: string) => {
        for (const [i, file] of files.entries()) {
          const text = readFileSync(join(dir, file), 'utf8');
          const template = JSON.parse(text) as { resources: unknown[] };
          // ARM: at most 800 resources a template and 1 MB a resource definition (template best practices).
          expect(template.resources).toHaveLength(1);
          expect(Buffer.byteLength(JSON.stringify(template.resources[0]))).toBeLessThan(1_000_000);
          const result = await client.deployments.beginCreateOrUpdateAndWait(target.resourceGroup, `big-${round}-${i + 1}`, {
            properties: { mode: 'Incremental', template, parameters: { workspace: { value: target.workspaceName } } },
          });
          expect(result.properties?.provisioningState, file).toBe('Succeeded');
        }
      };
      await deployAll('a');
      const si = securityInsights(em, credentialOf(em, target.tenantId), target.subscriptionId);
      const listed = async () => {
        const keys: string[] = [];
        for await (const i of si.watchlistItems.list(target.resourceGroup, target.workspaceName, 'BranchAllowlist')) keys.push(String((i.itemsKeyValue as Record<string, unknown>).IPOrRange));
        return keys;
      };
      const first = await listed();
      expect(first).toHaveLength(N);
      expect(new Set(first).size).toBe(N);
      // Deploying the same templates again adds nothing: an uploaded row equal to an existing item is not added twice.
      await deployAll('b');
      expect(await listed()).toHaveLength(N);
    } finally {
      repo.cleanup();
    }
  });
});

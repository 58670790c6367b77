/**
 * The emulator's resource-group template deployments (resources/deployments.ts) through the real ARM SDK
 * (@azure/arm-resources): ordering by dependsOn, condition, scope, outputs, 201 then 200, the request
 * and template checks, and a resource refused by its provider failing the deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceManagementClient } from '@azure/arm-resources';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { useLoopbackBearer } from '../../scripts/deploy/azure/loopback-auth.ts';
import { baseConfig, credentialOf, FAST_RETRY, RG, SUB_A, TENANT_A, WORKSPACE_A, WS } from './helpers.ts';

let em: EmulatorHandle;
let client: ResourceManagementClient;
beforeAll(async () => {
  em = await startEmulator(baseConfig());
  const credential = credentialOf(em, TENANT_A);
  client = useLoopbackBearer(new ResourceManagementClient(credential, SUB_A, { endpoint: em.url, ...FAST_RETRY }), credential);
});
afterAll(() => em.stop());

const base = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0' };
const WATCHLISTS = 'Microsoft.OperationalInsights/workspaces/providers/watchlists';
const watchlist = (alias: string, extra: Record<string, unknown> = {}) => ({
  type: WATCHLISTS, apiVersion: '2024-03-01', name: `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '${alias}')]`,
  properties: { displayName: alias, provider: 'SOC', source: 'Local file', itemsSearchKey: 'Key' }, ...extra,
});
const item = (alias: string, id: string, dependsOn: string[]) => ({
  type: `${WATCHLISTS}/watchlistItems`, apiVersion: '2024-03-01',
  name: `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '${alias}', '/', '${id}')]`,
  dependsOn, properties: { itemsKeyValue: { Key: id } },
});
const deploy = (name: string, template: Record<string, unknown>, parameters: Record<string, { value: unknown }> = { workspace: { value: WS } }) =>
  client.deployments.beginCreateOrUpdateAndWait(RG, name, { properties: { mode: 'Incremental', template, parameters } });
const failure = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as { code?: string; message?: string }).code ?? String((e as Error).message));
const WS_PARAM = { workspace: { type: 'string' } };

describe('template deployments', () => {
  it('applies resources in dependsOn order (an item listed before its watchlist), skips condition: false, evaluates outputs', async () => {
    const id = '11111111-aaaa-4bbb-8ccc-000000000001';
    const result = await deploy('ordered', {
      ...base,
      parameters: WS_PARAM,
      variables: { alias: 'Ordered' },
      resources: [
        item('Ordered', id, [`[resourceId('${WATCHLISTS}', parameters('workspace'), 'Microsoft.SecurityInsights', variables('alias'))]`]),
        watchlist('Ordered'),
        { ...watchlist('Skipped'), condition: '[false()]' },
      ],
      outputs: { watchlistId: { type: 'string', value: `[resourceId('${WATCHLISTS}', parameters('workspace'), 'Microsoft.SecurityInsights', 'Ordered')]` } },
    });
    expect(result.properties?.provisioningState).toBe('Succeeded');
    expect(result.properties?.outputs).toEqual({ watchlistId: { type: 'string', value: `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Ordered` } });
    expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Ordered/watchlistItems/${id}`)).toBeDefined();
    expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Skipped`)).toBeUndefined();
    expect(result.properties?.outputResources?.map((r) => r.id)).toEqual([
      `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Ordered`,
      `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Ordered/watchlistItems/${id}`,
    ]);
  });

  it('an extension resource given by scope lands under that resource', async () => {
    const result = await deploy('scoped', {
      ...base, parameters: WS_PARAM,
      resources: [{
        type: 'Microsoft.SecurityInsights/watchlists', apiVersion: '2024-03-01', name: 'Scoped',
        scope: "[format('Microsoft.OperationalInsights/workspaces/{0}', parameters('workspace'))]",
        properties: { displayName: 'Scoped', provider: 'SOC', source: 'Local file', itemsSearchKey: 'Key' },
      }],
    });
    expect(result.properties?.provisioningState).toBe('Succeeded');
    expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Scoped`)).toBeDefined();
  });

  it('template faults are InvalidTemplate before anything is written', async () => {
    expect(await failure(deploy('cycle', { ...base, parameters: WS_PARAM, resources: [
      { ...watchlist('A'), dependsOn: ['B'] }, { ...watchlist('B'), name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'B')]", dependsOn: [`[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'A')]`] },
    ] }))).toBe('InvalidTemplate');
    expect(await failure(deploy('unknown-dep', { ...base, parameters: WS_PARAM, resources: [{ ...watchlist('C'), dependsOn: ['nope'] }] }))).toBe('InvalidTemplate');
    expect(await failure(deploy('segments', { ...base, parameters: WS_PARAM, resources: [{ ...watchlist('D'), name: "[parameters('workspace')]" }] }))).toBe('InvalidTemplate');
    expect(await failure(deploy('allowed', { ...base, parameters: { workspace: { type: 'string', allowedValues: ['other'] } }, resources: [] }))).toBe('InvalidTemplate');
    expect(await failure(deploy('wrong-type', { ...base, parameters: WS_PARAM, resources: [] }, { workspace: { value: 3 } }))).toBe('InvalidTemplate');
    for (const alias of ['A', 'B', 'C', 'D']) expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/${alias}`)).toBeUndefined();
    await expect(client.deployments.get(RG, 'cycle')).rejects.toMatchObject({ code: 'DeploymentNotFound' });
  });

  it('request faults: name, mode, linked templates', async () => {
    expect(await failure(deploy('x'.repeat(65), { ...base, resources: [] }, {}))).toBe('DeploymentNameLengthLimitExceeded');
    expect(await failure(client.deployments.beginCreateOrUpdateAndWait(RG, 'complete', { properties: { mode: 'Complete', template: { ...base, resources: [] } } }))).toBe('InvalidRequestContent');
    expect(await failure(client.deployments.beginCreateOrUpdateAndWait(RG, 'linked', { properties: { mode: 'Incremental', templateLink: { uri: 'https://example.invalid/t.json' } } }))).toBe('InvalidRequestContent');
    expect(await failure(client.deployments.beginCreateOrUpdateAndWait('no-such-rg', 'x', { properties: { mode: 'Incremental', template: { ...base, resources: [] } } }))).toBe('ResourceGroupNotFound');
  });

  it('a resource its provider refuses fails the deployment; its dependants are not deployed; a second PUT of the name answers 200', async () => {
    const bad = { ...watchlist('Refused'), properties: { displayName: 'no search key', provider: 'SOC', source: 'Local file' } };
    const id = '11111111-aaaa-4bbb-8ccc-000000000002';
    const message = await failure(deploy('refused', { ...base, parameters: WS_PARAM, resources: [bad, item('Refused', id, [`[resourceId('${WATCHLISTS}', parameters('workspace'), 'Microsoft.SecurityInsights', 'Refused')]`])] }));
    expect(message).toMatch(/DeploymentFailed/);
    const d = await client.deployments.get(RG, 'refused');
    expect(d.properties?.provisioningState).toBe('Failed');
    expect(d.properties?.error?.details).toHaveLength(1);
    expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Refused/watchlistItems/${id}`)).toBeUndefined();

    const first = await client.deployments.beginCreateOrUpdate(RG, 'twice', { properties: { mode: 'Incremental', template: { ...base, resources: [] } } });
    await first.pollUntilDone();
    const raw: number[] = [];
    await client.deployments.beginCreateOrUpdateAndWait(RG, 'twice', { properties: { mode: 'Incremental', template: { ...base, resources: [] } } }, { onResponse: (r) => raw.push(r.status) });
    expect(raw[0]).toBe(200);
  });

  it('a watchlist whose upload the provider runs asynchronously keeps the deployment Running until the upload ends', async () => {
    const slow = await startEmulator({ ...baseConfig(), watchlists: { uploadMs: 400, deleteMs: 0 } });
    try {
      const credential = credentialOf(slow, TENANT_A);
      const c = useLoopbackBearer(new ResourceManagementClient(credential, SUB_A, { endpoint: slow.url, ...FAST_RETRY }), credential);
      const csv = 'Key,Note\r\na,first\r\nb,second\r\n';
      const template = { ...base, parameters: WS_PARAM, resources: [watchlist('Uploaded', { properties: { ...watchlist('Uploaded').properties, contentType: 'text/csv', numberOfLinesToSkip: 0, rawContent: csv } })] };
      const statuses: string[] = [];
      const poller = await c.deployments.beginCreateOrUpdate(RG, 'uploaded', { properties: { mode: 'Incremental', template, parameters: { workspace: { value: WS } } } }, { updateIntervalInMs: 50 });
      poller.onProgress((state) => statuses.push(String(state.status)));
      const result = await poller.pollUntilDone();
      expect(result.properties?.provisioningState).toBe('Succeeded');
      expect(statuses).toContain('running');
      expect(slow.list(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Uploaded/watchlistItems`)).toHaveLength(2);
    } finally {
      await slow.stop();
    }
  });

  it('a failed asynchronous upload fails the deployment with the provider\'s error as a detail naming the watchlist', async () => {
    const failing = await startEmulator({ ...baseConfig(), watchlists: { uploadMs: 10, deleteMs: 0, failUploads: true } });
    try {
      const credential = credentialOf(failing, TENANT_A);
      const c = useLoopbackBearer(new ResourceManagementClient(credential, SUB_A, { endpoint: failing.url, ...FAST_RETRY }), credential);
      const template = { ...base, parameters: WS_PARAM, resources: [watchlist('Broken', { properties: { ...watchlist('Broken').properties, contentType: 'text/csv', rawContent: 'Key\r\na\r\n' } })] };
      const message = await failure(c.deployments.beginCreateOrUpdateAndWait(RG, 'broken', { properties: { mode: 'Incremental', template, parameters: { workspace: { value: WS } } } }, { updateIntervalInMs: 20 }));
      expect(message).toMatch(/DeploymentFailed/);
      const d = await c.deployments.get(RG, 'broken');
      expect(d.properties?.provisioningState).toBe('Failed');
      expect(d.properties?.error?.details?.[0]?.target).toBe(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Broken`);
    } finally {
      await failing.stop();
    }
  });
});

/**
 * `sentinel drift` / `plan` / `apply --prune` through the CLI for watchlist items added outside the
 * repo (docs/deploy.md, "Items added outside the repo"): the exit codes and the adopt instructions,
 * with the real SDK clients over HTTP against the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { emulatorCli } from '../helpers/cli.ts';
import { tempRepo, WATCHLIST, targetYaml, type TempRepo } from '../helpers/repo.ts';

const TENANT = '00000000-0000-0000-0000-0000000000a2';
const SUB = '00000000-0000-0000-0000-0000000000b2';
const TARGET = targetYaml({ tenantId: TENANT, subscriptionId: SUB });
const ITEMS = `/subscriptions/${SUB}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc/providers/Microsoft.SecurityInsights/watchlists/NetworkAllowlist/watchlistItems`;
const PORTAL_ID = '3c9d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const TWIN_ID = '4d0e3f2a-5b6c-4d7e-9f80-a1b2c3d4e5f6';

let em: EmulatorHandle;
let repo: TempRepo;
const cli = emulatorCli(() => ({ root: repo.root, url: em.url }), 'items-e2e');

beforeAll(async () => {
  em = await startEmulator({
    workspaces: [{ tenantId: TENANT, subscriptionId: SUB, resourceGroup: 'rg-soc', workspace: 'law-soc', location: 'westeurope' }],
    throttling: { enabled: false },
  });
  repo = tempRepo({ 'targets/soc.yaml': TARGET, 'watchlists/NetworkAllowlist.yaml': WATCHLIST });
  const first = await cli('apply');
  expect(first.code, first.stdout + first.stderr).toBe(0);
  em.portal.put(`${ITEMS}/${PORTAL_ID}`, { properties: { itemsKeyValue: { IPOrRange: '203.0.113.0/28', Description: 'Partner jump hosts' } } });
});
afterAll(async () => {
  await em.stop();
  repo.cleanup();
});

describe('watchlist items added outside the repo, through the CLI', () => {
  it('drift lists the item once under "Added outside the repo" with the YAML to adopt it, and exits 0', async () => {
    const run = await cli('drift');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Added outside the repo (kept; never written or pruned by plan/apply):');
    expect(run.stdout.split('? watchlist NetworkAllowlist item 203.0.113.0/28').length).toBe(2);
    expect(run.stdout).toContain('adopt: add under `items:` in watchlists/NetworkAllowlist.yaml');
    expect(run.stdout).toContain('- IPOrRange: 203.0.113.0/28\n          Description: Partner jump hosts');
    expect(run.stdout).toContain('No drift');
    const json = JSON.parse((await cli('drift', '--format', 'json')).stdout);
    expect(json).toMatchObject({ drifted: 0, addedOutside: 1, conflicts: 0 });
  });

  it('plan shows it kept; apply --prune keeps it and prunes the repo item removed from the file', async () => {
    repo.write('watchlists/NetworkAllowlist.yaml', WATCHLIST.replace('  - IPOrRange: 2001:db8::/32\n    Description: IPv6 lab\n', ''));
    const plan = await cli('plan', '--prune');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('○ item 203.0.113.0/28 — added outside the repo: kept (never pruned)');
    expect(plan.stdout).toContain('- item 2001:db8::/32');
    expect(plan.stdout).not.toContain('- item 203.0.113.0/28');
    const run = await cli('apply', '--prune');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(em.get(`${ITEMS}/${PORTAL_ID}`)).toBeDefined();
    // The repo's items were uploaded in bulk (ids the service assigns): what remains, by key.
    const keys = em.list(ITEMS).map((r) => (r['properties'] as { itemsKeyValue: Record<string, string> }).itemsKeyValue['IPOrRange']).sort();
    expect(keys).toEqual(['192.0.2.0/24', '198.51.100.10-198.51.100.20', '203.0.113.0/28']);
  });

  it('a portal item holding a repo key is a conflict: drift exits 1 and the portal item is not overwritten', async () => {
    em.portal.put(`${ITEMS}/${TWIN_ID}`, { properties: { itemsKeyValue: { IPOrRange: '192.0.2.0/24', Description: 'Office (portal)' } } });
    // The repo's own item for that key still exists: the twin is a duplicate key the repo did not write.
    const run = await cli('drift');
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('? watchlist NetworkAllowlist item 192.0.2.0/24 (id ' + TWIN_ID + '): conflict — a second row for a key the repo lists');
    expect((await cli('plan')).stdout).toContain('! item 192.0.2.0/24 — added outside the repo, a second row for a key the repo lists: kept, not touched');
    expect((await cli('apply', '--prune')).code).toBe(0);
    expect(em.get(`${ITEMS}/${TWIN_ID}`)!.properties).toMatchObject({ itemsKeyValue: { Description: 'Office (portal)' } });
  });
});

/** Saved searches and the Tables API through @azure/arm-operationalinsights against the emulator. */
import { describe, expect, it } from 'vitest';
import type { SavedSearch, Table } from '@azure/arm-operationalinsights';
import { baseConfig, credentialOf, operationalInsights, restError, RG, TENANT_A, WORKSPACE_A, WS, withEmulator } from './helpers.ts';
import { loadCatalogue } from '../../scripts/model/tables.ts';
import { ConfigError } from '../../scripts/emulator/index.ts';

function statusOf() {
  const box = { status: 0 };
  return { box, options: { onResponse: (r: { status: number }) => void (box.status = r.status) } };
}

const fn: SavedSearch = {
  category: 'Detection helpers',
  displayName: 'Trusted networks',
  query: 'datatable(Cidr: string) ["10.0.0.0/8"]',
  functionAlias: 'TrustedNetworks',
  functionParameters: "window: timespan = 1d",
  tags: [{ name: 'managed-by', value: 'sentinel-as-code' }],
};

describe('savedSearches (SavedSearches.json 2020-08-01)', () => {
  it('creates and updates with 200, new weak datetime etag each write, version defaults to 2', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const created = statusOf();
      const a = await oi.savedSearches.createOrUpdate(RG, WS, 'trusted-networks', fn, created.options);
      expect(created.box.status).toBe(200);
      expect(a.id).toBe(`${WORKSPACE_A}/savedSearches/trusted-networks`);
      expect(a.type).toBe('Microsoft.OperationalInsights/savedSearches');
      expect(a.etag).toMatch(/^W\/"datetime'\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{7}Z'"$/);
      expect(a).toMatchObject({ functionAlias: 'TrustedNetworks', functionParameters: 'window: timespan = 1d', version: 2, tags: fn.tags });

      const updated = statusOf();
      const b = await oi.savedSearches.createOrUpdate(RG, WS, 'trusted-networks', { ...fn, query: 'print 1', etag: a.etag }, updated.options);
      expect(updated.box.status).toBe(200);
      expect(b.etag).not.toBe(a.etag);
      expect((await oi.savedSearches.get(RG, WS, 'trusted-networks')).query).toBe('print 1');
    });
  });

  it('a stale body etag → 409; "*" and no etag override', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const a = await oi.savedSearches.createOrUpdate(RG, WS, 's1', fn);
      await oi.savedSearches.createOrUpdate(RG, WS, 's1', { ...fn, query: 'print 2' });
      const err = await restError(oi.savedSearches.createOrUpdate(RG, WS, 's1', { ...fn, etag: a.etag }));
      expect(err.statusCode).toBe(409);
      expect(err.code).toBe('Conflict');
      const star = await oi.savedSearches.createOrUpdate(RG, WS, 's1', { ...fn, query: 'print 3', etag: '*' });
      expect(star.query).toBe('print 3');
    });
  });

  it('requires category, displayName and query (400 naming the field)', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const err = await restError(oi.savedSearches.createOrUpdate(RG, WS, 's1', { category: 'c', displayName: 'd', query: '' }));
      expect(err.statusCode).toBe(400);
      expect(err.message).toContain('properties.query');
      const noCat = await restError(oi.savedSearches.createOrUpdate(RG, WS, 's1', { displayName: 'd', query: 'print 1' } as SavedSearch));
      expect(noCat.message).toContain('properties.category');
    });
  });

  it('lists {value} without paging, GET of a missing one is 404, DELETE is 200 (also when absent)', async () => {
    await withEmulator(baseConfig({ pageSize: 1 }), async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      await oi.savedSearches.createOrUpdate(RG, WS, 'b', fn);
      await oi.savedSearches.createOrUpdate(RG, WS, 'a', { ...fn, functionAlias: 'Other' });
      const list = await oi.savedSearches.listByWorkspace(RG, WS);
      expect(list.value?.map((s) => s.name)).toEqual(['a', 'b']);
      const del = statusOf();
      await oi.savedSearches.delete(RG, WS, 'a', del.options);
      expect(del.box.status).toBe(200);
      const again = statusOf();
      await oi.savedSearches.delete(RG, WS, 'a', again.options);
      expect(again.box.status).toBe(200);
      expect((await restError(oi.savedSearches.get(RG, WS, 'a'))).statusCode).toBe(404);
      expect((await oi.savedSearches.listByWorkspace(RG, WS)).value?.map((s) => s.name)).toEqual(['b']);
    });
  });

  it('rejects an unknown api-version and an unknown workspace as ARM does', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const token = await credentialOf(em, TENANT_A).getToken('https://management.azure.com/.default');
      const url = `${em.url}${WORKSPACE_A}/savedSearches?api-version=2019-01-01`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${token!.token}` } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NoRegisteredProviderFound');
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      expect((await restError(oi.savedSearches.listByWorkspace(RG, 'nope'))).statusCode).toBe(404);
    });
  });
});

async function allTables(oi: ReturnType<typeof operationalInsights>, ws = WS): Promise<Table[]> {
  const out: Table[] = [];
  for await (const t of oi.tables.listByWorkspace(RG, ws)) out.push(t);
  return out;
}

describe('tables (Tables.json 2022-10-01)', () => {
  it('by default a workspace has every catalogue table, columns under standardColumns with the API type names', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const tables = await allTables(oi);
      expect(tables.map((t) => t.name).sort()).toEqual([...loadCatalogue().keys()].sort());
      const signin = await oi.tables.get(RG, WS, 'SigninLogs');
      expect(signin.id).toBe(`${WORKSPACE_A}/tables/SigninLogs`);
      expect(signin.schema).toMatchObject({ name: 'SigninLogs', tableType: 'Microsoft', source: 'microsoft', columns: [] });
      const cols = new Map(signin.schema!.standardColumns!.map((c) => [c.name, c.type]));
      expect(cols.size).toBe(loadCatalogue().get('SigninLogs')!.columns.length);
      expect(cols.get('TimeGenerated')).toBe('dateTime');
      expect(cols.get('UserPrincipalName')).toBe('string');
      expect(signin.provisioningState).toBe('Succeeded');
    });
  });

  it('per-workspace table sets: without (connector off), builtIn list, custom _CL tables; missing table → 404', async () => {
    const config = baseConfig();
    config.tenants![0]!.subscriptions![0]!.resourceGroups[0]!.workspaces = [
      { name: WS, tables: { without: ['AWSCloudTrail'], custom: [{ name: 'Vendor_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Action_s', type: 'string' }, { name: 'Ok_b', type: 'boolean' }] }] } },
      { name: 'ws-other', tables: { builtIn: ['SigninLogs', 'AuditLogs'] } },
    ];
    await withEmulator(config, async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const missing = await restError(oi.tables.get(RG, WS, 'AWSCloudTrail'));
      expect(missing.statusCode).toBe(404);
      const vendor = await oi.tables.get(RG, WS, 'vendor_cl');
      expect(vendor.name).toBe('Vendor_CL');
      expect(vendor.schema).toMatchObject({ tableType: 'CustomLog', source: 'customer' });
      expect(vendor.schema!.columns!.map((c) => [c.name, c.type])).toEqual([['TimeGenerated', 'dateTime'], ['Action_s', 'string'], ['Ok_b', 'boolean']]);
      expect(vendor.schema!.standardColumns!.map((c) => c.name)).toEqual(['TenantId', 'Type']);
      expect((await allTables(oi, 'ws-other')).map((t) => t.name).sort()).toEqual(['AuditLogs', 'SigninLogs']);
    });
  });

  it('a table set naming a table the catalogue lacks is a config error', async () => {
    const config = baseConfig({ tables: { without: ['NoSuchTable'] } });
    await expect(withEmulator(config, async () => undefined)).rejects.toThrow(ConfigError);
    await expect(withEmulator(config, async () => undefined)).rejects.toThrow(/tables\.without\[0\].*NoSuchTable/);
  });

  it('table writes are not emulated (405)', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const err = await restError(oi.tables.beginCreateOrUpdateAndWait(RG, WS, 'X_CL', { schema: { name: 'X_CL', columns: [{ name: 'TimeGenerated', type: 'dateTime' }] } }));
      expect(err.statusCode).toBe(405);
    });
  });
});


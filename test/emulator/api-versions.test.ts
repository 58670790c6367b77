/**
 * What each api-version knows, per the version's REST spec (scripts/emulator/apiVersions.ts cites them):
 * kinds, per-kind properties, nested AlertDetailsOverride properties; workbook identity / sourceId / kind.
 */
import { describe, expect, it } from 'vitest';
import { withEmulator, baseConfig, credentialOf, RG, SUB_A, TENANT_A, WORKSPACE_A } from './helpers.ts';
import type { EmulatorHandle } from '../../scripts/emulator/index.ts';

type Res = { status: number; body: any };

async function client(em: EmulatorHandle) {
  const token = (await credentialOf(em, TENANT_A).getToken('https://management.azure.com/.default'))!.token;
  return async (method: string, path: string, apiVersion: string, body?: unknown, query = ''): Promise<Res> => {
    const res = await fetch(`${em.url}${path}?api-version=${apiVersion}${query}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

const rule = (name: string) => `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/${name}`;
const rules = `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules`;
const nrt = { kind: 'NRT', properties: { displayName: 'n', enabled: true, severity: 'Low', query: 'Heartbeat', suppressionEnabled: false, suppressionDuration: 'PT5H' } };
const scheduled = (extra: Record<string, unknown> = {}) => ({
  kind: 'Scheduled',
  properties: {
    displayName: 's', enabled: true, severity: 'Low', query: 'Heartbeat', queryFrequency: 'PT1H', queryPeriod: 'PT1H',
    triggerOperator: 'GreaterThan', triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: 'PT5H', ...extra,
  },
});

describe('SecurityInsights api-versions', () => {
  it('serves the versions the specs have (2024-03-01 and 2025-09-01 exist) and answers others NoRegisteredProviderFound listing them', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      for (const v of ['2022-09-01-preview', '2022-10-01-preview', '2022-11-01', '2023-02-01', '2024-03-01', '2024-09-01', '2025-01-01-preview', '2025-09-01']) {
        expect((await call('GET', rules, v)).status, v).toBe(200);
      }
      const bad = await call('GET', rules, '2021-10-01');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('NoRegisteredProviderFound');
      expect(bad.body.error.message).toContain("API version '2021-10-01'");
      expect(bad.body.error.message).toContain('2025-09-01');
    });
  });

  it('metadata is not served with 2022-11-01 (that GA folder has no Metadata.json); alert rules and watchlists are', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      const md = await call('GET', `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/metadata`, '2022-11-01');
      expect(md.status).toBe(400);
      expect(md.body.error.code).toBe('NoRegisteredProviderFound');
      expect(md.body.error.message).not.toContain('2022-11-01,');
      expect((await call('GET', `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists`, '2022-11-01')).status).toBe(200);
      expect((await call('GET', rules, '2022-11-01')).status).toBe(200);
    });
  });

  it('GA versions define no NRT kind: their lists leave NRT rules out, a GET or PUT of one is a 400 naming the versions that define it', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      expect((await call('PUT', rule('n1'), '2025-01-01-preview', nrt)).status).toBe(201);
      expect((await call('PUT', rule('s1'), '2025-09-01', scheduled())).status).toBe(201);
      const ga = await call('GET', rules, '2025-09-01');
      expect(ga.body.value.map((r: { name: string }) => r.name)).toEqual(['s1']);
      const preview = await call('GET', rules, '2025-01-01-preview');
      expect(preview.body.value.map((r: { name: string }) => r.name).sort()).toEqual(['n1', 's1']);
      const get = await call('GET', rule('n1'), '2024-09-01');
      expect(get.status).toBe(400);
      expect(get.body.error.message).toContain('2025-01-01-preview');
      expect((await call('PUT', rule('n2'), '2023-02-01', nrt)).status).toBe(400);
      expect((await call('DELETE', rule('n1'), '2024-09-01')).status).toBe(200);
    });
  });

  it('alertDynamicProperties exists from 2024-03-01 (and 2022-10-01-preview), not in 2023-02-01; an older write keeps it', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      const ado = { alertDisplayNameFormat: 'A {{Computer}}', alertDynamicProperties: [{ alertProperty: 'ProductName', value: 'P' }] };
      await call('PUT', rule('s'), '2024-09-01', scheduled({ alertDetailsOverride: ado }));
      const old = await call('GET', rule('s'), '2023-02-01');
      expect(old.body.properties.alertDetailsOverride).toEqual({ alertDisplayNameFormat: 'A {{Computer}}', alertDescriptionFormat: null, alertTacticsColumnName: null, alertSeverityColumnName: null });
      const etag = old.body.etag;
      await call('PUT', rule('s'), '2023-02-01', { ...scheduled({ alertDetailsOverride: { alertDisplayNameFormat: 'B' } }), etag });
      const now = await call('GET', rule('s'), '2022-10-01-preview');
      expect(now.body.properties.alertDetailsOverride).toMatchObject({ alertDisplayNameFormat: 'B', alertDynamicProperties: ado.alertDynamicProperties });
    });
  });

  it('2022-10-01-preview knows sentinelEntitiesMappings but not subTechniques; 2025-01-01-preview knows both; GA neither', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      const extra = { sentinelEntitiesMappings: [{ columnName: 'Computer' }], subTechniques: ['T1098.001'], techniques: ['T1098'] };
      await call('PUT', rule('s'), '2022-10-01-preview', scheduled(extra));
      const stored = (await call('GET', rule('s'), '2025-01-01-preview')).body.properties;
      expect(stored.sentinelEntitiesMappings).toEqual([{ columnName: 'Computer' }]);
      expect(stored.subTechniques).toEqual([]);
      const ga = (await call('GET', rule('s'), '2025-09-01')).body.properties;
      expect(ga).not.toHaveProperty('sentinelEntitiesMappings');
      expect(ga).not.toHaveProperty('subTechniques');
    });
  });

  it('Fusion: GA has no sourceSettings; the read-only template fields of a write are ignored', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      const body = { kind: 'Fusion', properties: { alertRuleTemplateName: 'f71aba3d-28fb-450b-b192-4e76a83015c8', enabled: true, displayName: 'mine', sourceSettings: [] } };
      const r = await call('PUT', rule('fusion'), '2025-09-01', body);
      expect(r.status).toBe(201);
      expect(r.body.properties.displayName).not.toBe('mine');
      expect(r.body.properties).not.toHaveProperty('sourceSettings');
      expect((await call('GET', rule('fusion'), '2022-09-01-preview')).body.properties).toHaveProperty('sourceSettings');
    });
  });
});

describe('workbook api-versions', () => {
  const wb = (name: string) => `/subscriptions/${SUB_A}/resourceGroups/${RG}/providers/Microsoft.Insights/workbooks/${name}`;
  const body = (extra: Record<string, unknown> = {}) => ({ location: 'westeurope', kind: 'shared', properties: { displayName: `w-${Math.random()}`, serializedData: '{}', category: 'sentinel' }, ...extra });

  it('identity: validated, returned with the read-only ids, kept on update', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      const sys = await call('PUT', wb('0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body({ identity: { type: 'SystemAssigned' } }));
      expect(sys.status).toBe(201);
      expect(sys.body.identity).toMatchObject({ type: 'SystemAssigned', tenantId: TENANT_A });
      expect(sys.body.identity.principalId).toMatch(/^[0-9a-f-]{36}$/);
      const again = await call('PUT', wb('0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body({ identity: { type: 'SystemAssigned' } }));
      expect(again.body.identity.principalId).toBe(sys.body.identity.principalId);
      const bad = await call('PUT', wb('1f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body({ identity: { type: 'Managed' } }));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('identity.type');
      expect((await call('PUT', wb('1f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body({ identity: { type: 'UserAssigned' } }))).status).toBe(400);
    });
  });

  it("sourceId: the query parameter of PUT sets it when the body has none; lists by resource group filter by it, lists by subscription do not; kind 'user' only in 2021-08-01", async () => {
    await withEmulator(baseConfig(), async (em) => {
      const call = await client(em);
      const src = `${WORKSPACE_A}`;
      const put = await call('PUT', wb('2f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body(), `&sourceId=${encodeURIComponent(src)}`);
      expect(put.body.properties.sourceId).toBe(src.toLowerCase());
      await call('PUT', wb('3f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body());
      const byRg = await call('GET', `/subscriptions/${SUB_A}/resourceGroups/${RG}/providers/Microsoft.Insights/workbooks`, '2023-06-01', undefined, `&category=sentinel&sourceId=${encodeURIComponent(src)}`);
      expect(byRg.body.value.map((w: { name: string }) => w.name)).toEqual(['2f1e2d3c-4b5a-4968-8778-695a4b3c2d1e']);
      const bySub = await call('GET', `/subscriptions/${SUB_A}/providers/Microsoft.Insights/workbooks`, '2023-06-01', undefined, `&category=sentinel&sourceId=${encodeURIComponent(src)}`);
      expect(bySub.body.value).toHaveLength(2);
      expect((await call('PUT', wb('4f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2023-06-01', body({ kind: 'user' }))).status).toBe(400);
      const user = await call('PUT', wb('4f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'), '2021-08-01', body({ kind: 'user' }));
      expect(user.status).toBe(201);
      expect(user.body.kind).toBe('user');
    });
  });
});

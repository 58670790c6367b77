import { describe, expect, it } from 'vitest';
import type { AlertRule, Watchlist } from '@azure/arm-securityinsight';
import { credentialOf, SUB_A, RG, TENANT_A, WS, WORKSPACE_A, appInsights, baseConfig, restError, scheduledRule, securityInsights, withEmulator } from './helpers.ts';

/** Captures the HTTP status of an SDK call (the SDK hides 200 vs 201 vs 204). */
function statusOf() {
  const box = { status: 0 };
  return { box, options: { onResponse: (r: { status: number }) => void (box.status = r.status) } };
}

describe('alert rules through @azure/arm-securityinsight', () => {
  it('creates (201), reads, updates (200, new etag) and deletes (200 then 204)', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const created = statusOf();
      const rule = (await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule, created.options)) as AlertRule & Record<string, unknown>;
      expect(created.box.status).toBe(201);
      expect(rule.id).toBe(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/rule-1`);
      expect(rule.type).toBe('Microsoft.SecurityInsights/alertRules');
      // Server-filled defaults the deploy side must normalise.
      expect(rule).toMatchObject({
        alertRuleTemplateName: null,
        templateVersion: null,
        suppressionEnabled: false,
        suppressionDuration: 'PT5H',
        eventGroupingSettings: { aggregationKind: 'SingleAlert' },
        incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: false, matchingMethod: 'AllEntities', lookbackDuration: 'PT5H' } },
      });
      expect(typeof rule['lastModifiedUtc']).toBe('object'); // the SDK deserialises it to a Date

      const got = await si.alertRules.get(RG, WS, 'rule-1');
      expect(got.etag).toBe(rule.etag);

      const updated = statusOf();
      const changed = await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule({ severity: 'High' }) as AlertRule, updated.options);
      expect(updated.box.status).toBe(200);
      expect(changed.etag).not.toBe(rule.etag);
      expect((changed as { severity?: string }).severity).toBe('High');

      const del = statusOf();
      await si.alertRules.delete(RG, WS, 'rule-1', del.options);
      expect(del.box.status).toBe(200);
      await si.alertRules.delete(RG, WS, 'rule-1', del.options);
      expect(del.box.status).toBe(204);
      const missing = await restError(si.alertRules.get(RG, WS, 'rule-1'));
      expect(missing.statusCode).toBe(404);
      expect(missing.code).toBe('NotFound');
    });
  });

  it('pages the list with nextLink', async () => {
    await withEmulator(baseConfig({ pageSize: 3 }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      for (let i = 0; i < 7; i++) await si.alertRules.createOrUpdate(RG, WS, `rule-${i}`, scheduledRule({ displayName: `Rule ${i}` }) as AlertRule);
      em.resetStats();
      const names: string[] = [];
      for await (const r of si.alertRules.list(RG, WS)) names.push(r.name!);
      expect(names).toEqual(['rule-0', 'rule-1', 'rule-2', 'rule-3', 'rule-4', 'rule-5', 'rule-6']);
      expect(em.stats().total.reads).toBe(3);
    });
  });

  it('answers 409 when a rule changes kind, and 404 for unknown workspace, resource group and subscription', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule);
      const nrt = { ...scheduledRule(), kind: 'NRT' } as Record<string, unknown>;
      for (const k of ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold']) delete nrt[k];
      const kindChange = await restError(si.alertRules.createOrUpdate(RG, WS, 'rule-1', nrt as unknown as AlertRule));
      expect(kindChange.statusCode).toBe(409);
      expect(kindChange.message).toContain("from 'Scheduled' to 'NRT'");

      const ws = await restError(si.alertRules.get(RG, 'ws-missing', 'x'));
      expect([ws.statusCode, ws.code]).toEqual([404, 'ParentResourceNotFound']);
      expect(ws.message).toContain("'ws-missing'");
      const rg = await restError(si.alertRules.get('rg-missing', WS, 'x'));
      expect([rg.statusCode, rg.code]).toEqual([404, 'ResourceGroupNotFound']);
      const other = securityInsights(em, credentialOf(em, TENANT_A), '99999999-0000-4000-8000-000000000009');
      const sub = await restError(other.alertRules.get(RG, WS, 'x'));
      expect([sub.statusCode, sub.code]).toEqual([404, 'SubscriptionNotFound']);
    });
  });

  it('keeps workspaces apart: a rule in one workspace is invisible in another', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule);
      const other: string[] = [];
      for await (const r of si.alertRules.list(RG, 'ws-other')) other.push(r.name!);
      expect(other).toEqual([]);
    });
  });
});

describe('watchlists and watchlist items', () => {
  const watchlist: Watchlist = { displayName: 'Network allowlist', provider: 'sentinel-as-code', source: 'Local file', itemsSearchKey: 'IPOrRange', description: 'Known ranges' };

  it('creates a watchlist, pages its items, takes any item id and items without the search-key column, and deletes items with the watchlist', async () => {
    await withEmulator(baseConfig({ pageSize: 2, watchlists: { deleteMs: 0 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const created = statusOf();
      const w = await si.watchlists.createOrUpdate(RG, WS, 'NetworkAllowlist', watchlist, created.options);
      expect(created.box.status).toBe(201);
      expect(w).toMatchObject({ watchlistAlias: 'NetworkAllowlist', itemsSearchKey: 'IPOrRange', tenantId: TENANT_A, isDeleted: false, uploadStatus: 'Complete' });
      expect(w.watchlistId).toMatch(/^[0-9a-f-]{36}$/);

      const ids = ['0b6c3a52-6a3c-4a8e-9a51-000000000001', '0b6c3a52-6a3c-4a8e-9a51-000000000002', '0b6c3a52-6a3c-4a8e-9a51-000000000003'];
      for (const [i, id] of ids.entries()) {
        await si.watchlistItems.createOrUpdate(RG, WS, 'NetworkAllowlist', id, { itemsKeyValue: { IPOrRange: `10.0.${i}.0/24`, Description: `range ${i}` } });
      }
      const items: string[] = [];
      for await (const it of si.watchlistItems.list(RG, WS, 'NetworkAllowlist')) items.push(`${it.name}=${(it.itemsKeyValue as Record<string, string>)['IPOrRange']}`);
      expect(items).toEqual(ids.map((id, i) => `${id}=10.0.${i}.0/24`));

      // WatchlistItemId is a plain string and itemsKeyValue the only required property (Watchlists.json).
      const named = await si.watchlistItems.createOrUpdate(RG, WS, 'NetworkAllowlist', 'item-1', { itemsKeyValue: { Description: 'no key column' } });
      expect(named).toMatchObject({ name: 'item-1', itemsKeyValue: { Description: 'no key column' } });
      const noKv = await restError(si.watchlistItems.createOrUpdate(RG, WS, 'NetworkAllowlist', 'item-2', {} as never));
      expect(noKv.statusCode).toBe(400);

      const keyChange = await restError(si.watchlists.createOrUpdate(RG, WS, 'NetworkAllowlist', { ...watchlist, itemsSearchKey: 'Description' }));
      expect(keyChange.statusCode).toBe(400);
      expect(keyChange.message).toContain('itemsSearchKey');

      await si.watchlists.delete(RG, WS, 'NetworkAllowlist');
      expect(em.list(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists`)).toEqual([]);
      const gone = await restError(si.watchlistItems.get(RG, WS, 'NetworkAllowlist', ids[0]!));
      expect(gone.statusCode).toBe(404);
    });
  });

  it('imports CSV rawContent as items (synchronously with uploadMs 0)', async () => {
    await withEmulator(baseConfig({ watchlists: { uploadMs: 0 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', numberOfLinesToSkip: 0, rawContent: 'IPOrRange,Description\r\n10.0.0.0/8,"corp, internal"\r\n192.168.1.1,lab\r\n' });
      const values: string[] = [];
      for await (const it of si.watchlistItems.list(RG, WS, 'Allow')) values.push((it.itemsKeyValue as Record<string, string>)['Description']!);
      expect(values.sort()).toEqual(['corp, internal', 'lab']);
    });
  });

  it('skips numberOfLinesToSkip lines, and answers 400 naming the line for ragged rows and bad quotes', async () => {
    await withEmulator(baseConfig({ watchlists: { uploadMs: 0 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const upload = (name: string, rawContent: string, numberOfLinesToSkip = 0) =>
        si.watchlists.createOrUpdate(RG, WS, name, { ...watchlist, contentType: 'text/csv', numberOfLinesToSkip, rawContent });
      await upload('Skipped', '# exported from the CMDB\nIPOrRange,Description\n10.1.0.0/16,"two\nlines"\n', 1);
      const values: string[] = [];
      for await (const it of si.watchlistItems.list(RG, WS, 'Skipped')) values.push((it.itemsKeyValue as Record<string, string>)['Description']!);
      expect(values).toEqual(['two\nlines']);
      await expect(upload('Ragged', 'IPOrRange,Description\n"a\nb",x\n10.0.0.1\n')).rejects.toMatchObject({
        statusCode: 400, message: expect.stringMatching(/line 4 has 1 fields; the header has 2/),
      });
      await expect(upload('Quote', 'IPOrRange,Description\n"10.0.0.1,x\n')).rejects.toMatchObject({
        statusCode: 400, message: expect.stringMatching(/not valid CSV: Quote Not Closed/),
      });
    });
  });
});

describe('metadata', () => {
  it('stores source-repository metadata, filters the list and validates source.kind', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const ruleId = `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/rule-1`;
      const m = await si.metadata.create(RG, WS, 'analyticsrule-rule-1', {
        kind: 'AnalyticsRule',
        parentId: ruleId,
        contentId: 'rule-1',
        version: '1.0.0',
        source: { kind: 'SourceRepository', name: 'sentinel-as-code', sourceId: 'github.com/org/repo' },
        author: { name: 'SOC' },
        support: { tier: 'Community' },
      });
      expect(m).toMatchObject({ kind: 'AnalyticsRule', parentId: ruleId, source: { kind: 'SourceRepository' } });
      await si.metadata.create(RG, WS, 'workbook-x', { kind: 'Workbook', parentId: `/subscriptions/${SUB_A}/resourceGroups/${RG}/providers/Microsoft.Insights/workbooks/x` });
      const rules: string[] = [];
      for await (const x of si.metadata.list(RG, WS, { filter: "properties/kind eq 'AnalyticsRule'" })) rules.push(x.name!);
      expect(rules).toEqual(['analyticsrule-rule-1']);
      const patched = await si.metadata.update(RG, WS, 'analyticsrule-rule-1', { version: '1.1.0' });
      expect(patched).toMatchObject({ version: '1.1.0', contentId: 'rule-1' });
      const bad = await restError(si.metadata.create(RG, WS, 'bad', { kind: 'AnalyticsRule', parentId: ruleId, source: { kind: 'GitHub' as 'Community' } }));
      expect(bad.statusCode).toBe(400);
      expect(bad.message).toContain('properties.source.kind');
    });
  });
});

describe('workbooks through @azure/arm-appinsights', () => {
  it('creates shared Sentinel workbooks, lists by category and sourceId, and answers 404 like ARM', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const ai = appInsights(em, credentialOf(em, TENANT_A));
      const name = '0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e';
      const created = statusOf();
      const wb = await ai.workbooks.createOrUpdate(
        RG,
        name,
        { location: 'West Europe', kind: 'shared', displayName: 'Credential changes', serializedData: '{"version":"Notebook/1.0","items":[]}', category: 'sentinel', sourceId: WORKSPACE_A },
        created.options,
      );
      expect(created.box.status).toBe(201);
      expect(wb).toMatchObject({ type: 'microsoft.insights/workbooks', kind: 'shared', location: 'westeurope', category: 'sentinel', sourceId: WORKSPACE_A.toLowerCase() });
      await ai.workbooks.createOrUpdate(RG, '1f1e2d3c-4b5a-4968-8778-695a4b3c2d1e', { location: 'westeurope', kind: 'shared', displayName: 'Other', serializedData: '{}', category: 'workbook' });

      const listed: Array<{ name?: string; serializedData?: string }> = [];
      for await (const w of ai.workbooks.listByResourceGroup(RG, 'sentinel', { sourceId: WORKSPACE_A, canFetchContent: false })) listed.push(w);
      expect(listed.map((w) => w.name)).toEqual([name]);
      expect(listed[0]!.serializedData).toBeUndefined();
      const withContent: Array<{ serializedData?: string }> = [];
      for await (const w of ai.workbooks.listByResourceGroup(RG, 'sentinel', { canFetchContent: true })) withContent.push(w);
      expect(withContent[0]!.serializedData).toContain('Notebook/1.0');

      const dup = await restError(ai.workbooks.createOrUpdate(RG, '2f1e2d3c-4b5a-4968-8778-695a4b3c2d1e', { location: 'westeurope', kind: 'shared', displayName: 'Credential changes', serializedData: '{}', category: 'sentinel', sourceId: WORKSPACE_A }));
      expect(dup.statusCode).toBe(409);
      const badName = await restError(ai.workbooks.createOrUpdate(RG, 'my-workbook', { location: 'westeurope', kind: 'shared', displayName: 'X', serializedData: '{}', category: 'sentinel' }));
      expect(badName.statusCode).toBe(400);
      expect(badName.message).toContain('must be a GUID');

      await ai.workbooks.delete(RG, name);
      const missing = await restError(ai.workbooks.get(RG, name));
      expect([missing.statusCode, missing.code]).toEqual([404, 'ResourceNotFound']);
    });
  });
});

/**
 * The emulator's asynchronous watchlist uploads and deletes, and the bulk update's append with
 * de-duplication, through the real SDK client (README, "Watchlists").
 */
import { describe, expect, it } from 'vitest';
import type { SecurityInsights, Watchlist } from '@azure/arm-securityinsight';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { credentialOf, RG, TENANT_A, WS, WORKSPACE_A, baseConfig, restError, securityInsights, withEmulator } from './helpers.ts';

const watchlist: Watchlist = { displayName: 'Allow', provider: 'p', source: 'allow.csv', itemsSearchKey: 'IP' };

/** Status and headers of an SDK call. */
function response() {
  const box: { status: number; headers: Record<string, string> } = { status: 0, headers: {} };
  return {
    box,
    options: { onResponse: (r: { status: number; headers: { get(n: string): string | undefined } }) => {
      box.status = r.status;
      box.headers = { 'azure-asyncoperation': r.headers.get('azure-asyncoperation') ?? '', location: r.headers.get('location') ?? '' };
    } },
  };
}

async function operation(si: SecurityInsights, url: string): Promise<{ status: string; error?: { code: string; message: string }; retryAfter?: string }> {
  const r = await si.sendRequest(createPipelineRequest({ url, method: 'GET' }));
  expect(r.status).toBe(200);
  return { ...(JSON.parse(r.bodyAsText ?? '{}') as { status: string }), ...(r.headers.get('retry-after') ? { retryAfter: r.headers.get('retry-after')! } : {}) };
}

/** Polls the operation until it is no longer InProgress (the emulator completes it after its configured delay). */
async function settled(si: SecurityInsights, url: string): Promise<{ status: string; error?: { code: string; message: string } }> {
  for (;;) {
    const o = await operation(si, url);
    if (o.status !== 'InProgress') return o;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function items(si: SecurityInsights, alias: string): Promise<Array<Record<string, string>>> {
  const out: Array<Record<string, string>> = [];
  for await (const it of si.watchlistItems.list(RG, WS, alias)) out.push(it.itemsKeyValue as Record<string, string>);
  return out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe('asynchronous watchlist uploads', () => {
  it('a PUT with rawContent answers 201 with Azure-AsyncOperation; InProgress, items hidden, until the operation completes', async () => {
    await withEmulator(baseConfig({ watchlists: { uploadMs: 60_000 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const put = response();
      const w = await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP,Note\n10.0.0.1,a\n10.0.0.2,b\n' }, put.options);
      expect(put.box.status).toBe(201);
      expect(w).toMatchObject({ uploadStatus: 'InProgress', source: 'allow.csv' });
      const url = put.box.headers['azure-asyncoperation']!;
      expect(url).toMatch(/\/watchlists\/Allow\/watchlistStatuses\/[0-9a-f-]{36}\?api-version=/);
      expect(await operation(si, url)).toMatchObject({ status: 'InProgress', retryAfter: '1' });
      expect((await si.watchlists.get(RG, WS, 'Allow')).uploadStatus).toBe('InProgress');
      expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Allow`)!['properties']).toMatchObject({ provisioningState: 'InProgress' });
      expect(await items(si, 'Allow')).toEqual([]);
      // "When a Watchlist upload status is InProgress, the Watchlist cannot be deleted".
      expect((await restError(si.watchlists.delete(RG, WS, 'Allow'))).statusCode).toBe(409);
      expect((await restError(si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP\n10.0.0.3\n' }))).statusCode).toBe(409);
    });
  });

  it('completes: Succeeded, uploadStatus Complete, the rows listed as items created by the uploader', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const put = response();
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP,Note\n10.0.0.1,a\n10.0.0.2,b\n' }, put.options);
      expect(await settled(si, put.box.headers['azure-asyncoperation']!)).toMatchObject({ status: 'Succeeded' });
      expect(await si.watchlists.get(RG, WS, 'Allow')).toMatchObject({ uploadStatus: 'Complete' });
      const listed = [];
      for await (const it of si.watchlistItems.list(RG, WS, 'Allow')) listed.push(it);
      expect(listed.map((i) => i.itemsKeyValue)).toEqual(expect.arrayContaining([{ IP: '10.0.0.1', Note: 'a' }, { IP: '10.0.0.2', Note: 'b' }]));
      const creator = listed[0]!.systemData?.createdBy;
      expect(creator).toBeTruthy();
      expect(listed.every((i) => i.systemData?.createdBy === creator && i.createdBy?.objectId === creator)).toBe(true);
    });
  });

  it('a bulk update appends and de-duplicates rows equal in every column, not by search key alone', async () => {
    await withEmulator(baseConfig({ watchlists: { uploadMs: 0 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP,Note\n10.0.0.1,a\n10.0.0.2,b\n' });
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP,Note\n10.0.0.1,a\n10.0.0.2,changed\n10.0.0.3,c\n10.0.0.3,c\n' });
      expect(await items(si, 'Allow')).toEqual([
        { IP: '10.0.0.1', Note: 'a' }, { IP: '10.0.0.2', Note: 'b' }, { IP: '10.0.0.2', Note: 'changed' }, { IP: '10.0.0.3', Note: 'c' },
      ]);
    });
  });

  it('takes text/tsv and free-text source; refuses an unknown sourceType, blank search keys, no rows and content over 3.8 MB', async () => {
    await withEmulator(baseConfig({ watchlists: { uploadMs: 0 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.watchlists.createOrUpdate(RG, WS, 'Tsv', { ...watchlist, source: 'exported from the CMDB', contentType: 'text/tsv', rawContent: 'IP\tNote\n10.0.0.1\tcomma, inside\n' });
      expect(await items(si, 'Tsv')).toEqual([{ IP: '10.0.0.1', Note: 'comma, inside' }]);
      const bad = (props: Partial<Watchlist>) => restError(si.watchlists.createOrUpdate(RG, WS, 'Bad', { ...watchlist, contentType: 'text/csv', ...props }));
      expect(await bad({ sourceType: 'Somewhere', rawContent: 'IP\n1.1.1.1\n' })).toMatchObject({ statusCode: 400, message: expect.stringContaining("properties.sourceType") });
      expect(await bad({ rawContent: 'IP,Note\n,blank key\n' })).toMatchObject({ statusCode: 400, message: expect.stringContaining("no value for the search key column 'IP'") });
      expect(await bad({ rawContent: 'IP,Note\n' })).toMatchObject({ statusCode: 400, message: expect.stringContaining('no watchlist items found') });
      expect(await bad({ contentType: 'application/json', rawContent: 'IP\n1.1.1.1\n' })).toMatchObject({ statusCode: 400, message: expect.stringContaining('text/tsv') });
      const big = `IP\n${'10.0.0.1\n'.repeat(Math.ceil(3_800_001 / 9))}`;
      expect(await bad({ rawContent: big })).toMatchObject({ statusCode: 400, message: expect.stringContaining('limited to 3.8 MB') });
      expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Bad`)).toBeUndefined();
    });
  });

  it('a failed upload ends Failed with an error; its rows are not imported', async () => {
    await withEmulator(baseConfig({ watchlists: { failUploads: true } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const put = response();
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP\n10.0.0.1\n' }, put.options);
      expect(await settled(si, put.box.headers['azure-asyncoperation']!)).toMatchObject({ status: 'Failed', error: { code: 'WatchlistUploadFailed' } });
      expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Allow`)!['properties']).toMatchObject({ provisioningState: 'Failed' });
      expect(await items(si, 'Allow')).toEqual([]);
    });
  });

  it('a delete answers 200 with Azure-AsyncOperation (2022-09-01-preview), shows Deleting, then the watchlist and its items are gone', async () => {
    await withEmulator(baseConfig({ watchlists: { uploadMs: 0 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP\n10.0.0.1\n' });
      const del = response();
      await si.watchlists.delete(RG, WS, 'Allow', del.options);
      expect(del.box.status).toBe(200);
      const url = del.box.headers['azure-asyncoperation']!;
      expect(url).toContain('/watchlistStatuses/');
      expect(await settled(si, url)).toMatchObject({ status: 'Succeeded' });
      expect((await restError(si.watchlists.get(RG, WS, 'Allow'))).statusCode).toBe(404);
      expect(em.list(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Allow/watchlistItems`)).toEqual([]);
    });
    await withEmulator(baseConfig({ watchlists: { uploadMs: 0, deleteMs: 60_000 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { ...watchlist, contentType: 'text/csv', rawContent: 'IP\n10.0.0.1\n' });
      await si.watchlists.delete(RG, WS, 'Allow');
      expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/Allow`)!['properties']).toMatchObject({ provisioningState: 'Deleting' });
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { AlertRule } from '@azure/arm-securityinsight';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { SecurityInsights } from '@azure/arm-securityinsight';
import { useLoopbackBearer } from '../../scripts/deploy/azure/loopback-auth.ts';
import { credentialOf, RG, SUB_A, SUB_B, TENANT_A, TENANT_B, WS, WORKSPACE_A, baseConfig, scheduledRule, securityInsights, withEmulator } from './helpers.ts';

describe('ARM throttling per subscription', () => {
  it('is on by default with the ARM buckets and reports the remaining requests on every response', async () => {
    const { throttling: _t, ...config } = baseConfig();
    await withEmulator(config, async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const write = await si.sendRequest(createPipelineRequest({ method: 'PUT', url: `${em.url}${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/r1?api-version=2022-09-01-preview`, body: JSON.stringify({ kind: 'Scheduled', properties: { ...scheduledRule(), kind: undefined } }) }));
      expect(write.status).toBe(201);
      expect(write.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('199');
      const read = await si.sendRequest(createPipelineRequest({ method: 'GET', url: `${em.url}${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules?api-version=2022-09-01-preview` }));
      expect(read.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('249');
    });
  });

  it('answers 429 TooManyRequests with Retry-After once the write bucket is empty; the SDK retries and succeeds', async () => {
    const config = baseConfig({ throttling: { writes: { burst: 3, refillPerSecond: 5 }, retryAfterMsHeader: true } });
    await withEmulator(config, async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      for (let i = 0; i < 8; i++) await si.alertRules.createOrUpdate(RG, WS, `rule-${i}`, scheduledRule() as AlertRule);
      const stats = em.stats();
      expect(stats.total.committedWrites).toBe(8);
      expect(stats.total.throttled).toBeGreaterThan(0);
      expect(stats.total.statuses['429']).toBe(stats.total.throttled);
      expect(stats.bySubscription[SUB_A]!.throttled).toBe(stats.total.throttled);
      expect(em.list(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules`)).toHaveLength(8);
    });
  });

  it('throttles each subscription separately', async () => {
    const config = baseConfig({ throttling: { writes: { burst: 2, refillPerSecond: 0.001 } } });
    await withEmulator(config, async (em) => {
      const url = (sub: string, n: number) => `${em.url}/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}/providers/Microsoft.SecurityInsights/watchlists/w${n}?api-version=2022-09-01-preview`;
      const body = JSON.stringify({ properties: { displayName: 'w', provider: 'p', itemsSearchKey: 'k' } });
      // No SDK retries here, so the 429 surfaces instead of being waited out.
      const a = useLoopbackBearer(new SecurityInsights(credentialOf(em, TENANT_A), SUB_A, { endpoint: em.url, retryOptions: { maxRetries: 0 } }), credentialOf(em, TENANT_A));
      const b = useLoopbackBearer(new SecurityInsights(credentialOf(em, TENANT_B), SUB_B, { endpoint: em.url, retryOptions: { maxRetries: 0 } }), credentialOf(em, TENANT_B));
      const put = async (si: SecurityInsights, sub: string, n: number) => si.sendRequest(createPipelineRequest({ method: 'PUT', url: url(sub, n), body }));
      expect([(await put(a, SUB_A, 1)).status, (await put(a, SUB_A, 2)).status]).toEqual([201, 201]);
      const throttled = await put(a, SUB_A, 3);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(throttled.headers.get('x-ms-ratelimit-remaining-subscription-writes')).toBe('0');
      expect(JSON.parse(throttled.bodyAsText!).error).toMatchObject({ code: 'TooManyRequests' });
      expect(JSON.parse(throttled.bodyAsText!).error.message).toContain(SUB_A);
      // Another subscription has its own bucket.
      expect((await put(b, SUB_B, 1)).status).toBe(201);
      expect(em.stats().bySubscription[SUB_B]!.throttled).toBe(0);
    });
  });
});

describe('fault injection', () => {
  const faulty = (seed: number) =>
    baseConfig({ faults: { seed, throttle429: 0.2, error500: 0.1, error503: 0.05, dropConnection: 0.05, retryAfterSeconds: 0.01 }, throttling: { enabled: false, retryAfterMsHeader: true } });

  it('injects 429/500/503 and dropped connections; the SDK converges and the counters add up', async () => {
    await withEmulator(faulty(7), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      for (let i = 0; i < 25; i++) await si.alertRules.createOrUpdate(RG, WS, `rule-${i}`, scheduledRule() as AlertRule);
      const s = em.stats();
      const injected = s.total.faults['429'] + s.total.faults['500'] + s.total.faults['503'] + s.total.faults.drop;
      expect(injected).toBeGreaterThan(0);
      expect(s.total.requests).toBe(25 + injected);
      expect(s.total.committedWrites).toBe(25);
      const row = s.rows.find((r) => r.method === 'PUT' && r.resourceType === 'alertRules')!;
      expect(row.faults).toEqual(s.total.faults);
      expect(em.list(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules`)).toHaveLength(25);
    });
  });

  it('is deterministic for a seed', async () => {
    const run = (seed: number) =>
      withEmulator(faulty(seed), async (em) => {
        const si = securityInsights(em, credentialOf(em, TENANT_A));
        for (let i = 0; i < 15; i++) await si.alertRules.createOrUpdate(RG, WS, `rule-${i}`, scheduledRule() as AlertRule);
        return em.stats().total.faults;
      });
    const first = await run(42);
    expect(await run(42)).toEqual(first);
  });

  it('applyThenFail500 commits the write but answers 500 (an ambiguous outcome for the client)', async () => {
    await withEmulator(baseConfig({ faults: { applyThenFail500: 1 } }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const res = await si.sendRequest(createPipelineRequest({ method: 'PUT', url: `${em.url}${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/w?api-version=2022-09-01-preview`, body: JSON.stringify({ properties: { displayName: 'w', provider: 'p', itemsSearchKey: 'k' } }) }));
      expect(res.status).toBe(500);
      expect(em.get(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/watchlists/w`)).toBeDefined();
      expect(em.stats().total.faults.applyThenFail500).toBeGreaterThan(0);
    });
  });
});

/** The emulator's pure building blocks: durations, routes, CSV, token buckets, seeded faults, config checks. */
import { describe, expect, it } from 'vitest';
import { ConfigError, normaliseConfig } from '../../scripts/emulator/config.ts';
import { FaultInjector, seededRandom } from '../../scripts/emulator/faults.ts';
import { parseCsv } from '../../scripts/emulator/resources/csv.ts';
import { parseFilter } from '../../scripts/emulator/resources/metadata.ts';
import { parseRoute } from '../../scripts/emulator/router.ts';
import { bucketOf, SubscriptionThrottle, TokenBucket } from '../../scripts/emulator/throttle.ts';
import { bucketOf as clientBucketOf } from '../../scripts/deploy/azure/throttle-gate.ts';

describe('routes', () => {
  it('matches ARM paths case-insensitively and keeps the names as sent', () => {
    expect(parseRoute('/subscriptions/S/resourcegroups/RG/providers/microsoft.operationalinsights/workspaces/WS/providers/microsoft.securityinsights/ALERTRULES/r1')).toEqual({
      kind: 'securityInsights', subscriptionId: 'S', resourceGroup: 'RG', workspace: 'WS', type: 'alertRules', name: 'r1',
    });
    expect(parseRoute('/subscriptions/S/resourceGroups/RG/providers/Microsoft.OperationalInsights/workspaces/WS/providers/Microsoft.SecurityInsights/watchlists/A/watchlistItems')).toMatchObject({ type: 'watchlists', name: 'A', item: {} });
    expect(parseRoute('/subscriptions/S/providers/Microsoft.Insights/workbooks')).toEqual({ kind: 'subscriptionWorkbooks', subscriptionId: 'S' });
    expect(parseRoute('/T/oauth2/v2.0/token')).toEqual({ kind: 'token', tenantId: 'T' });
    expect(parseRoute('/subscriptions/S/resourceGroups/RG/providers/Microsoft.OperationalInsights/workspaces/WS/providers/Microsoft.SecurityInsights/incidents')).toEqual({ kind: 'unknown', subscriptionId: 'S' });
  });
});

describe('CSV and $filter', () => {
  it('parses quoted fields, doubled quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n1,\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['1', '']]);
  });
  it('parses eq/ne clauses and rejects what the service does not support', () => {
    expect(parseFilter("properties/kind eq 'AnalyticsRule' and properties/source/kind ne 'Solution'")).toEqual([
      { path: ['properties', 'kind'], op: 'eq', value: 'AnalyticsRule' },
      { path: ['properties', 'source', 'kind'], op: 'ne', value: 'Solution' },
    ]);
    expect(() => parseFilter("contains(properties/kind, 'x')")).toThrow(/Invalid \$filter clause/);
  });
});

describe('ARM buckets per subscription: reads, writes and deletes apart (Request limits and throttling)', () => {
  it('a DELETE draws from its own bucket, on the emulator and in the client pacing alike', () => {
    expect(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'].map(bucketOf)).toEqual(['reads', 'reads', 'writes', 'writes', 'writes', 'deletes']);
    expect(['GET', 'PUT', 'DELETE'].map(clientBucketOf)).toEqual(['reads', 'writes', 'deletes']);
    const t = new SubscriptionThrottle({ reads: { burst: 2, refillPerSecond: 1 }, writes: { burst: 1, refillPerSecond: 1 }, deletes: { burst: 1, refillPerSecond: 1 } }, () => 0);
    expect(t.take('s', 'writes').ok).toBe(true);
    expect(t.take('s', 'writes').ok).toBe(false);
    expect(t.take('s', 'deletes').ok).toBe(true); // writes exhausted, deletes untouched
    expect(t.take('S', 'deletes').ok).toBe(false); // subscription ids compare case-insensitively
  });
});

describe('token bucket (injected clock)', () => {
  it('allows the burst, then refills at the configured rate and says how long to wait', () => {
    const bucket = new TokenBucket({ burst: 3, refillPerSecond: 10 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)].map((v) => v.remaining)).toEqual([2, 1, 0]);
    const denied = bucket.take(0);
    expect(denied).toEqual({ ok: false, remaining: 0, retryAfterMs: 100 });
    expect(bucket.take(50).ok).toBe(false);
    expect(bucket.take(100).ok).toBe(true);
    expect(bucket.take(10_000).remaining).toBe(2); // capped at the burst
  });
});

describe('seeded faults', () => {
  it('repeats the same sequence for the same seed and honours the fractions', () => {
    expect(Array.from({ length: 5 }, seededRandom(3))).toEqual(Array.from({ length: 5 }, seededRandom(3)));
    const cfg = { seed: 9, throttle429: 0.25, retryAfterSeconds: 1, error500: 0, error503: 0, applyThenFail500: 0, dropConnection: 0, latencyMs: [0, 0] as [number, number] };
    const injector = new FaultInjector(cfg);
    const n429 = Array.from({ length: 4000 }, () => injector.plan(true)).filter((p) => p.fault === '429').length;
    expect(n429 / 4000).toBeGreaterThan(0.2);
    expect(n429 / 4000).toBeLessThan(0.3);
  });
});

describe('configuration', () => {
  it('gives each tenant the well-known local client and rejects a subscription claimed by two tenants', () => {
    const cfg = normaliseConfig({ workspaces: [{ tenantId: 'T1', subscriptionId: 'S1', resourceGroup: 'rg', workspace: 'ws' }] });
    expect([...cfg.topology.tenants.get('t1')!.clients.keys()]).toEqual(['sentinel-emulator']);
    expect(cfg.throttling).toMatchObject({ enabled: true, writes: { burst: 200, refillPerSecond: 10 }, reads: { burst: 250, refillPerSecond: 25 } });
    expect(() => normaliseConfig({ workspaces: [
      { tenantId: 'T1', subscriptionId: 'S1', resourceGroup: 'rg', workspace: 'ws' },
      { tenantId: 'T2', subscriptionId: 'S1', resourceGroup: 'rg', workspace: 'ws2' },
    ] })).toThrow(ConfigError);
    expect(() => normaliseConfig({ host: '0.0.0.0' })).toThrow(/loopback/);
    expect(() => normaliseConfig({ faults: { error500: 1.5 } })).toThrow(/faults\.error500 must be a number between 0 and 1/);
  });
});

/** End to end through the real Azure SDK clients over HTTP against the local ARM emulator. */
import { emulatorSignIn } from '../../scripts/cli/deploy.ts';
import { credentialOf } from '../emulator/helpers.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT, startEmulator } from '../../scripts/emulator/index.ts';
import { LoopbackClientSecretCredential } from '../../scripts/deploy/azure/loopback-auth.ts';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { renderDrift } from '../../scripts/render/deploy-report.ts';
import { renderPlanMarkdown, renderPlanText } from '../../scripts/render/plan.ts';
import { itemResourceId, workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { planAll } from '../../scripts/deploy/apply/rollout.ts';
import { resolveTarget } from '../../scripts/deploy/desired/resolve.ts';
import { allowlist, content, rule, target, TENANT_B, workbook } from './fixtures.ts';
import { harness, REPO, type Harness } from './harness.ts';

const t0 = target(0);
let h: Harness;

beforeAll(async () => {
  h = await harness([t0]);
});
afterAll(async () => {
  await h.stop();
});

const ruleRes = (name: string) => itemResourceId(workspaceOf(t0), 'alertRule', name);

describe('deploy against the emulator', () => {
  it('creates everything, then an unchanged repo plans no change and makes zero writes', async () => {
    const resolved = h.resolve(content(3), [t0]);
    const report = await h.apply(resolved);
    expect(report.targets[0]).toMatchObject({ status: 'ok', created: 5, failed: 0 });
    // What the service holds carries every content field, sub-techniques included.
    const stored = h.emulator.get(ruleRes(rule(1).rule.id))!;
    expect(stored.properties).toMatchObject({ subTechniques: ['T1098.001'], techniques: ['T1078', 'T1098'], queryFrequency: 'PT1H', sentinelEntitiesMappings: [{ columnName: 'InitiatedBy' }] });
    expect((stored.properties as { alertDetailsOverride: { alertDynamicProperties: unknown[] } }).alertDetailsOverride.alertDynamicProperties).toHaveLength(1);
    const items = h.emulator.list(`${workspaceResourceId(workspaceOf(t0))}/providers/Microsoft.SecurityInsights/watchlists/NetworkAllowlist/watchlistItems`);
    expect(items).toHaveLength(3);

    h.emulator.resetStats();
    const again = await h.plan(resolved);
    expect(countPlan(again)).toMatchObject({ create: 0, update: 0, delete: 0, noop: 5, writes: 0 });
    const second = await h.apply(resolved);
    expect(second.writes).toBe(0);
    expect(h.emulator.stats().total.writes).toBe(0);
  });

  it('updates with a field-level diff, writing only what changed', async () => {
    const c = content(3, 4); // one more watchlist item
    c.rules[1] = rule(1, { severity: 'High' });
    const resolved = h.resolve(c, [t0]);
    const [p] = await h.plan(resolved);
    const update = p!.changes.find((x) => x.key === `alertRule/${rule(1).rule.id}`)!;
    expect(update.op).toBe('update');
    expect(update.changes).toEqual([{ path: 'severity', before: 'Medium', after: 'High' }]);
    const wl = p!.changes.find((x) => x.type === 'watchlist')!;
    expect(wl.items).toEqual([expect.objectContaining({ op: 'create', key: '192.0.2.3/32' })]);
    expect(renderPlanText([p!])).toContain('~ severity: "Medium" → "High"');
    const md = renderPlanMarkdown([p!]);
    expect(md).toContain('| Target | Tenant | Workspace | Wave | Create | Update | Delete | Unchanged | Conflicts | Writes |');
    expect(md).toContain('! severity: "Medium" → "High"');
    h.emulator.resetStats();
    const report = await h.apply(resolved);
    expect(report.targets[0]).toMatchObject({ status: 'ok', updated: 2 });
    // the rule PUT alone (its ownership record did not change), one item PUT + the watchlist's metadata (its fingerprint)
    expect(h.emulator.stats().total.committedWrites).toBe(3);
    expect(h.emulator.stats().total.committedWrites).toBe(h.emulator.stats().total.writes);
    expect(h.emulator.get(ruleRes(rule(1).rule.id))!.properties).toMatchObject({ severity: 'High' });
    expect(countPlan(await h.plan(resolved)).writes).toBe(0);
  });

  it('prunes only managed items: portal-created and Content-hub rules are never touched', async () => {
    const ws = workspaceResourceId(workspaceOf(t0));
    const portalRule = { kind: 'Scheduled', properties: { ...(h.emulator.get(ruleRes(rule(0).rule.id))!.properties as object), displayName: 'Made in the portal', alertRuleTemplateName: null } };
    h.emulator.portal.put(`${ws}/providers/Microsoft.SecurityInsights/alertRules/11111111-1111-4111-8111-111111111111`, portalRule);
    h.emulator.portal.installContentHubRule({
      workspaceId: ws, ruleId: '22222222-2222-4222-8222-222222222222', templateName: '33333333-3333-4333-8333-333333333333', templateVersion: '1.0.1', solutionName: 'Microsoft Entra ID',
      properties: portalRule.properties,
    });
    // Rule 2 leaves the repo.
    const c = content(2, 4);
    c.rules[1] = rule(1, { severity: 'High' });
    const resolved = h.resolve(c, [t0]);

    const [keep] = await h.plan(resolved, false);
    expect(keep!.changes.find((x) => x.name === rule(2).rule.id)).toMatchObject({ op: 'retain' });
    expect(keep!.unmanaged).toBe(2);

    const report = await h.apply(resolved, { prune: true });
    expect(report.targets[0]).toMatchObject({ status: 'ok', deleted: 1 });
    expect(h.emulator.get(ruleRes(rule(2).rule.id))).toBeUndefined();
    expect(h.emulator.get(`${ws}/providers/Microsoft.SecurityInsights/metadata/analyticsrule-${rule(2).rule.id}`)).toBeUndefined();
    expect(h.emulator.get(ruleRes('11111111-1111-4111-8111-111111111111'))).toBeDefined();
    expect(h.emulator.get(ruleRes('22222222-2222-4222-8222-222222222222'))).toBeDefined();
    expect(h.emulator.get(`${ws}/providers/Microsoft.SecurityInsights/metadata/analyticsrule-22222222-2222-4222-8222-222222222222`)).toBeDefined();
  });

  it('refuses to take over an unmanaged item that has a desired name', async () => {
    const ws = workspaceResourceId(workspaceOf(t0));
    const squatter = rule(7);
    h.emulator.portal.put(`${ws}/providers/Microsoft.SecurityInsights/alertRules/${squatter.rule.id}`, { kind: 'Scheduled', properties: { ...(h.emulator.get(ruleRes(rule(0).rule.id))!.properties as object), displayName: 'Portal twin' } });
    const c = content(2, 4);
    c.rules.push(squatter);
    const [p] = await h.plan(h.resolve(c, [t0]));
    expect(p!.changes.find((x) => x.name === squatter.rule.id)).toMatchObject({ op: 'conflict', phases: [] });
    h.emulator.portal.delete(`${ws}/providers/Microsoft.SecurityInsights/alertRules/${squatter.rule.id}`);
  });

  it('reports drift of managed items with a field diff, and apply restores them', async () => {
    const c = content(2, 4);
    c.rules[1] = rule(1, { severity: 'High' });
    const resolved = h.resolve(c, [t0]);
    expect(renderDrift(await h.plan(resolved), 'text').drifted).toBe(0);
    h.emulator.portal.edit(ruleRes(rule(0).rule.id), (r) => {
      (r.properties as Record<string, unknown>).queryFrequency = 'PT2H';
      (r.properties as Record<string, unknown>).queryPeriod = 'PT2H';
    });
    const { text, drifted } = renderDrift(await h.plan(resolved), 'text');
    expect(drifted).toBe(1);
    expect(text).toContain('changed outside the repo');
    expect(text).toContain("~ queryFrequency: 2h → 1h");
    await h.apply(resolved);
    expect(renderDrift(await h.plan(resolved), 'text').drifted).toBe(0);
  });

  it('detects a concurrent edit between plan and apply (the body etag: 409) and never overwrites it blindly', async () => {
    const c = content(2, 4);
    c.rules[1] = rule(1, { severity: 'Low' });
    const resolved = h.resolve(c, [t0]);
    const plans = await h.plan(resolved);
    // Someone edits the same rule in the portal after the plan was made.
    h.emulator.portal.edit(ruleRes(rule(1).rule.id), (r) => {
      (r.properties as Record<string, unknown>).displayName = 'Edited in the portal';
    });
    const { applyTargetPlan } = await import('../../scripts/deploy/apply/rollout.ts');
    const { KeyedLimiter } = await import('../../scripts/deploy/apply/limiter.ts');
    const report = await applyTargetPlan(plans[0]!, h.settings(), new KeyedLimiter(4), { writes: 0 }, () => {});
    const result = report.results.find((r) => r.key === `alertRule/${rule(1).rule.id}`)!;
    expect(result.status).toBe('replanned');
    expect(result.error).toMatch(/changed since the plan \(409 Conflict\)/);
    expect(result.replanned).toEqual(expect.arrayContaining([{ path: 'displayName', before: 'Edited in the portal', after: 'Test rule 1' }]));
    expect(h.emulator.get(ruleRes(rule(1).rule.id))!.properties).toMatchObject({ displayName: 'Edited in the portal', severity: 'High' });
    // A fresh plan shows the whole picture; applying it converges.
    await h.apply(resolved);
    expect(countPlan(await h.plan(resolved)).writes).toBe(0);
  });
});

describe('creates and deletes: the specs declare no precondition, so apply re-reads first', () => {
  it('a rule made by someone else between plan and apply is re-planned, not overwritten', async () => {
    const t = target(5);
    const hh = await harness([t]);
    try {
      const c = content(2);
      const resolved = hh.resolve(c, [t]);
      const plans = await hh.plan(resolved);
      const id = rule(1).rule.id;
      expect(plans[0]!.changes.find((x) => x.key === `alertRule/${id}`)!.op).toBe('create');
      // The portal creates a rule with the same id after the plan.
      hh.emulator.portal.put(itemResourceId(workspaceOf(t), 'alertRule', id), { kind: 'Scheduled', properties: { ...(resolved[0]!.desired.items.find((i) => i.name === id)!.body.properties as object), displayName: 'Made in the portal' } });
      const { applyTargetPlan } = await import('../../scripts/deploy/apply/rollout.ts');
      const { KeyedLimiter } = await import('../../scripts/deploy/apply/limiter.ts');
      const report = await applyTargetPlan(plans[0]!, hh.settings(), new KeyedLimiter(4), { writes: 0 }, () => {});
      const result = report.results.find((r) => r.key === `alertRule/${id}`)!;
      expect(result.status).toBe('replanned');
      expect(result.replanned).toEqual(expect.arrayContaining([{ path: 'displayName', before: 'Made in the portal', after: 'Test rule 1' }]));
      expect(hh.emulator.get(itemResourceId(workspaceOf(t), 'alertRule', id))!.properties).toMatchObject({ displayName: 'Made in the portal' });
    } finally {
      await hh.stop();
    }
  });

  it('workbooks and watchlists: the SDK clients carry the plan-time etag in the body, a stale one is re-planned', async () => {
    const t = target(7);
    const hh = await harness([t]);
    try {
      await hh.apply(hh.resolve(content(1), [t]));
      const c = content(1);
      c.workbooks = [{ ...workbook(), workbook: { ...workbook().workbook, description: 'New description' } }];
      c.watchlists = [{ ...allowlist(), watchlist: { ...allowlist().watchlist, description: 'New egress ranges' } }];
      const plans = await hh.plan(hh.resolve(c, [t]));
      const wbRes = itemResourceId(workspaceOf(t), 'workbook', plans[0]!.changes.find((x) => x.type === 'workbook')!.name);
      const wlRes = itemResourceId(workspaceOf(t), 'watchlist', 'NetworkAllowlist');
      hh.emulator.portal.edit(wbRes, (r) => void ((r.properties as Record<string, unknown>).displayName = 'Renamed in the portal'));
      hh.emulator.portal.edit(wlRes, (r) => void ((r.properties as Record<string, unknown>).displayName = 'Renamed in the portal'));
      const { applyTargetPlan } = await import('../../scripts/deploy/apply/rollout.ts');
      const { KeyedLimiter } = await import('../../scripts/deploy/apply/limiter.ts');
      const report = await applyTargetPlan(plans[0]!, hh.settings(), new KeyedLimiter(4), { writes: 0 }, () => {});
      const status = (type: string) => report.results.find((r) => r.key.startsWith(`${type}/`))!.status;
      expect([status('workbook'), status('watchlist')]).toEqual(['replanned', 'replanned']);
      expect((hh.emulator.get(wbRes)!.properties as Record<string, unknown>).displayName).toBe('Renamed in the portal');
      expect((hh.emulator.get(wlRes)!.properties as Record<string, unknown>).displayName).toBe('Renamed in the portal');
    } finally {
      await hh.stop();
    }
  });

  it('a managed rule edited between plan and a pruning apply is not deleted', async () => {
    const t = target(6);
    const hh = await harness([t]);
    try {
      await hh.apply(hh.resolve(content(2), [t]));
      const resolved = hh.resolve(content(1), [t]);
      const plans = await hh.plan(resolved, true);
      const id = rule(1).rule.id;
      expect(plans[0]!.changes.find((x) => x.key === `alertRule/${id}`)!.op).toBe('delete');
      hh.emulator.portal.edit(itemResourceId(workspaceOf(t), 'alertRule', id), (r) => void ((r.properties as Record<string, unknown>).severity = 'High'));
      const { applyTargetPlan } = await import('../../scripts/deploy/apply/rollout.ts');
      const { KeyedLimiter } = await import('../../scripts/deploy/apply/limiter.ts');
      const report = await applyTargetPlan(plans[0]!, hh.settings({ prune: true }), new KeyedLimiter(4), { writes: 0 }, () => {});
      expect(report.results.find((r) => r.key === `alertRule/${id}`)!.status).toBe('replanned');
      expect(hh.emulator.get(itemResourceId(workspaceOf(t), 'alertRule', id))).toBeDefined();
    } finally {
      await hh.stop();
    }
  });
});

describe('authentication failures are one clear line naming the tenant', () => {
  it('401: a token this ARM did not issue', async () => {
    const other = await startEmulator({ workspaces: [{ tenantId: t0.tenantId, subscriptionId: t0.subscriptionId, resourceGroup: t0.resourceGroup, workspace: t0.workspaceName }] });
    try {
      const bad = await harness([t0], {}, { credentialFor: (tenantId) => new LoopbackClientSecretCredential({ url: other.url, tenantId, ...DEFAULT_CLIENT }) });
      try {
        const [p] = await bad.plan(bad.resolve(content(1), [t0]));
        expect(p!.error).toMatch(new RegExp(`^tenant ${t0.tenantId}: authentication failed \\(401\\)`));
        expect(p!.error).not.toContain('\n');
        expect(p!.error).not.toMatch(/at .*\.ts:\d+/);
        // Drift over targets that could not be read is never "no drift".
        const { text, drifted } = renderDrift([p!], 'text');
        expect(drifted).toBe(0);
        expect(text).not.toContain('No drift');
        expect(text).toContain('Drift check incomplete: 1 of 1 target(s) could not be checked');
      } finally {
        await bad.stop();
      }
    } finally {
      await other.stop();
    }
  });

  it('403: a token of the wrong tenant for the subscription', async () => {
    const tB = target(1);
    const bad = await harness([t0, tB], {}, {});
    try {
      const pool = new (await import('../../scripts/deploy/azure/clients.ts')).ClientPool({
        ...bad.pool.settings,
        credentialFor: () => credentialOf(bad.emulator, TENANT_B),
      });
      const [p] = await planAll([resolveTarget(content(1), t0, { repoName: REPO })], { pool, repoName: REPO, prune: false, concurrency: 2 });
      expect(p!.error).toMatch(new RegExp(`^tenant ${t0.tenantId}: not authorised \\(403\\)`));
    } finally {
      await bad.stop();
    }
  });

  it('Azure Lighthouse: one identity in the managing tenant deploys to a delegated subscription', async () => {
    const MANAGING = '00000000-0000-0000-0000-00000000c0de';
    const config = { tenants: [{ tenantId: MANAGING }], delegations: [{ subscriptionId: t0.subscriptionId, managingTenantId: MANAGING }] };
    const lh = await harness([t0], config, { authTenantId: MANAGING });
    try {
      const resolved = lh.resolve(content(1), [t0]);
      const report = await lh.apply(resolved);
      expect(report.targets[0]).toMatchObject({ status: 'ok', created: 3, failed: 0 });
      const [again] = await lh.plan(resolved);
      expect(again!.error).toBeUndefined();
      expect(countPlan([again!])).toMatchObject({ create: 0, update: 0, delete: 0, writes: 0 });
    } finally {
      await lh.stop();
    }
    // Without the delegation, the managing tenant's token is refused for the customer's subscription.
    const plain = await harness([t0], { tenants: [{ tenantId: MANAGING }] }, { authTenantId: MANAGING });
    try {
      const [p] = await plain.plan(plain.resolve(content(1), [t0]));
      expect(p!.error).toMatch(new RegExp(`^tenant ${t0.tenantId}: not authorised \\(403\\)`));
    } finally {
      await plain.stop();
    }
  });

  it('network: an endpoint nobody listens on', async () => {
    const { ClientPool, EMULATOR_RETRY } = await import('../../scripts/deploy/azure/clients.ts');
    const { createServer } = await import('node:net');
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r)); // now nobody listens there
    const pool = new ClientPool({ auth: 'emulator', endpoint: `http://127.0.0.1:${port}`, env: {}, retry: { ...EMULATOR_RETRY, maxRetries: 1 }, ...emulatorSignIn(`http://127.0.0.1:${port}`) });
    const [p] = await planAll([resolveTarget(content(1), t0, { repoName: REPO })], { pool, repoName: REPO, prune: false, concurrency: 2 });
    expect(p!.error).toBe(`cannot reach http://127.0.0.1:${port} (ECONNREFUSED) for workspace ws-target-0 (subscription ${t0.subscriptionId}, resource group rg-sentinel) — check the network or the emulator`);
  });

  it('404: a workspace that does not exist', async () => {
    const [p] = await h.plan([resolveTarget(content(1), target(0, { workspaceName: 'law-missing' }), { repoName: REPO })]);
    expect(p!.error).toMatch(/workspace law-missing .*not found \(404\)/);
  });
});

describe('watchlists and workbooks', () => {
  it('deploys a watchlist item set larger than one page and rewrites only changed items', async () => {
    const t = target(2);
    const big = await harness([t], { pageSize: 50 });
    try {
      const c = { rules: [], watchlists: [allowlist(120)], workbooks: [workbook()] };
      const resolved = big.resolve(c, [t]);
      expect((await big.apply(resolved)).targets[0]).toMatchObject({ status: 'ok', created: 2 });
      const c2 = { ...c, watchlists: [allowlist(120)] };
      c2.watchlists[0]!.watchlist.items[5]!.Description = 'changed';
      big.emulator.resetStats();
      const [p] = await big.plan(big.resolve(c2, [t]));
      const wl = p!.changes.find((x) => x.type === 'watchlist')!;
      expect(wl.items).toEqual([expect.objectContaining({ op: 'update', key: '192.0.2.5/32' })]);
      await big.apply(big.resolve(c2, [t]));
      expect(big.emulator.stats().total.committedWrites).toBe(2); // the item + the watchlist's ownership record
    } finally {
      await big.stop();
    }
  });
});

/**
 * Watchlist items added outside the repo (issue 13, item 4), end to end through the real SDK clients
 * against the emulator: the repo owns only the items it wrote (ids `watchlistItemId(alias, key)` for
 * items PUT one by one; created by the identity that wrote the ownership record for items uploaded
 * in bulk, whose ids the service assigns).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { renderDrift } from '../../scripts/render/deploy-report.ts';
import { renderPlanMarkdown, renderPlanText } from '../../scripts/render/plan.ts';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { watchlistItemId } from '../../scripts/model/watchlist.ts';
import { allowlist, content, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

const t0 = target(0);
let h: Harness;
const items = () => `${workspaceResourceId(workspaceOf(t0))}/providers/Microsoft.SecurityInsights/watchlists/NetworkAllowlist/watchlistItems`;
const PORTAL_ID = '5e1f0c3a-9b7d-4c2e-8a61-0f2d3c4b5a69';
const CONFLICT_ID = '7a2b9c4d-1e3f-4a5b-9c6d-7e8f9a0b1c2d';
const names = () => h.emulator.list(items()).map((r) => r.name).sort();
/** The stored items as `key` (the repo's) or `key @id` (the portal's). */
const rows = () => h.emulator.list(items()).map((r) => {
  const key = ((r['properties'] as { itemsKeyValue: Record<string, string> }).itemsKeyValue)['IPOrRange'];
  return r.name === PORTAL_ID || r.name === CONFLICT_ID ? `${key} @${r.name}` : key;
}).sort();

beforeAll(async () => {
  h = await harness([t0]);
  expect((await h.apply(h.resolve(content(1, 3), [t0]))).targets[0]).toMatchObject({ status: 'ok', failed: 0 });
  // A portal user adds one row to the repo's watchlist.
  h.emulator.portal.put(`${items()}/${PORTAL_ID}`, { properties: { itemsKeyValue: { IPOrRange: '203.0.113.7/32', Description: 'VPN pool (added in the portal)' } } });
});
afterAll(async () => {
  await h.stop();
});

describe('watchlist items added outside the repo', () => {
  it('plan shows the portal item as kept, not as a delete, with and without --prune', async () => {
    const resolved = h.resolve(content(1, 3), [t0]);
    for (const prune of [false, true]) {
      const [p] = await h.plan(resolved, prune);
      const wl = p!.changes.find((c) => c.type === 'watchlist')!;
      expect(wl.op).toBe('noop');
      expect(wl.items).toEqual([]);
      expect(wl.foreign).toEqual([{ key: '203.0.113.7/32', name: PORTAL_ID, conflict: false, values: { IPOrRange: '203.0.113.7/32', Description: 'VPN pool (added in the portal)' } }]);
      expect(countPlan([p!])).toMatchObject({ delete: 0, writes: 0 });
      const text = renderPlanText([p!]);
      expect(text).toContain('○ item 203.0.113.7/32 — added outside the repo: kept (never pruned)');
      expect(text).not.toContain('- item');
      expect(renderPlanMarkdown([p!])).toContain('#   item 203.0.113.7/32 — added outside the repo: kept');
    }
  });

  it('drift lists it once under "added outside the repo" with the YAML to adopt it, and is not drift', async () => {
    const plans = await h.plan(h.resolve(content(1, 3), [t0]));
    const { text, drifted, addedOutside, conflicts } = renderDrift(plans, 'text');
    expect({ drifted, addedOutside, conflicts }).toEqual({ drifted: 0, addedOutside: 1, conflicts: 0 });
    expect(text).toContain('Added outside the repo (kept; never written or pruned by plan/apply):');
    expect(text.split('? watchlist NetworkAllowlist item 203.0.113.7/32').length).toBe(2);
    expect(text).toContain('      - IPOrRange: 203.0.113.7/32\n          Description: VPN pool (added in the portal)');
    expect(text).toContain('or remove: delete it in the portal');
    expect(text).toContain('No drift: every managed item matches what this repo deployed.');
    const json = JSON.parse(renderDrift(plans, 'json').text);
    expect(json).toMatchObject({ drifted: 0, addedOutside: 1, conflicts: 0 });
    expect(json.targets[0].addedOutside).toEqual([expect.objectContaining({ watchlist: 'NetworkAllowlist', key: '203.0.113.7/32', name: PORTAL_ID })]);
  });

  it('apply --prune keeps the portal item and deletes the repo item removed from the file', async () => {
    const report = await h.apply(h.resolve(content(1, 2), [t0]), { prune: true });
    expect(report.targets[0]).toMatchObject({ status: 'ok', failed: 0 });
    expect(rows()).toEqual(['192.0.2.0/32', '192.0.2.1/32', `203.0.113.7/32 @${PORTAL_ID}`]);
    expect(names()).toHaveLength(3);
    const [again] = await h.plan(h.resolve(content(1, 2), [t0]), true);
    expect(countPlan([again!]).writes).toBe(0);
    expect(renderDrift([again!], 'text').drifted).toBe(0);
  });

  it('a portal item holding a key the repo lists is a conflict: neither item is written, drift exits as failed until resolved', async () => {
    h.emulator.portal.put(`${items()}/${CONFLICT_ID}`, { properties: { itemsKeyValue: { IPOrRange: '192.0.2.9/32', Description: 'portal copy' } } });
    const c = content(1, 2);
    c.watchlists[0] = allowlist(2);
    c.watchlists[0].watchlist.items!.push({ IPOrRange: '192.0.2.9/32', Description: 'repo copy' });
    const resolved = h.resolve(c, [t0]);
    const [p] = await h.plan(resolved, true);
    const wl = p!.changes.find((x) => x.type === 'watchlist')!;
    expect(wl.items).toEqual([]);
    expect(wl.foreign!.find((f) => f.name === CONFLICT_ID)).toMatchObject({ conflict: true, key: '192.0.2.9/32' });
    expect(renderPlanText([p!])).toContain("! item 192.0.2.9/32 — added outside the repo, holds a key the repo lists: kept, the repo's item is not written");
    await h.apply(resolved, { prune: true });
    expect(h.emulator.get(`${items()}/${CONFLICT_ID}`)!.properties).toMatchObject({ itemsKeyValue: { Description: 'portal copy' } });
    expect(h.emulator.get(`${items()}/${watchlistItemId('NetworkAllowlist', '192.0.2.9/32')}`)).toBeUndefined();
    const d = renderDrift(await h.plan(resolved), 'text');
    expect({ drifted: d.drifted, conflicts: d.conflicts, addedOutside: d.addedOutside }).toEqual({ drifted: 0, conflicts: 1, addedOutside: 2 });
    expect(d.text).toContain('conflict — the repo lists this key too');
    // Resolved in the portal: the repo's item is written on the next apply.
    h.emulator.portal.delete(`${items()}/${CONFLICT_ID}`);
    const [next] = await h.plan(resolved, true);
    expect(next!.changes.find((x) => x.type === 'watchlist')!.items).toEqual([expect.objectContaining({ op: 'create', key: '192.0.2.9/32' })]);
    await h.apply(resolved, { prune: true });
    expect(h.emulator.get(`${items()}/${watchlistItemId('NetworkAllowlist', '192.0.2.9/32')}`)!.properties).toMatchObject({ itemsKeyValue: { Description: 'repo copy' } });
    expect(h.emulator.get(`${items()}/${PORTAL_ID}`)).toBeDefined();
  });
});

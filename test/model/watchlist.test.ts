/**
 * One watchlist item identity (model/watchlist.ts) for validate, deploy's mapping and plan: the same
 * item written with other case or surrounding whitespace is one item to all three.
 */
import { describe, expect, it } from 'vitest';
import { isRepoItem, itemKeyOf, watchlistItemId, watchlistItemKey } from '../../scripts/model/watchlist.ts';
import { checkWatchlistItems } from '../../scripts/validate/watchlist-checks.ts';
import { watchlistItemsToArm, watchlistToArm } from '../../scripts/deploy/desired/mapping.ts';
import { resolveTarget } from '../../scripts/deploy/desired/resolve.ts';
import { planTarget } from '../../scripts/deploy/plan/plan.ts';
import { metadataBody, metadataName } from '../../scripts/deploy/plan/ownership.ts';
import type { ActualState } from '../../scripts/deploy/desired/model.ts';
import type { Watchlist, WatchlistFile } from '../../scripts/model/types.ts';
import { sourceFile, target } from '../deploy/fixtures.ts';

const admins: Watchlist = {
  alias: 'PrivilegedUsers',
  displayName: 'Privileged users',
  description: 'Break-glass and admin accounts',
  provider: 'SOC',
  source: 'PrivilegedUsers.csv',
  itemsSearchKey: 'Upn',
  columns: [{ name: 'Upn', type: 'string' }, { name: 'Role', type: 'string' }],
  items: [{ Upn: 'Alice@Contoso.com', Role: 'Global admin' }, { Upn: 'bob@contoso.com', Role: 'Billing' }],
};

describe('watchlist item identity', () => {
  it('is the search-key value, trimmed and case-folded', () => {
    expect(itemKeyOf(' Alice@Contoso.com ')).toBe('alice@contoso.com');
    expect(watchlistItemKey(admins, { Upn: 'ALICE@contoso.com' })).toBe('alice@contoso.com');
    expect(watchlistItemKey(admins, { Role: 'x' })).toBe('');
    expect(watchlistItemId('PrivilegedUsers', 'Alice@Contoso.com')).toBe(watchlistItemId('privilegedusers', ' alice@contoso.com'));
    expect(watchlistItemId('PrivilegedUsers', 'alice@contoso.com')).not.toBe(watchlistItemId('PrivilegedUsers', 'bob@contoso.com'));
  });

  it("an item is the repo's when its id is the repo's id of its own key (case of the id, alias and key do not matter)", () => {
    const id = watchlistItemId('PrivilegedUsers', 'alice@contoso.com');
    expect(isRepoItem('privilegedusers', id.toUpperCase(), ' ALICE@contoso.com')).toBe(true);
    // A random id (portal, CSV upload), or the repo's id of another key (the key column was edited): not the repo's.
    expect(isRepoItem('PrivilegedUsers', '5e1f0c3a-9b7d-4c2e-8a61-0f2d3c4b5a69', 'alice@contoso.com')).toBe(false);
    expect(isRepoItem('PrivilegedUsers', id, 'bob@contoso.com')).toBe(false);
  });

  it("an item with a service-assigned id (a bulk upload) is the repo's when an identity that wrote the ownership record created it", () => {
    const writers = new Set(['8f0e1d2c-3b4a-4596-8778-695a4b3c2d1e']);
    const serviceId = '5e1f0c3a-9b7d-4c2e-8a61-0f2d3c4b5a69';
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', '8F0E1D2C-3B4A-4596-8778-695A4B3C2D1E', writers)).toBe(true);
    // Created by someone else (a portal user), by nobody known, or with no record writers known: not the repo's.
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', '11111111-2222-4333-8444-555555555555', writers)).toBe(false);
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', undefined, writers)).toBe(false);
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', '8f0e1d2c-3b4a-4596-8778-695a4b3c2d1e')).toBe(false);
  });

  it('an item created before the ownership record is not the repo\'s upload, even by a record writer (rows an adopted watchlist came with)', () => {
    const writer = '8f0e1d2c-3b4a-4596-8778-695a4b3c2d1e';
    const writers = new Set([writer]);
    const serviceId = '5e1f0c3a-9b7d-4c2e-8a61-0f2d3c4b5a69';
    const since = '2026-03-01T10:00:00.000Z';
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', writer, writers, { at: '2026-03-01T09:59:59.999Z', since })).toBe(false);
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', writer, writers, { at: since, since })).toBe(true);
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', writer, writers, { at: '2026-03-01T10:00:05Z', since })).toBe(true);
    // Without both timestamps the creator decides alone; an id-named item is the repo's whenever it was made.
    expect(isRepoItem('PrivilegedUsers', serviceId, 'alice@contoso.com', writer, writers, { since })).toBe(true);
    expect(isRepoItem('PrivilegedUsers', watchlistItemId('PrivilegedUsers', 'alice@contoso.com'), 'alice@contoso.com', undefined, writers, { at: '2020-01-01T00:00:00Z', since })).toBe(true);
  });

  it('validate, mapping and plan agree that case/whitespace variants are one item', () => {
    const variant = { Upn: ' alice@CONTOSO.com ', Role: 'Global admin (PIM)' };
    // validate: a duplicate
    const diags = checkWatchlistItems(admins, [{ items: [...admins.items, variant], source: sourceFile('watchlists/PrivilegedUsers.yaml'), path: ['items'] }]);
    expect(diags.map((d) => `${d.code} ${d.message}`)).toEqual(['watchlist/duplicate Upn " alice@CONTOSO.com " duplicates item 1; each item needs a unique search key']);
    // mapping: one ARM item, the later one winning, named by the shared id
    const arm = watchlistItemsToArm(admins, [...admins.items, variant]);
    expect(arm).toHaveLength(2);
    const alice = arm.find((i) => itemKeyOf(i.key) === 'alice@contoso.com')!;
    expect(alice.name).toBe(watchlistItemId(admins.alias, 'Alice@Contoso.com'));
    expect((alice.body.properties as { itemsKeyValue: Record<string, string> }).itemsKeyValue.Role).toBe('Global admin (PIM)');

    // plan: a deployed item whose key differs only in case/whitespace is that item (an update), not create + delete
    const wf: WatchlistFile = { kind: 'watchlist', watchlist: admins, source: sourceFile('watchlists/PrivilegedUsers.yaml') };
    const t = target(0, { watchlistItems: { PrivilegedUsers: [variant] } });
    const resolved = resolveTarget({ rules: [], watchlists: [wf], workbooks: [] }, t, { repoName: 'repo-a' });
    expect(resolved.problems).toEqual([]);
    const ws = resolved.desired.workspace;
    const wlId = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspaceName}/providers/Microsoft.SecurityInsights/watchlists/PrivilegedUsers`;
    const meta = metadataBody('watchlist', 'PrivilegedUsers', '1.0.0', ws, 'repo-a', 'sha256:old');
    const actual: ActualState = {
      alertRules: [], workbooks: [], functions: [],
      watchlists: [{ id: wlId, name: 'PrivilegedUsers', etag: '"1"', properties: watchlistToArm(admins).properties as Record<string, unknown> }],
      watchlistItems: {
        privilegedusers: [
          // Deployed as ALICE@contoso.com (its id is the repo's id of that key, which case/whitespace do not change).
          { id: `${wlId}/watchlistItems/a`, name: watchlistItemId(admins.alias, 'ALICE@contoso.com '), properties: { itemsKeyValue: { Upn: 'ALICE@contoso.com ', Role: 'Global admin' } } },
          { id: `${wlId}/watchlistItems/b`, name: watchlistItemId(admins.alias, 'bob@contoso.com'), properties: { itemsKeyValue: { Upn: 'bob@contoso.com', Role: 'Billing' } } },
        ],
      },
      metadata: [{ id: `x/${metadataName('watchlist', 'PrivilegedUsers')}`, name: metadataName('watchlist', 'PrivilegedUsers'), properties: meta.properties as Record<string, unknown> }],
    };
    const plan = planTarget(resolved.desired, actual, { repoName: 'repo-a', prune: true });
    const wl = plan.changes.find((c) => c.type === 'watchlist')!;
    expect(wl.items?.map((i) => `${i.op} ${i.name}`)).toEqual([`update ${watchlistItemId(admins.alias, 'alice@contoso.com')}`]);
    expect(wl.foreign).toBeUndefined();
  });
});

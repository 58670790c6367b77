/**
 * `plan --adopt` (deploy/plan/plan.ts `planAdopt`): items under the repo's names with no metadata
 * record at all are taken over — record first, then the item where it differs — while items with
 * any record (Content hub, another repo) and a foreign function alias stay conflicts. Pure plans over
 * hand-built workspace states; the end-to-end path is test/deploy/adopt-e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadContentFile } from '../../scripts/content/load.ts';
import { resolveTarget } from '../../scripts/deploy/desired/resolve.ts';
import { itemResourceId, type ActualResource, type ActualState, type DesiredItem, type Json } from '../../scripts/deploy/desired/model.ts';
import { ADOPTABLE_REASON, ADOPT_REASON, planTarget, type PlannedChange } from '../../scripts/deploy/plan/plan.ts';
import { metadataBody, metadataName } from '../../scripts/deploy/plan/ownership.ts';
import { watchlistItemId } from '../../scripts/model/watchlist.ts';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { renderPlan, renderPlanText } from '../../scripts/render/plan.ts';
import type { FunctionFile } from '../../scripts/model/types.ts';
import { GOOD_FUNCTION } from '../helpers/repo.ts';
import { content, target } from './fixtures.ts';

const REPO = 'repo-a';
const fn = loadContentFile('functions/SpCredentialChanges.yaml', GOOD_FUNCTION).file as FunctionFile;
const resolved = resolveTarget({ ...content(2, 3), functions: [fn] }, target(0), { repoName: REPO });
const ws = resolved.desired.workspace;
const ARM_IDENTITY = '7d3c2b1a-0f9e-4d8c-b7a6-958473625140';

/** The item as another deployment path left it: the repo's body, no record. */
function deployed(d: DesiredItem, edit: (p: Json) => Json = (p) => p): ActualResource {
  const b = d.body;
  return {
    id: itemResourceId(ws, d.type, d.name), name: d.name, etag: '"e1"',
    ...(b.kind ? { kind: String(b.kind) } : {}), ...(b.location ? { location: String(b.location) } : {}),
    ...(b.tags ? { tags: b.tags as Record<string, string> } : {}),
    properties: edit(structuredClone(b.properties as Json)),
  };
}

/** Every desired item deployed as it is; watchlist rows uploaded by another identity (service-assigned ids). */
function workspace(over: Partial<ActualState> = {}): ActualState {
  const of = (t: DesiredItem['type']) => resolved.desired.items.filter((d) => d.type === t).map((d) => deployed(d));
  const wl = resolved.desired.items.find((d) => d.type === 'watchlist')!;
  const rows = (wl.items ?? []).map((i, n) => ({
    id: `${itemResourceId(ws, 'watchlist', wl.name)}/watchlistItems/row-${n}`, name: `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`, etag: `"r${n}"`,
    properties: structuredClone(i.body.properties as Json), systemData: { createdBy: ARM_IDENTITY },
  }));
  return {
    alertRules: of('alertRule'), watchlists: of('watchlist'), workbooks: of('workbook'), functions: of('function'),
    watchlistItems: { [wl.name.toLowerCase()]: rows }, metadata: [], ...over,
  };
}

const byType = (changes: readonly PlannedChange[], type: string) => changes.filter((c) => c.type === type);

describe('plan --adopt', () => {
  it('without --adopt an item with no record is a conflict that names --adopt; nothing is written', () => {
    const plan = planTarget(resolved.desired, workspace(), { repoName: REPO, prune: true });
    expect(plan.changes.length).toBe(resolved.desired.items.length);
    for (const c of plan.changes) {
      expect(c.op, c.key).toBe('conflict');
      expect(c.reason).toBe(ADOPTABLE_REASON);
      expect(c.phases).toEqual([]);
    }
    expect(ADOPTABLE_REASON).toMatch(/not managed by this repo .*\(re-run with --adopt to take it over\)$/);
  });

  it('with --adopt: the record first (a create, re-read before the PUT), no item write where the content already matches', () => {
    const plan = planTarget(resolved.desired, workspace(), { repoName: REPO, prune: false, adopt: true });
    for (const c of [...byType(plan.changes, 'alertRule'), ...byType(plan.changes, 'workbook'), ...byType(plan.changes, 'function')]) {
      expect(c.op, c.key).toBe('adopt');
      expect(c.reason).toBe(ADOPT_REASON);
      expect(c.changes).toEqual([]);
      expect(c.phases).toHaveLength(1);
      const [meta] = c.phases[0]!;
      expect(meta).toMatchObject({ method: 'PUT', type: 'metadata', name: metadataName(c.type, c.name), absent: true });
      expect((meta!.body!.properties as Json).source).toMatchObject({ kind: 'SourceRepository', name: REPO, sourceId: REPO });
    }
    const counts = countPlan([plan]);
    expect(counts.adopt).toBe(resolved.desired.items.length);
    expect(counts.conflict).toBe(0);
  });

  it('an adopted item whose content differs is updated after its record, with the plan-time etag, shown as a field diff', () => {
    const rule = resolved.desired.items.find((d) => d.type === 'alertRule')!;
    const edited = deployed(rule, (p) => ({ ...p, displayName: 'Renamed in the portal', severity: 'Low' }));
    const actual = workspace();
    actual.alertRules = actual.alertRules.map((a) => (a.name === rule.name ? edited : a));
    const c = planTarget(resolved.desired, actual, { repoName: REPO, prune: false, adopt: true }).changes.find((x) => x.name === rule.name)!;
    expect(c.op).toBe('adopt');
    expect(c.changes.map((f) => `${f.path}: ${String(f.before)} → ${String(f.after)}`)).toEqual([
      `displayName: Renamed in the portal → ${String((rule.body.properties as Json).displayName)}`,
      'severity: Low → Medium',
    ]);
    expect(c.phases.map((p) => p.map((w) => `${w.method} ${w.type}`))).toEqual([['PUT metadata'], ['PUT alertRule']]);
    expect(c.phases[1]![0]).toMatchObject({ name: rule.name, etag: '"e1"', body: rule.body });
    const text = renderPlanText([planTarget(resolved.desired, actual, { repoName: REPO, prune: false, adopt: true })], { legend: true });
    expect(text).toContain(`⇐ alertRule ${rule.name} "${rule.displayName}" — ${ADOPT_REASON}`);
    expect(text).toContain('~ severity: "Low" → "Medium"');
    expect(text).toMatch(/Symbols: .*⇐ adopt/);
    expect(text).toMatch(/Plan: 0 to create, 0 to update, \d+ to adopt, 0 to delete/);
    const json = JSON.parse(renderPlan([planTarget(resolved.desired, actual, { repoName: REPO, prune: false, adopt: true })], 'json')) as { summary: Record<string, number> };
    expect(json.summary.adopt).toBe(resolved.desired.items.length);
    // The Markdown table (job summary, PR comment) gets an Adopt column only when something is adopted.
    const md = renderPlan([planTarget(resolved.desired, actual, { repoName: REPO, prune: false, adopt: true })], 'markdown');
    expect(md).toContain('| Target | Tenant | Workspace | Wave | Create | Update | Adopt | Delete | Unchanged | Conflicts | Writes |');
    expect(md).toMatch(new RegExp(`\\| ${resolved.desired.items.length} \\| 0 \\| 0 \\| 0 \\| \\d+ \\|$`, 'm'));
    expect(renderPlan([planTarget(resolved.desired, actual, { repoName: REPO, prune: false })], 'markdown')).toContain('| Create | Update | Delete | Unchanged | Conflicts | Writes |');
    // A record per item, the rule's update, and the watchlist's three rows: each PUT under the repo's id, then deleted as deployed.
    expect(json.summary.writes).toBe(resolved.desired.items.length + 1 + 3 + 3);
  });

  it('never adopts an item with any record: Content hub (another record name, same parentId), another repo, a legacy-named owner', () => {
    const [r0, r1] = resolved.desired.items.filter((d) => d.type === 'alertRule');
    const wb = resolved.desired.items.find((d) => d.type === 'workbook')!;
    const solution: ActualResource = {
      id: 'x/solution-record', name: 'azuresentinel.azure-sentinel-solution-x-ar-1',
      properties: { kind: 'AnalyticsRule', contentId: r0!.name, parentId: itemResourceId(ws, 'alertRule', r0!.name), source: { kind: 'Solution', name: 'Microsoft Entra ID' } },
    };
    const other = { id: 'x/other', name: metadataName('alertRule', r1!.name), properties: metadataBody('alertRule', r1!.name, '1.0.0', ws, 'repo-b', undefined).properties as Json };
    const legacy = { id: 'x/legacy', name: metadataName('workbook', wb.name), properties: metadataBody('workbook', wb.name, '1.0.0', ws, 'old-package-name', undefined).properties as Json };
    const plan = planTarget(resolved.desired, workspace({ metadata: [solution, other, legacy] }), { repoName: REPO, prune: true, adopt: true });
    const get = (name: string) => plan.changes.find((c) => c.name === name)!;
    expect(get(r0!.name)).toMatchObject({ op: 'conflict', phases: [] });
    expect(get(r0!.name).reason).toBe("its metadata record belongs to Solution 'Microsoft Entra ID', not this repo: not touched");
    expect(get(r1!.name).reason).toBe("its metadata record belongs to SourceRepository 'repo-b', not this repo: not touched");
    expect(get(wb.name).reason).toBe("its metadata record belongs to SourceRepository 'old-package-name', not this repo: not touched");
    // The Content-hub record now names its owner without --adopt too (it is found by parentId).
    const plain = planTarget(resolved.desired, workspace({ metadata: [solution] }), { repoName: REPO, prune: false });
    expect(plain.changes.find((c) => c.name === r0!.name)!.reason).toMatch(/belongs to Solution/);
  });

  it('a saved search under another name holding the alias stays a conflict; the saved search under the repo name is adopted', () => {
    const d = resolved.desired.items.find((x) => x.type === 'function')!;
    const impostor = { ...deployed(d), id: `${itemResourceId(ws, 'function', 'other')}`, name: 'portal-saved-search' };
    const taken = planTarget(resolved.desired, workspace({ functions: [impostor] }), { repoName: REPO, prune: false, adopt: true });
    expect(taken.changes.find((c) => c.type === 'function')).toMatchObject({ op: 'conflict' });
    expect(taken.changes.find((c) => c.type === 'function')!.reason).toMatch(/already defines the function alias SpCredentialChanges/);
    const own = planTarget(resolved.desired, workspace(), { repoName: REPO, prune: false, adopt: true });
    expect(own.changes.find((c) => c.type === 'function')).toMatchObject({ op: 'adopt' });
  });

  it('a rule whose kind differs is not adopted (a kind cannot change in place)', () => {
    const rule = resolved.desired.items.find((d) => d.type === 'alertRule')!;
    const actual = workspace();
    actual.alertRules = actual.alertRules.map((a) => (a.name === rule.name ? { ...a, kind: 'NRT' } : a));
    const c = planTarget(resolved.desired, actual, { repoName: REPO, prune: false, adopt: true }).changes.find((x) => x.name === rule.name)!;
    expect(c.op).toBe('conflict');
    expect(c.reason).toMatch(/--adopt does not take it over: its kind is NRT, the repo's is Scheduled/);
  });

  it('watchlist rows with keys the repo lists are rewritten under the repo ids, then the rows as deployed deleted; rows with other keys stay foreign even with --prune', () => {
    const wl = resolved.desired.items.find((d) => d.type === 'watchlist')!;
    const actual = workspace();
    const rows = actual.watchlistItems[wl.name.toLowerCase()]!;
    // One row changed by hand, one row the repo does not list, and one row already under the repo's id (an earlier manual apply).
    rows[1] = { ...rows[1]!, properties: { itemsKeyValue: { IPOrRange: '192.0.2.1/32', Description: 'edited' } } };
    rows[2] = { ...rows[2]!, name: watchlistItemId(wl.name, '192.0.2.2/32') };
    rows.push({ id: 'x/row-foreign', name: '0000000f-aaaa-4bbb-8ccc-dddddddddddd', properties: { itemsKeyValue: { IPOrRange: '203.0.113.0/24', Description: 'partner' } }, systemData: { createdBy: ARM_IDENTITY } });
    const c = planTarget(resolved.desired, actual, { repoName: REPO, prune: true, adopt: true }).changes.find((x) => x.type === 'watchlist')!;
    expect(c.op).toBe('adopt');
    expect(c.phases.map((p) => p.map((w) => `${w.method} ${w.type}${w.upload ? ' +upload' : ''}`))).toEqual([
      ['PUT metadata'],
      ['PUT watchlistItem', 'PUT watchlistItem'],
      ['DELETE watchlistItem', 'DELETE watchlistItem'],
    ]);
    // Under the repo's ids, one by one (a bulk upload would de-duplicate a copy of a row as deployed into nothing),
    // with the repo's values, also for the row changed by hand.
    expect(c.phases[1]!.map((w) => [w.name, (w.body!.properties as Json).itemsKeyValue])).toEqual([
      [watchlistItemId(wl.name, '192.0.2.0/32'), { IPOrRange: '192.0.2.0/32', Description: 'office 0' }],
      [watchlistItemId(wl.name, '192.0.2.1/32'), { IPOrRange: '192.0.2.1/32', Description: 'office 1' }],
    ]);
    expect(c.phases[2]!.map((w) => w.name).sort()).toEqual([rows[0]!.name, rows[1]!.name].sort());
    // The foreign row is kept and never deleted; the id-named row is the repo's and unchanged.
    expect(c.foreign?.map((f) => `${f.key} ${String(f.conflict)}`)).toEqual(['203.0.113.0/24 false']);
    const deletes = c.phases.flat().filter((w) => w.method === 'DELETE').map((w) => w.name);
    expect(deletes).not.toContain('0000000f-aaaa-4bbb-8ccc-dddddddddddd');
    expect(deletes).not.toContain(rows[2]!.name);
    expect(c.reason).toMatch(/2 row\(s\) as deployed rewritten under the repo's ids/);
  });

  it("the row-time rule applies only to a watchlist older than its record (adopted): the repo's own rows stay its own across a clock skew", () => {
    const wl = resolved.desired.items.find((d) => d.type === 'watchlist')!;
    const T = Date.parse('2026-12-01T10:00:00Z');
    const at = (ms: number) => new Date(T + ms).toISOString();
    const record = (): ActualResource => ({
      id: `x/${metadataName('watchlist', wl.name)}`, name: metadataName('watchlist', wl.name),
      properties: metadataBody('watchlist', wl.name, wl.version, ws, REPO, 'sha256:stale').properties as Json,
      systemData: { createdBy: ARM_IDENTITY, createdAt: at(0), lastModifiedBy: ARM_IDENTITY, lastModifiedAt: at(0) },
    });
    const state = (watchlistCreated: number): ActualState => {
      const actual = workspace({ metadata: [record()] });
      actual.watchlists = actual.watchlists.map((w) => ({ ...w, systemData: { createdBy: ARM_IDENTITY, createdAt: at(watchlistCreated) } }));
      // Rows uploaded by the record's writer, stamped half a second before the record (another clock).
      actual.watchlistItems[wl.name.toLowerCase()] = actual.watchlistItems[wl.name.toLowerCase()]!.map((r) => ({ ...r, systemData: { createdBy: ARM_IDENTITY, createdAt: at(-500) } }));
      return actual;
    };
    const plan = (actual: ActualState) => planTarget(resolved.desired, actual, { repoName: REPO, prune: true }).changes.find((c) => c.type === 'watchlist')!;
    // The repo created the watchlist after its record: every row its identity uploaded is the repo's.
    const own = plan(state(1000));
    expect(own.foreign ?? []).toEqual([]);
    expect(own.phases.flat().filter((w) => w.type === 'watchlistItem')).toEqual([]);
    // A watchlist an hour older than its record was adopted: rows from before the record stay foreign, never pruned.
    const adopted = plan(state(-3_600_000));
    expect(adopted.foreign?.length).toBe((wl.items ?? []).length);
    expect(adopted.phases.flat().filter((w) => w.method === 'DELETE')).toEqual([]);
  });
});

/**
 * A rule's kind (Scheduled ↔ NRT) cannot change in place: plan shows a replacement, apply deletes
 * and recreates it with the same id, and a failed recreate puts the previous rule back. Real SDK
 * clients against the emulator.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { itemResourceId, workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { Journal, newRunId } from '../../scripts/deploy/apply/journal.ts';
import { countPlan } from '../../scripts/model/plan-counts.ts';
import { planLegend, renderPlanText } from '../../scripts/render/plan.ts';
import type { AnalyticRule } from '../../scripts/model/types.ts';
import { content, rule, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

const open: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Rule 1 as an NRT rule (NRT has no frequency, period or trigger). */
function nrt(c: ReturnType<typeof content>): ReturnType<typeof content> {
  const rules = c.rules.map((r, i) => {
    if (i !== 1) return r;
    const { queryFrequency: _f, queryPeriod: _p, triggerOperator: _o, triggerThreshold: _t, ...rest } = r.rule as AnalyticRule & Record<string, unknown>;
    return { ...r, rule: { ...rest, kind: 'NRT' } as AnalyticRule };
  });
  return { ...c, rules };
}

describe('kind changes force replacement', () => {
  it('plans -/+ and recreates the rule with the same id; its ownership record stays and the next plan is empty', async () => {
    const t = target(0);
    const h = await harness([t]);
    open.push(h);
    await h.apply(h.resolve(content(2), [t]));
    const id = rule(1).rule.id;
    const res = itemResourceId(workspaceOf(t), 'alertRule', id);
    expect(h.emulator.get(res)!.kind).toBe('Scheduled');

    const resolved = h.resolve(nrt(content(2)), [t]);
    const plans = await h.plan(resolved);
    const change = plans[0]!.changes.find((c) => c.key === `alertRule/${id}`)!;
    expect(change).toMatchObject({ op: 'replace', reason: 'kind changes force replacement' });
    expect(change.phases.map((p) => p.map((w) => [w.method, w.type, w.name]))).toEqual([
      [['DELETE', 'alertRule', id]],
      [['PUT', 'alertRule', id]], // its ownership record (same parentId, same version) is not rewritten
    ]);
    const text = renderPlanText(plans);
    expect(text).toContain(`-/+ alertRule ${id} "Test rule 1" — kind changes force replacement`);
    expect(text).toMatch(/~ kind: "Scheduled" → "NRT"/);
    expect(text).toContain('1 to replace');
    expect(planLegend()).toContain('-/+ replace (delete, then create with the same id)');

    const root = await mkdtemp(join(tmpdir(), 'replace-journal-'));
    dirs.push(root);
    const journal = await Journal.create(root, newRunId(), { targets: [t.name], prune: false }, [{ name: t.name, wave: t.wave }]);
    const report = await h.apply(resolved, { journal });
    expect(report.targets[0]).toMatchObject({ status: 'ok', updated: 1, failed: 0 });
    const stored = h.emulator.get(res)!;
    expect([stored.name, stored.kind]).toEqual([id, 'NRT']);
    const meta = h.emulator.list(`${workspaceResourceId(workspaceOf(t))}/providers/Microsoft.SecurityInsights/metadata`).filter((m) => (m.properties as Record<string, unknown>)['contentId'] === id);
    expect(meta).toHaveLength(1);
    expect(String((meta[0]!.properties as Record<string, unknown>)['parentId']).toLowerCase()).toBe(res.toLowerCase());
    const onDisk = JSON.parse(await readFile(journal.file, 'utf8')) as { targets: Record<string, { replacing?: string[] }> };
    expect(onDisk.targets[t.name]!.replacing).toBeUndefined();
    expect(countPlan(await h.plan(resolved)).writes).toBe(0);
  });

  it('a recreate the service keeps refusing puts the previous rule back: the workspace is never without it', async () => {
    const t = target(1);
    const h = await harness([t]);
    open.push(h);
    await h.apply(h.resolve(content(2), [t]));
    const id = rule(1).rule.id;
    const res = itemResourceId(workspaceOf(t), 'alertRule', id);
    // The workspace is at its NRT limit (50, made in the portal): the service refuses the NRT create.
    const nrtBody = { kind: 'NRT', properties: { displayName: 'portal NRT', enabled: true, severity: 'Low', query: 'AuditLogs | take 1' } };
    for (let i = 0; i < 50; i++) h.emulator.portal.put(itemResourceId(workspaceOf(t), 'alertRule', `portal-nrt-${i}`), nrtBody);

    h.emulator.resetStats();
    const report = await h.apply(h.resolve(nrt(content(2)), [t]));
    const result = report.targets[0]!.results.find((r) => r.key === `alertRule/${id}`)!;
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/replacing .* failed: .*NRT rules.* its previous version was put back, nothing lost/);
    const stored = h.emulator.get(res)!;
    const props = stored.properties as Record<string, unknown>;
    expect([stored.kind, props['displayName'], props['queryFrequency']]).toEqual(['Scheduled', 'Test rule 1', 'PT1H']);
    // One delete, three refused creates, one restore.
    const byMethod = h.emulator.stats().total;
    expect(byMethod.writes).toBe(1 + 3 + 1);
  });
});

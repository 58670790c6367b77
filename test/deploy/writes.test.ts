/** Write only what changed: emulator counters over the real SDK clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceOf, workspaceResourceId } from '../../scripts/deploy/desired/model.ts';
import { content, rule, target } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

const t = target(0);
let h: Harness;
beforeAll(async () => {
  h = await harness([t]);
});
afterAll(async () => {
  await h.stop();
});

describe('writes per changed rule', () => {
  it('a new rule costs 2 writes (rule + ownership record); a changed rule afterwards costs 1; a version bump also rewrites the record', async () => {
    await h.apply(h.resolve(content(3), [t]));
    const records = () => h.emulator.list(`${workspaceResourceId(workspaceOf(t))}/providers/Microsoft.SecurityInsights/metadata`);
    expect(records().length).toBeGreaterThanOrEqual(3);

    // Two rules change (same version): two writes, both rule PUTs.
    const c = content(3);
    c.rules[0] = rule(0, { severity: 'High' });
    c.rules[2] = rule(2, { severity: 'Low' });
    const before = structuredClone(records());
    h.emulator.resetStats();
    const report = await h.apply(h.resolve(c, [t]));
    expect(report.targets[0]).toMatchObject({ status: 'ok', updated: 2, writes: 2 });
    expect(h.emulator.stats().total.committedWrites).toBe(2);
    expect(h.emulator.stats().total.writes).toBe(2);
    expect(records().map((r) => r.etag)).toEqual(before.map((r) => r.etag)); // no record rewritten

    // A version bump (body unchanged) changes the record's content: the record alone is rewritten.
    const bumped = content(3);
    bumped.rules[0] = rule(0, { severity: 'High', version: '1.0.1' });
    bumped.rules[2] = rule(2, { severity: 'Low' });
    h.emulator.resetStats();
    const r2 = await h.apply(h.resolve(bumped, [t]));
    expect(r2.targets[0]).toMatchObject({ status: 'ok', updated: 1, writes: 1 });
    expect(h.emulator.stats().total.committedWrites).toBe(1);
    expect(records().find((r) => (r.properties as Record<string, unknown>)['contentId'] === rule(0).rule.id)!.properties).toMatchObject({ version: '1.0.1' });
  });
});

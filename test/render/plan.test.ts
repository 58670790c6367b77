/** The plan as people read it: unified query diffs, durations as written, legend, colour, JSON field names. */
import { describe, expect, it } from 'vitest';
import type { TargetPlan } from '../../scripts/deploy/plan/plan.ts';
import { fieldLines, planLegend, renderPlan, renderPlanText } from '../../scripts/render/plan.ts';
import { colorEnabled } from '../../scripts/render/style.ts';

const ESC = '\x1b[';

function plan(changes: TargetPlan['changes']): TargetPlan {
  return {
    target: 'contoso', wave: 0, tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws',
    changes, problems: [], warnings: [], unmanaged: 0,
  };
}

const update = (path: string, before: unknown, after: unknown): TargetPlan['changes'][number] => ({
  key: 'alertRule/r1', type: 'alertRule', name: 'r1', displayName: 'Rule one', op: 'update',
  changes: [{ path, before, after }], phases: [[{} as never]],
});

describe('query diffs', () => {
  it('show two swapped lines (a set difference shows nothing)', () => {
    const lines = fieldLines([{ path: 'query', before: 'A\n| where x\n| where y\n| project z', after: 'A\n| where y\n| where x\n| project z' }], '');
    expect(lines[0]).toBe('~ query:');
    const body = lines.slice(1).map((l) => l.trim());
    expect(body[0]).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    expect(body.filter((l) => l.startsWith('-'))).toContain('-| where x');
    expect(body.filter((l) => l.startsWith('+'))).toContain('+| where x');
    expect(body).toContain('A'); // context line
  });

  it('show a removed duplicate line', () => {
    const lines = fieldLines([{ path: 'query', before: 'T\n| take 1\n| take 1', after: 'T\n| take 1' }], '').map((l) => l.trim());
    expect(lines.filter((l) => l === '-| take 1')).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('+'))).toEqual([]);
  });
});

describe('values as written', () => {
  it('durations in their short form, not ISO 8601', () => {
    expect(fieldLines([{ path: 'queryFrequency', before: 'PT1H', after: 'PT2H' }], '')).toEqual(['~ queryFrequency: 1h → 2h']);
    expect(fieldLines([{ path: 'queryPeriod', before: 'P14D', after: 'PT90M' }], '')).toEqual(['~ queryPeriod: 14d → 1h30m']);
    expect(fieldLines([{ path: 'severity', before: 'Low', after: 'High' }], '')).toEqual(['~ severity: "Low" → "High"']);
    expect(fieldLines([{ path: 'displayName', before: 'PTA', after: 'P' }], '')).toEqual(['~ displayName: "PTA" → "P"']);
  });
});

describe('text plan', () => {
  const p = plan([update('queryFrequency', 'PT1H', 'PT2H')]);

  it('has a symbol legend when asked, and one summary line', () => {
    const text = renderPlanText([p], { legend: true });
    expect(text.split('\n')[0]).toBe(planLegend());
    expect(planLegend()).toMatch(/^Symbols: \+ create {2}~ update in place {2}-\/\+ replace \(delete, then create with the same id\) {2}⇐ adopt \(write this repo's ownership record, update where it differs\) {2}- delete {2}! conflict, not touched {2}○ kept .* {2}= unchanged$/);
    expect(text.split('\n').filter((l) => l.startsWith('Plan: '))).toHaveLength(1);
  });

  it('is colourless unless asked, coloured when asked', () => {
    expect(renderPlanText([p])).not.toContain(ESC);
    const coloured = renderPlanText([p], { style: { color: true } });
    expect(coloured).toContain(ESC);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderPlanText([p]));
  });
});

describe('colour decision', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('env %j, tty %s → %s', (env, tty, expected) => {
    expect(colorEnabled(env, tty)).toBe(expected);
  });
});

describe('JSON plan', () => {
  it('has a formatVersion and counts under the names the text uses', () => {
    const doc = JSON.parse(renderPlan([plan([update('severity', 'Low', 'High')])], 'json')) as { formatVersion: number; summary: Record<string, number>; targets: Record<string, unknown>[] };
    expect(doc.formatVersion).toBe(1);
    expect(Object.keys(doc.summary).sort()).toEqual(['adopt', 'conflict', 'create', 'delete', 'kept', 'replace', 'unchanged', 'update', 'writes']);
    expect(doc.summary.update).toBe(1);
    expect(doc.targets[0]).toMatchObject({ resourceGroup: 'rg', workspaceName: 'ws' });
  });
});

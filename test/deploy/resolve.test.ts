import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../scripts/deploy/desired/resolve.ts';
import { stableStringify } from '../../scripts/deploy/desired/util.ts';
import { content, rule, target } from './fixtures.ts';

const opts = { repoName: 'test-repo' };
const rulesOf = (r: ReturnType<typeof resolveTarget>) => r.desired.items.filter((i) => i.type === 'alertRule');
const props = (i: { body: Record<string, unknown> }) => i.body.properties as Record<string, unknown>;

describe('resolveTarget', () => {
  it('applies overrides by glob: enabled, severity, threshold, schedule and parameter values', () => {
    const c = content(3);
    const t = target(0, {
      overrides: [
        { rules: 'entra/test-rule-1', severity: 'High', triggerThreshold: 3, queryFrequency: '2h', queryPeriod: '1d', parameters: { threshold: 42 } },
        { rules: '*rule-2', enabled: false },
      ],
    });
    const r = resolveTarget(c, t, opts);
    expect(r.problems).toEqual([]);
    const [r0, r1, r2] = [0, 1, 2].map((i) => rulesOf(r).find((x) => x.displayName === `Test rule ${i}`)!);
    expect(props(r1!)).toMatchObject({ severity: 'High', triggerThreshold: 3, queryFrequency: 'PT2H', queryPeriod: 'P1D' });
    expect(props(r1!).query).toMatch(/^let threshold = int\(42\);/);
    expect(props(r0!).query).toMatch(/^let threshold = 5;/);
    expect(props(r0!).severity).toBe('Medium');
    expect(props(r2!).enabled).toBe(false);
  });

  it('reports a watchlist defaultDuration in years as a problem with a suggestion, never a throw (regression)', () => {
    const c = content(1);
    c.watchlists[0]!.watchlist.defaultDuration = 'P1Y';
    const r = resolveTarget(c, target(0), opts);
    expect(r.problems).toEqual([
      "watchlists/NetworkAllowlist.yaml: defaultDuration: 'P1Y' uses years, which have no fixed length; write the span in days instead, e.g. P365D (P365D for a year, P30D for a month)",
    ]);
    expect(r.desired.items.some((i) => i.type === 'watchlist')).toBe(false);
    c.watchlists[0]!.watchlist.defaultDuration = 'P365D';
    const ok = resolveTarget(c, target(0), opts);
    expect(ok.problems).toEqual([]);
    expect(props(ok.desired.items.find((i) => i.type === 'watchlist')!).defaultDuration).toBe('P365D');
  });

  it('leaves disabled rules out, and reports unknown parameters and aliases as one-line problems', () => {
    const r = resolveTarget(content(3), target(0, {
      disableRules: ['entra/test-rule-0', 'nothing-matches-*'],
      overrides: [{ rules: 'entra/test-rule-1', parameters: { nope: 1 } }],
      watchlistItems: { UnknownList: [{ x: '1' }] },
    }), { ...opts, file: 'targets/t0.yaml' });
    expect(rulesOf(r).map((x) => x.displayName).sort()).toEqual(['Test rule 1', 'Test rule 2']);
    expect(r.problems).toEqual([
      "targets/t0.yaml: overrides[0] (entra/test-rule-1): rule entra/test-rule-1 declares no parameter 'nope' (declared: threshold)",
      "targets/t0.yaml: watchlistItems.UnknownList: no watchlist with alias 'UnknownList' in watchlists/",
    ]);
    expect(r.warnings).toEqual(["targets/t0.yaml: disableRules 'nothing-matches-*' matches no rule"]);
  });

  it('rejects a parameter value that does not fit its declared type', () => {
    const r = resolveTarget(content(1), target(0, { overrides: [{ rules: '*', parameters: { threshold: 'many' } }] }), opts);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/parameter values: .*many/);
  });

  it("never lets one target's data reach another target", () => {
    const c = content(3);
    const secretA = '203.0.113.99/32';
    const secretB = '198.51.100.77/32';
    const a = target(0, { overrides: [{ rules: '*', parameters: { threshold: 1111 } }], watchlistItems: { NetworkAllowlist: [{ IPOrRange: secretA, Description: 'only-A' }] } });
    const b = target(1, { overrides: [{ rules: '*', parameters: { threshold: 2222 } }], watchlistItems: { NetworkAllowlist: [{ IPOrRange: secretB, Description: 'only-B' }] } });
    const before = stableStringify(c);
    const ra = resolveTarget(c, a, opts);
    const rb = resolveTarget(c, b, opts);
    const textA = stableStringify(ra.desired);
    const textB = stableStringify(rb.desired);
    for (const s of [secretB, 'only-B', '2222', b.workspaceName, b.subscriptionId]) expect(textA).not.toContain(s);
    for (const s of [secretA, 'only-A', '1111', a.workspaceName, a.subscriptionId]) expect(textB).not.toContain(s);
    // The shared content is not mutated, and the desired states share no objects.
    expect(stableStringify(c)).toBe(before);
    (ra.desired.items[0]!.body.properties as Record<string, unknown>).severity = 'Low';
    expect(stableStringify(rb.desired)).toBe(textB);
    expect(stableStringify(resolveTarget(c, a, opts).desired)).toBe(textA);
  });

  it('gives workbooks per-workspace stable names and links them to the workspace', () => {
    const c = content(1);
    const w0 = resolveTarget(c, target(0), opts).desired.items.find((i) => i.type === 'workbook')!;
    const w0again = resolveTarget(c, target(0), opts).desired.items.find((i) => i.type === 'workbook')!;
    const w1 = resolveTarget(c, target(1, { resourceGroup: target(0).resourceGroup }), opts).desired.items.find((i) => i.type === 'workbook')!;
    expect(w0.name).toBe(w0again.name);
    expect(w0.name).not.toBe(w1.name);
    expect(w0.body).toMatchObject({ kind: 'shared', properties: { category: 'sentinel' } });
    expect(String(props(w0).sourceId)).toMatch(/workspaces\/ws-target-0$/);
    expect(rule(0).rule.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/**
 * Functions as content end to end: the CLI (plan, apply, drift) with the real SDK clients over HTTP
 * against the emulator's savedSearches API; plus the apply order (functions before the rules that
 * call them, deleted after them). Once the emulator checks a rule's query against the workspace on
 * PUT (branch ws: a function the workspace lacks → 400), the apply test below also fails if the
 * function is not created before the rule (verified by reversing applyStages).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { applyStages } from '../../scripts/deploy/apply/rollout.ts';
import type { PlannedChange } from '../../scripts/deploy/plan/plan.ts';
import { emulatorCli, runCli } from '../helpers/cli.ts';
import { GOOD_FUNCTION, RULE_USING_FUNCTION, tempRepo, targetYaml, type TempRepo } from '../helpers/repo.ts';

const TENANT = '00000000-0000-0000-0000-0000000000a1';
const SUB = '00000000-0000-0000-0000-0000000000b1';
const TARGET = targetYaml({ tenantId: TENANT, subscriptionId: SUB });
const FN = 'functions/SpCredentialChanges.yaml';
const RULE = 'analytics-rules/entra/uses-function.yaml';
const WS = `/subscriptions/${SUB}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc`;
const SEARCH = `${WS}/savedSearches/SpCredentialChanges`;
const RULE_ID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';

let em: EmulatorHandle;
let repo: TempRepo;
// apply asks before writing unless --yes (or a reviewed plan file) is given.
const cli = emulatorCli(() => ({ root: repo.root, url: em.url }), 'func-e2e');

interface PlanJson { targets: { changes: { key: string; type: string; op: string; reason?: string; drift?: boolean }[] }[] }
const changesOf = (stdout: string) => (JSON.parse(stdout) as PlanJson).targets[0]!.changes;

beforeAll(async () => {
  em = await startEmulator({
    workspaces: [{ tenantId: TENANT, subscriptionId: SUB, resourceGroup: 'rg-soc', workspace: 'law-soc', location: 'westeurope' }],
    throttling: { enabled: false },
  });
  repo = tempRepo({ 'targets/soc.yaml': TARGET, [FN]: GOOD_FUNCTION, [RULE]: RULE_USING_FUNCTION });
});
afterAll(async () => {
  await em.stop();
  repo.cleanup();
});

describe('functions against the emulator', () => {
  it('plan shows the function as a saved search to create, beside the rule that calls it', async () => {
    const run = await cli('plan', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(changesOf(run.stdout).map((c) => [c.key, c.op])).toEqual([
      [`alertRule/${RULE_ID}`, 'create'],
      ['function/spcredentialchanges', 'create'],
    ]);
    const text = await cli('plan');
    expect(text.stdout).toContain('SpCredentialChanges');
  });

  it('apply creates the saved search (functionAlias, parameters, own tag), its ownership record, and the rule', async () => {
    const run = await cli('apply');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(em.get(SEARCH)).toMatchObject({
      properties: {
        category: 'Detection helpers',
        displayName: 'Service principal credential changes',
        functionAlias: 'SpCredentialChanges',
        functionParameters: 'lookback:timespan = 1h, operation:string = "Add service principal credentials"',
        version: 2,
        tags: [{ name: 'sentinel-content-repo', value: 'func-e2e' }],
      },
    });
    expect(String((em.get(SEARCH)!.properties as { query: string }).query)).toContain('| where TimeGenerated > ago(lookback)');
    expect(em.get(`${WS}/providers/Microsoft.SecurityInsights/metadata/parser-spcredentialchanges`)).toMatchObject({
      properties: { kind: 'Parser', contentId: 'SpCredentialChanges', parentId: SEARCH, source: { kind: 'SourceRepository', name: 'func-e2e' } },
    });
    expect(em.get(`${WS}/providers/Microsoft.SecurityInsights/alertRules/${RULE_ID}`)).toMatchObject({ properties: { query: expect.stringContaining('SpCredentialChanges(2h)') } });
    // What the service returns compares equal to what the repo wants: nothing left to do.
    const again = await cli('plan', '--format', 'json');
    expect(changesOf(again.stdout).map((c) => c.op)).toEqual(['noop', 'noop']);
  });

  it('an edit in the portal is drift, and apply puts the repo body back', async () => {
    em.portal.edit(SEARCH, (r) => { (r.properties as { query: string }).query = 'AuditLogs | take 1'; });
    const drift = await cli('drift', '--format', 'json');
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('spcredentialchanges');
    expect((await cli('apply')).code).toBe(0);
    expect(String((em.get(SEARCH)!.properties as { query: string }).query)).toContain('ago(lookback)');
  });

  it('a reviewed plan file applies exactly the function change', async () => {
    repo.write(FN, GOOD_FUNCTION.replace('    default: 1h\n', '    default: 3h\n'));
    const file = join(repo.root, 'plan.json');
    expect((await cli('plan', '--out', file)).code).toBe(0);
    const run = await runCli(['apply', file, '--root', repo.root, '--endpoint', em.url, '--auth', 'emulator', '--repo-name', 'func-e2e']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(em.get(SEARCH)).toMatchObject({ properties: { functionParameters: 'lookback:timespan = 3h, operation:string = "Add service principal credentials"' } });
    repo.write(FN, GOOD_FUNCTION);
    expect((await cli('apply')).code).toBe(0);
  });

  it('a saved search of someone else with the same alias is a conflict, never overwritten', async () => {
    em.portal.put(`${WS}/savedSearches/portal-made`, { properties: { category: 'x', displayName: 'Made in the portal', query: 'AuditLogs', functionAlias: 'OtherFunction' } });
    repo.write('functions/OtherFunction.yaml', GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: OtherFunction'));
    const run = await cli('plan', '--format', 'json');
    const other = changesOf(run.stdout).find((c) => c.key === 'function/otherfunction')!;
    expect(other.op).toBe('conflict');
    expect(other.reason).toContain("the saved search 'portal-made' (Made in the portal) already defines the function alias OtherFunction");
    repo.remove('functions/OtherFunction.yaml');
  });

  it('a function still called by a rule is not pruned; removing both prunes the rule, then the function', async () => {
    repo.remove(FN);
    // The rule alone no longer validates, but plan does not analyse rules: it keeps the function the rule calls.
    const kept = await cli('plan', '--prune', '--format', 'json');
    const fn = changesOf(kept.stdout).find((c) => c.key === 'function/spcredentialchanges')!;
    expect(fn).toMatchObject({ op: 'retain', reason: expect.stringContaining('still call it: not deleted') });

    repo.remove(RULE);
    const run = await cli('apply', '--prune');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(em.get(SEARCH)).toBeUndefined();
    expect(em.get(`${WS}/providers/Microsoft.SecurityInsights/metadata/parser-spcredentialchanges`)).toBeUndefined();
    expect(em.get(`${WS}/providers/Microsoft.SecurityInsights/alertRules/${RULE_ID}`)).toBeUndefined();
    // The portal's saved search is not ours: untouched.
    expect(em.get(`${WS}/savedSearches/portal-made`)).toBeDefined();
  });

  it('a function with a syntax error stops plan and apply before any request, at its file:line:col', async () => {
    repo.write(FN, GOOD_FUNCTION.replace('  | where OperationName has operation\n', '  | where OperationName has operation and\n'));
    em.resetStats();
    for (const verb of ['plan', 'apply']) {
      const run = await cli(verb);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('functions/SpCredentialChanges.yaml:16:42: Missing expression');
      expect(run.stderr).toContain('nothing deployed');
    }
    expect(em.stats().total.writes).toBe(0);
    repo.write(FN, GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: AuditLogs'));
    repo.write('functions/AuditLogs.yaml', GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: AuditLogs'));
    repo.remove(FN);
    const collide = await cli('apply');
    expect(collide.code).toBe(1);
    expect(collide.stderr).toContain('functions/AuditLogs.yaml:2:8: function alias AuditLogs is the name of a table');
    expect(em.stats().total.writes).toBe(0);
    repo.remove('functions/AuditLogs.yaml');
  });
});

describe('apply order within a target', () => {
  const change = (type: PlannedChange['type'], op: PlannedChange['op'], name: string): PlannedChange =>
    ({ key: `${type}/${name}`, type, name, displayName: name, op, changes: [], phases: [] });

  it('creates and updates functions first, then everything else, and deletes functions last', () => {
    const stages = applyStages([
      change('alertRule', 'create', 'r1'), change('function', 'delete', 'old'), change('function', 'create', 'f1'),
      change('watchlist', 'update', 'w'), change('function', 'update', 'f2'), change('alertRule', 'delete', 'r2'),
    ]);
    expect(stages.map((s) => s.map((c) => c.key))).toEqual([
      ['function/f1', 'function/f2'],
      ['alertRule/r1', 'watchlist/w', 'alertRule/r2'],
      ['function/old'],
    ]);
    expect(applyStages([change('alertRule', 'create', 'r1')]).map((s) => s.length)).toEqual([1]);
  });
});

/** `sentinel import`: portal rules → repo YAML that validates, adopted so plan manages them. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../scripts/cli/context.ts';
import { loadContentFile, loadRepo } from '../../scripts/content/load.ts';
import type { RuleFile } from '../../scripts/model/types.ts';
import { emulatorConfigFor, plan } from '../../scripts/cli/deploy.ts';
import { armToRule, joinTechniques, ruleYaml, shortDuration, slugOf } from '../../scripts/deploy/plan/import.ts';
import { importCommand, rulesInExport } from '../../scripts/cli/import.ts';
import { ruleToArm } from '../../scripts/deploy/desired/mapping.ts';
import { itemResourceId, workspaceOf } from '../../scripts/deploy/desired/model.ts';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { TEST_IDENTITY } from '../helpers/repo.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const PORTAL_RULE = {
  displayName: 'Owner added to application (portal)',
  description: 'Made by an analyst in the portal.',
  severity: 'High',
  enabled: true,
  query: 'AuditLogs\n| where OperationName has "Add owner to application"\n| extend Actor = tostring(InitiatedBy.user.userPrincipalName)\n| project TimeGenerated, Actor',
  queryFrequency: 'PT1H', queryPeriod: 'PT2H', triggerOperator: 'GreaterThan', triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: 'PT5H',
  tactics: ['Persistence'], techniques: ['T1098'], subTechniques: ['T1098.001'],
  entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Actor' }] }],
  incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT8H', matchingMethod: 'AllEntities' } },
  eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
};
const PORTAL_ID = '5d3c2b1a-0f9e-4d8c-b7a6-123456789abc';

describe('reverse mapping', () => {
  it('turns ARM durations, operators and techniques back into the YAML forms', () => {
    const notes: string[] = [];
    expect(shortDuration('PT5M', 'f', notes)).toBe('5m');
    expect(shortDuration('PT60M', 'f', notes)).toBe('1h');
    expect(shortDuration('P1D', 'f', notes)).toBe('1d');
    expect(shortDuration('PT90S', 'f', notes)).toBe('2m');
    expect(notes).toEqual(['f "PT90S" is not whole minutes; rounded up']);
    expect(joinTechniques(['T1098', 'T1078'], ['T1098.001'])).toEqual(['T1078', 'T1098.001']);
    expect(slugOf('Owner added to application (portal)')).toBe('owner-added-to-application-portal');
  });

  it('round-trips: YAML written by import maps back to the same ARM body', () => {
    const imported = armToRule({ name: PORTAL_ID, kind: 'Scheduled', properties: PORTAL_RULE });
    if ('skipped' in imported) throw new Error(imported.skipped);
    const text = ruleYaml(imported.rule, imported.notes);
    const { file, diagnostics } = loadContentFile('analytics-rules/imported/x.yaml', text);
    expect(diagnostics).toEqual([]);
    const back = ruleToArm((file as RuleFile).rule).properties as Record<string, unknown>;
    for (const k of ['displayName', 'severity', 'query', 'queryFrequency', 'queryPeriod', 'triggerOperator', 'techniques', 'subTechniques', 'entityMappings', 'eventGroupingSettings']) {
      expect(back[k], k).toEqual((PORTAL_RULE as Record<string, unknown>)[k]);
    }
    expect((back.incidentConfiguration as { groupingConfiguration: { lookbackDuration: string } }).groupingConfiguration.lookbackDuration).toBe('PT8H');
  });

  it('skips rule kinds that are not content, and reads ARM template exports', () => {
    expect(armToRule({ name: 'x', kind: 'Fusion', properties: {} })).toEqual({ skipped: 'kind Fusion is not managed as content (only Scheduled and NRT rules are)' });
    const template = { resources: [
      { type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules', name: `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/${PORTAL_ID}')]`, kind: 'Scheduled', properties: PORTAL_RULE },
      { type: 'Microsoft.OperationalInsights/workspaces/providers/metadata', name: 'm', properties: {} },
    ] };
    const rules = rulesInExport(template, 'export.json');
    expect(rules).toHaveLength(1);
    const r = armToRule(rules[0]!);
    expect('rule' in r && r.rule.id).toBe(PORTAL_ID);
  });
});

describe('sentinel import from a workspace', () => {
  let root: string;
  let emulator: EmulatorHandle;
  const ctx = (): CliContext & { stdout: string[]; stderr: string[] } => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { root, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, isTTY: false, stdout, stderr };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'import-'));
    for (const d of ['targets', 'watchlists', 'package.json']) await cp(join(repoRoot, d), join(root, d), { recursive: true });
    // The tests' own repository identity (this repo's is the template's, refused outside an emulator).
    await writeFile(join(root, 'sentinel.config.yaml'), TEST_IDENTITY);
    const repo = await loadRepo(root);
    emulator = await startEmulator(emulatorConfigFor(repo.targets.map((t) => t.target), { throttling: { retryAfterMsHeader: true } }));
    const canary = repo.targets.find((t) => t.target.name === 'contoso-canary')!.target;
    emulator.portal.put(itemResourceId(workspaceOf(canary), 'alertRule', PORTAL_ID), { kind: 'Scheduled', properties: PORTAL_RULE });
    emulator.portal.installContentHubRule({
      workspaceId: itemResourceId(workspaceOf(canary), 'alertRule', PORTAL_ID).replace(/\/providers\/Microsoft\.SecurityInsights\/alertRules\/.*$/, ''),
      ruleId: '6e4d3c2b-1a0f-4e9d-8c7b-abcdef012345', templateName: 'tpl', templateVersion: '1.0.0', solutionName: 'Azure Activity',
      properties: { ...PORTAL_RULE, displayName: 'From Content hub' },
    });
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('writes a valid rule file, adopts the portal rule, leaves Content-hub rules alone, and plan then manages it', async () => {
    const flags = ['--targets', 'contoso-canary', '--auth', 'emulator', '--endpoint', emulator.url];
    const dry = ctx();
    expect(await importCommand([...flags, '--dry-run'], dry)).toBe(0);
    expect(dry.stdout.join('\n')).toContain('would write analytics-rules/imported/owner-added-to-application-portal.yaml');

    const c = ctx();
    expect(await importCommand(flags, c)).toBe(0);
    const out = c.stdout.join('\n');
    expect(out).toContain('write analytics-rules/imported/owner-added-to-application-portal.yaml  "Owner added to application (portal)"');
    expect(out).toContain('adopted in contoso-canary');
    expect(out).toMatch(/skip contoso-canary\/6e4d3c2b-1a0f-4e9d-8c7b-abcdef012345 "From Content hub": managed by Solution/);

    const text = await readFile(join(root, 'analytics-rules/imported/owner-added-to-application-portal.yaml'), 'utf8');
    expect(loadContentFile('analytics-rules/imported/owner-added-to-application-portal.yaml', text).diagnostics).toEqual([]);

    // The imported rule is now this repo's: no conflict, and nothing to change for it.
    const p = ctx();
    expect(await plan(['--targets', 'contoso-canary', '--auth', 'emulator', '--endpoint', emulator.url, '--format', 'json'], p)).toBe(0);
    const changes = (JSON.parse(p.stdout.join('\n')) as { targets: { changes: { name: string; op: string }[] }[] }).targets[0]!.changes;
    expect(changes.find((x) => x.name === PORTAL_ID)?.op).toBe('noop');
    expect(changes.some((x) => x.op === 'conflict')).toBe(false);

    // Importing again finds nothing new and never overwrites.
    const again = ctx();
    expect(await importCommand(flags, again)).toBe(0);
    expect(again.stdout.at(-1)).toBe('0 rule file(s) written');
  });
});

/**
 * End to end: `schema pull` against the emulator writes per-target schemas; `validate` and `plan`
 * then reject a rule in the target whose workspace lacks a table it reads (before any write), and a
 * forced `apply` gets Azure's 400 back as one line naming rule, target and table.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { GOOD_RULE, RULE_HEADER, WATCHLIST, tempRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { runCli } from '../helpers/cli.ts';

const AWS_RULE = `${RULE_HEADER}id: 0d5c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b
name: AWS console login without MFA
description: A console login to AWS without multi-factor authentication.
severity: Medium
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - InitialAccess
relevantTechniques:
  - T1078.004
query: |
  // Console logins without MFA
  AWSCloudTrail
  | where EventName == "ConsoleLogin"
  | extend MfaUsed = tostring(parse_json(AdditionalEventData).MFAUsed)
  | where MfaUsed != "Yes"
  | project TimeGenerated, UserIdentityArn, SourceIpAddress
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: SourceIpAddress
version: 1.0.0
`;

const CONTOSO = { tenantId: '00000000-0000-4000-8000-0000000000a1', subscriptionId: '00000000-0000-4000-8000-0000000001a1', resourceGroup: 'rg-sec', workspace: 'law-contoso' };
const FABRIKAM = { tenantId: '00000000-0000-4000-8000-0000000000b1', subscriptionId: '00000000-0000-4000-8000-0000000001b1', resourceGroup: 'rg-sec', workspace: 'law-fabrikam' };

function targetYaml(w: typeof CONTOSO, extra = ''): string {
  return `tenantId: ${w.tenantId}\nsubscriptionId: ${w.subscriptionId}\nresourceGroup: ${w.resourceGroup}\nworkspaceName: ${w.workspace}\nlocation: westeurope\nwave: 0\n${extra}`;
}

let em: EmulatorHandle;
let repo: TempRepo;
const cli = (...args: string[]) => runCli(['--root', repo.root, ...args]);
const viaEmulator = () => ['--auth', 'emulator', '--endpoint', em.url];

beforeAll(async () => {
  // Fabrikam has not enabled the AWS connector: its workspace has no AWSCloudTrail table.
  em = await startEmulator({
    workspaces: [CONTOSO, { ...FABRIKAM, tables: { without: ['AWSCloudTrail'], custom: [{ name: 'FabrikamVpn_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'User_s', type: 'string' }] }] } }],
    throttling: { retryAfterMsHeader: true },
  });
  repo = tempRepo({
    'analytics-rules/entra/good-rule.yaml': GOOD_RULE,
    'analytics-rules/aws/console-login-no-mfa.yaml': AWS_RULE,
    'watchlists/NetworkAllowlist.yaml': WATCHLIST,
    'targets/contoso.yaml': targetYaml(CONTOSO),
    'targets/fabrikam.yaml': targetYaml(FABRIKAM),
  });
  await writeDocs(repo);
});

afterAll(async () => {
  await em.stop();
  repo.cleanup();
});

describe('sentinel schema pull → validate → plan → apply --force', () => {
  it('pull writes one sorted, dated schema per target from the Tables and savedSearches APIs', async () => {
    const r = await cli('schema', 'pull', ...viaEmulator());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/schemas\/workspaces\/fabrikam\.json: \d+ tables, 0 functions/);
    const fab = JSON.parse(readFileSync(join(repo.root, 'schemas/workspaces/fabrikam.json'), 'utf8'));
    const con = JSON.parse(readFileSync(join(repo.root, 'schemas/workspaces/contoso.json'), 'utf8'));
    expect(fab.target).toBe('fabrikam');
    expect(fab.workspace).toBe(`/subscriptions/${FABRIKAM.subscriptionId}/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law-fabrikam`);
    expect(fab.pulledAt).toBe(new Date().toISOString().slice(0, 10));
    expect(fab.tables['AWSCloudTrail']).toBeUndefined();
    expect(con.tables['AWSCloudTrail']).toContainEqual(['EventName', 'string']);
    // standardColumns first, then the custom columns, as the Tables API lists them.
    expect(fab.tables['FabrikamVpn_CL']).toEqual([['TenantId', 'guid'], ['Type', 'string'], ['TimeGenerated', 'datetime'], ['User_s', 'string']]);
    expect(fab.tables['SigninLogs']).toContainEqual(['TimeGenerated', 'datetime']);
    const names = Object.keys(fab.tables);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : 1)));
    // A second pull the same day is byte-identical (diff-friendly, stable).
    const before = readFileSync(join(repo.root, 'schemas/workspaces/fabrikam.json'), 'utf8');
    expect((await cli('schema', 'pull', '--targets', 'fabrikam', ...viaEmulator())).code).toBe(0);
    expect(readFileSync(join(repo.root, 'schemas/workspaces/fabrikam.json'), 'utf8')).toBe(before);
  });

  it('validate reports the rule at its query line, naming target and table; the other target is fine', async () => {
    const r = await cli('validate', '--no-cache', '--format', 'json');
    expect(r.code).toBe(1);
    const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; code: string; message: string; severity: string }[] };
    const missing = diagnostics.filter((d) => d.code === 'target/missing-table');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ file: 'analytics-rules/aws/console-login-no-mfa.yaml', line: 17, severity: 'error' });
    expect(missing[0]!.message).toBe(
      'Azure rejects this rule in fabrikam: AWSCloudTrail does not exist there (schemas/workspaces/fabrikam.json); enable its connector or disable the rule for this target',
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
  });

  it('plan shows the problem for fabrikam before any write and exits 1', async () => {
    em.resetStats();
    const r = await cli('plan', ...viaEmulator());
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('rule aws/console-login-no-mfa: Azure rejects this rule in fabrikam: AWSCloudTrail does not exist there');
    expect(em.stats().total.writes).toBe(0);
  });

  it('apply without --force writes nothing to fabrikam; apply --force gets the 400 as one line', async () => {
    const blocked = await cli('apply', '--yes', ...viaEmulator());
    expect(blocked.code).toBe(1);
    expect(em.list(`/subscriptions/${FABRIKAM.subscriptionId}/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law-fabrikam/providers/Microsoft.SecurityInsights/alertRules`)).toHaveLength(0);

    const forced = await cli('apply', '--yes', '--force', ...viaEmulator());
    expect(forced.code).toBe(1);
    const out = forced.stdout + forced.stderr;
    const line = out.split('\n').find((l) => l.includes('Azure rejects rule'));
    expect(line).toBeDefined();
    expect(line).toContain('Azure rejects rule 0d5c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b (AWS console login without MFA) in fabrikam: AWSCloudTrail does not exist there');
    expect(line).toContain('HTTP 400 BadRequest: Failed to run the analytics rule query. One of the tables does not exist.');
    expect(line).toContain('enable its connector or disable the rule for this target');
    // The good rule landed in both workspaces; the AWS rule only where the table exists.
    const rules = (ws: typeof CONTOSO) => em.list(`/subscriptions/${ws.subscriptionId}/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/${ws.workspace}/providers/Microsoft.SecurityInsights/alertRules`).map((x) => x['name']).sort();
    expect(rules(CONTOSO)).toEqual(['0d5c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6']);
    expect(rules(FABRIKAM)).toEqual(['6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6']);
  });

  it('disabling the rule for fabrikam (disableRules) clears validate and plan', async () => {
    repo.write('targets/fabrikam.yaml', targetYaml(FABRIKAM, 'disableRules:\n  - aws/*\n'));
    try {
      const v = await cli('validate', '--no-cache');
      expect(v.stdout).not.toContain('target/missing-table');
      expect(v.code).toBe(0);
      const p = await cli('plan', ...viaEmulator());
      expect(p.stdout + p.stderr).not.toContain('Azure rejects');
      expect(p.code).toBe(0);
    } finally {
      repo.write('targets/fabrikam.yaml', targetYaml(FABRIKAM));
    }
  });

  it('a stale schema warns, a schema of an unknown target and malformed JSON are findings at their line', async () => {
    const file = join(repo.root, 'schemas/workspaces/contoso.json');
    const good = readFileSync(file, 'utf8');
    try {
      repo.write('schemas/workspaces/contoso.json', good.replace(/"pulledAt": "[^"]+"/, '"pulledAt": "2020-01-01"'));
      repo.write('schemas/workspaces/oldcustomer.json', good.replace('"target": "contoso"', '"target": "oldcustomer"'));
      repo.write('schemas/workspaces/broken.json', '{\n  "version": 1,\n  "target": "broken",\n  "tables": {\n    "A": [["x", "string"],]\n  }\n}\n');
      const r = await cli('validate', '--no-cache', '--format', 'json');
      const { diagnostics } = JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; code: string; message: string; severity: string }[] };
      const stale = diagnostics.find((d) => d.code === 'target/stale-schema');
      expect(stale).toMatchObject({ file: 'schemas/workspaces/contoso.json', line: 5, severity: 'warning' });
      expect(stale!.message).toMatch(/pulled \d+ days ago \(over 30\); run `sentinel schema pull --targets contoso`/);
      expect(diagnostics.find((d) => d.code === 'target/unknown-schema')).toMatchObject({ file: 'schemas/workspaces/oldcustomer.json', severity: 'error' });
      const broken = diagnostics.find((d) => d.file === 'schemas/workspaces/broken.json');
      expect(broken).toMatchObject({ code: 'schema/workspace', line: 5, severity: 'error' });
      expect(broken!.message).toContain('not valid JSON');
    } finally {
      repo.write('schemas/workspaces/contoso.json', good);
      repo.remove('schemas/workspaces/oldcustomer.json');
      repo.remove('schemas/workspaces/broken.json');
    }
  });

  it('no pulled schema: the built-in catalogue applies (no per-target finding), apply still gets Azure\'s 400', async () => {
    repo.remove('schemas/workspaces/fabrikam.json');
    try {
      const v = await cli('validate', '--no-cache');
      expect(v.code).toBe(0);
      expect(existsSync(join(repo.root, 'schemas/workspaces/fabrikam.json'))).toBe(false);
      // Nothing warns before the write; Azure's 400 is still one line naming rule, target and the
      // missing table (found through the workspace's Tables API, since the service does not name it).
      const applied = await cli('apply', '--yes', ...viaEmulator());
      expect(applied.code).toBe(1);
      const line = (applied.stdout + applied.stderr).split('\n').find((l) => l.includes('Azure rejects rule'));
      expect(line).toContain('in fabrikam: AWSCloudTrail does not exist there (HTTP 400 BadRequest: Failed to run the analytics rule query. One of the tables does not exist.)');
    } finally {
      expect((await cli('schema', 'pull', '--targets', 'fabrikam', ...viaEmulator())).code).toBe(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { fixContentFile } from '../../scripts/content/fix.ts';
import { loadContentFile } from '../../scripts/content/load.ts';

const RULE = 'analytics-rules/imported/quirky.yaml';
const HEADER = '# yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json\n';

/** A rule written for these tests with every quirk `fix` rewrites, and comments around them. */
const QUIRKY = `# Exported from another workspace; reviewed by the SOC
id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
name: Quirky fixture rule
description: Written for the fix tests.
severity: low   # raise after tuning
requiredDataConnectors:
  # the Entra connector
  - connectorId: AzureActiveDirectory
    datatypes:
      - AuditLogs
queryFrequency: PT1H
queryPeriod: "01:00:00"
triggerOperator: GreaterThan
triggerThreshold: 0
tactics:
  - Persistence
techniques:
  - T1098
query: |
  AuditLogs
  | where OperationName == "Add member to role"   # a comment inside the query stays

  | project TimeGenerated, OperationName
# mappings come later
entityMappings:
alertRuleTemplateName: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
Version: 1.0.0
`;

const FIXED = `${HEADER}# Exported from another workspace; reviewed by the SOC
id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
name: Quirky fixture rule
description: Written for the fix tests.
severity: Low   # raise after tuning
requiredDataConnectors:
  # the Entra connector
  - connectorId: AzureActiveDirectory
    dataTypes:
      - AuditLogs
queryFrequency: 1h
queryPeriod: "1h"
triggerOperator: gt
triggerThreshold: 0
tactics:
  - Persistence
relevantTechniques:
  - T1098
query: |
  AuditLogs
  | where OperationName == "Add member to role"   # a comment inside the query stays

  | project TimeGenerated, OperationName
# mappings come later
version: 1.0.0
kind: Scheduled
`;

describe('fixContentFile', () => {
  it('rewrites every rule quirk in place, keeping comments, blank lines and the query byte for byte', () => {
    const r = fixContentFile(RULE, QUIRKY);
    expect(r.after).toBe(FIXED);
    expect(r.manual).toEqual([]);
    expect(r.applied.map((n) => `${n.line}:${n.col} ${n.code}`)).toEqual([
      '1:1 content/schema-header', '2:1 compat/kind-missing', '5:11 compat/value-case', '9:5 compat/key-case',
      '11:17 compat/duration-form', '12:14 compat/duration-form', '13:18 compat/trigger-operator',
      '17:1 compat/legacy-field', '25:1 compat/null-value', '26:1 compat/legacy-field', '27:1 compat/key-case',
    ]);
  });

  it('the fixed rule loads without a compat warning and with the same model as the quirky one', () => {
    const before = loadContentFile(RULE, QUIRKY);
    const after = loadContentFile(RULE, FIXED);
    expect(before.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(after.diagnostics).toEqual([]);
    expect(after.file && 'rule' in after.file ? after.file.rule : undefined).toEqual(before.file && 'rule' in before.file ? before.file.rule : undefined);
  });

  it('is idempotent', () => {
    const once = fixContentFile(RULE, QUIRKY).after;
    const twice = fixContentFile(RULE, once);
    expect(twice.after).toBe(once);
    expect(twice.applied).toEqual([]);
  });

  it('leaves what needs a hand, and says where', () => {
    const text = `${HEADER}id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
name: n
description: d
severity: Low
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [Persistence]
relevantTechniques: [T1098]
techniques: [T1078]
author:
  name: Someone
metadata:
  author:
    name: Someone else
query: AuditLogs
version: 1.0.0
`;
    const r = fixContentFile(RULE, text);
    expect(r.after).toBe(text);
    expect(r.manual.map((n) => `${n.line}:${n.col} ${n.code} ${n.message}`)).toEqual([
      '13:1 compat/legacy-field "techniques" is the ARM name of "relevantTechniques"; merge its values into "relevantTechniques" and remove it',
      '14:1 compat/metadata-field "author" is content-hub metadata; move it under "metadata:"',
    ]);
  });

  it('moves content-hub metadata written beside the rule fields under metadata:, comments and all', () => {
    const text = `${HEADER}id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
name: n
description: d
severity: Low
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: AuditLogs
# who wrote it
author:
  name: Someone   # the author
version: 1.0.0
support:
  tier: Community
`;
    const r = fixContentFile(RULE, text);
    expect(r.manual).toEqual([]);
    expect(r.after).toBe(text
      .replace('# who wrote it\nauthor:\n  name: Someone   # the author\n', 'metadata:\n  # who wrote it\n  author:\n    name: Someone   # the author\n  support:\n    tier: Community\n')
      .replace('support:\n  tier: Community\n', ''));
  });

  it('a change the token tree does not allow here (a flow mapping) is reported, not forced', () => {
    const text = `${HEADER}id: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
name: n
description: d
severity: Low
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: AuditLogs
eventGroupingSettings: { aggregationKind: singlealert }
version: 1.0.0
`;
    const r = fixContentFile(RULE, text);
    expect(r.after).toBe(text);
    expect(r.manual).toEqual([expect.objectContaining({ line: 12, code: 'compat/value-case', message: expect.stringContaining('make this change by hand') })]);
  });

  it('a file that does not parse is left alone with its YAML error', () => {
    const r = fixContentFile(RULE, 'id: [\n');
    expect(r.after).toBe('id: [\n');
    expect(r.manual[0]).toMatchObject({ line: expect.any(Number), message: expect.stringContaining('fix the YAML first') });
  });

  it('allowlist entries in a watchlist: zone id, leading zeros, spaces and prefix zeros become canonical', () => {
    const text = `# yaml-language-server: $schema=../scripts/content/schemas/watchlist.schema.json
alias: NetworkAllowlist
displayName: Network allowlist
description: Trusted networks
provider: SOC
source: repo
itemsSearchKey: IPOrRange
columns:
  - name: IPOrRange
    type: ipOrRange
  - name: Description
    type: string
items:
  - IPOrRange: fe80::1%eth0     # link-local test box
    Description: Lab
  - IPOrRange: 192.168.010.0/24
    Description: Branch
  - IPOrRange: " 203.0.113.7 "
    Description: Partner
  - IPOrRange: 198.51.100.0/024
    Description: VPN
  - IPOrRange: 10.0.0.0/8
    Description: Already canonical
`;
    const r = fixContentFile('watchlists/NetworkAllowlist.yaml', text);
    expect(r.after).toBe(text
      .replace('fe80::1%eth0', 'fe80::1')
      .replace('192.168.010.0/24', '192.168.10.0/24')
      .replace('" 203.0.113.7 "', '"203.0.113.7"')
      .replace('198.51.100.0/024', '198.51.100.0/24'));
    expect(r.applied.map((n) => `${n.line} ${n.code}`)).toEqual(['14 fix/ip-canonical', '16 fix/ip-canonical', '18 fix/ip-canonical', '20 fix/ip-canonical']);
  });

  it("allowlist entries in a target's watchlistItems use the watchlist's column types", () => {
    const text = `# yaml-language-server: $schema=../scripts/content/schemas/target.schema.json
tenantId: 00000000-0000-4000-8000-000000000001
watchlistItems:
  NetworkAllowlist:
    - { IPOrRange: 010.1.2.3, Description: flow style is left alone }
    - IPOrRange: 010.1.2.4
      Description: block style is fixed
`;
    const r = fixContentFile('targets/contoso.yaml', text, { ipColumns: new Map([['NetworkAllowlist', ['IPOrRange']]]) });
    expect(r.after).toBe(text.replace('IPOrRange: 010.1.2.4', 'IPOrRange: 10.1.2.4'));
    expect(r.manual).toEqual([expect.objectContaining({ line: 5, code: 'fix/ip-canonical' })]);
  });

  it('adds or corrects the schema header of every kind of content file', () => {
    expect(fixContentFile('workbooks/w.yaml', 'id: x\n').after).toBe('# yaml-language-server: $schema=../scripts/content/schemas/workbook.schema.json\nid: x\n');
    expect(fixContentFile('analytics-rules/a/b/r.tests.yaml', '# yaml-language-server: $schema=x.json\ncases: []\n').after)
      .toBe('# yaml-language-server: $schema=../../../scripts/content/schemas/rule-tests.schema.json\ncases: []\n');
    expect(fixContentFile('README.md', 'text').after).toBe('text');
  });
});

describe('fix on the pack itself, with quirks written into it', () => {
  it('every rule of the pack, quirked and fixed, loads to the same model without a warning of its own', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '../..');
    const areas = readdirSync(join(root, 'analytics-rules'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    let checked = 0;
    for (const area of areas) {
      for (const name of readdirSync(join(root, 'analytics-rules', area)).filter((n) => n.endsWith('.yaml') && !n.endsWith('.tests.yaml'))) {
        const rel = `analytics-rules/${area}/${name}`;
        const original = readFileSync(join(root, rel), 'utf8');
        const quirked = original
          .replace(/^# yaml-language-server:.*\n/, '')
          .replace(/^severity: (\w+)/m, (_, s: string) => `severity: ${s.toLowerCase()}`)
          .replace(/^kind: Scheduled\n/m, '')
          .replace(/^(\s+)dataTypes:/m, '$1datatypes:')
          .replace(/^relevantTechniques:/m, 'techniques:')
          .replace(/^triggerOperator: gt$/m, 'triggerOperator: GreaterThan')
          .replace(/^queryFrequency: (\d+)h$/m, 'queryFrequency: PT$1H')
          + 'sentinelEntitiesMappings:   # nothing extra\n';
        const before = loadContentFile(rel, original);
        const quirkedLoad = loadContentFile(rel, quirked);
        expect(quirkedLoad.diagnostics.filter((d) => d.severity === 'error'), rel).toEqual([]);
        expect(quirkedLoad.diagnostics.filter((d) => d.code.startsWith('compat/')).length, rel).toBeGreaterThanOrEqual(5);
        const fixed = fixContentFile(rel, quirked);
        expect(fixed.manual, rel).toEqual([]);
        const after = loadContentFile(rel, fixed.after);
        expect(after.diagnostics, rel).toEqual(before.diagnostics);
        const model = (r: ReturnType<typeof loadContentFile>) => (r.file && 'rule' in r.file ? r.file.rule : undefined);
        expect(model(after), rel).toEqual(model(before));
        expect(model(quirkedLoad), rel).toEqual(model(before));
        expect(fixed.after, rel).toContain('# nothing extra\n');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});

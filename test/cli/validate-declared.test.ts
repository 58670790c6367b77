/**
 * End to end: a repository whose rules read a custom `_CL` table and call a vendor parser. Without
 * the declared schemas `validate` reports the unknown names; with Azure-Sentinel-format
 * `schemas/tables/*.json` and `schemas/functions/*.json` (and the YAML form) it reports none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_RULE, goodRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { runCli } from '../helpers/cli.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

/** Our own fixture in the CustomTables shape: PascalCase keys, .NET type spellings, tab indentation. */
const CONTOSO_TABLE = `{
\t"Name": "Contoso_CL",
\t"Properties": [
\t\t{ "Name": "TimeGenerated", "Type": "DateTime" },
\t\t{ "Name": "UserName_s", "Type": "String" },
\t\t{ "Name": "SrcIp_s", "Type": "String" },
\t\t{ "Name": "FailedCount_d", "Type": "Double" },
\t\t{ "Name": "Details_d", "Type": "Dynamic" }
\t]
}
`;

/** A vendor parser in the CustomFunctions shape, camel-case keys in the columns as some files write them. */
const CONTOSO_PARSER = `{
  "FunctionName": "ContosoAuthEvents",
  "FunctionParameters": [
    { "Name": "starttime", "Type": "datetime", "Default": "datetime(null)" },
    { "Name": "username", "Type": "string", "Default": "*" }
  ],
  "FunctionResultColumns": [
    { "name": "TimeGenerated", "type": "datetime" },
    { "name": "TargetUsername", "type": "string" },
    { "name": "SrcIpAddr", "type": "string" },
    { "name": "EventResult", "type": "string" },
    { "name": "EventCount", "type": "int" }
  ]
}
`;

/** The YAML form of a declared table. */
const FABRIKAM_TABLE = `# yaml-language-server: $schema=../../scripts/content/schemas/declared-table.schema.json
Name: FabrikamVpn_CL
Properties:
  - { Name: TimeGenerated, Type: datetime }
  - { Name: User_s, Type: string }
  - { Name: BytesOut_d, Type: real }
`;

function rule(id: string, name: string, query: string): string {
  const body = query.split('\n').map((l) => `  ${l}`).join('\n');
  return GOOD_RULE.replace(/^id: .*$/m, `id: ${id}`)
    .replace(/^name: .*$/m, `name: ${name}`)
    .replace(/query: \|\n(?: {2}.*\n)+/, `query: |\n${body}\n`)
    .replace(/customDetails:\n {2}TargetId: TargetId\n/, '');
}

const RULES = {
  'analytics-rules/contoso/brute-force.yaml': rule('0b0f0e2a-0000-4000-8000-000000000001', 'Contoso brute force', [
    'Contoso_CL',
    '| where TimeGenerated > ago(1h) and FailedCount_d > 10',
    '| extend Initiator = UserName_s, Country = tostring(Details_d.country)',
    '| project TimeGenerated, Initiator, SrcIp_s, Country',
  ].join('\n')),
  'analytics-rules/contoso/parser.yaml': rule('0b0f0e2a-0000-4000-8000-000000000002', 'Contoso failed sign-ins by parser', [
    'ContosoAuthEvents(starttime = ago(1h))',
    '| where EventResult == "Failure"',
    '| summarize Failures = sum(EventCount) by Initiator = TargetUsername',
    '| where Failures > 5',
  ].join('\n')),
  'analytics-rules/fabrikam/vpn-exfil.yaml': rule('0b0f0e2a-0000-4000-8000-000000000003', 'Fabrikam VPN large upload', [
    'FabrikamVpn_CL',
    '| where BytesOut_d > 1e9',
    '| project TimeGenerated, Initiator = User_s, BytesOut_d, Type',
  ].join('\n')),
};

const SCHEMAS = {
  'schemas/tables/Contoso_CL.json': CONTOSO_TABLE,
  'schemas/functions/ContosoAuthEvents.json': CONTOSO_PARSER,
  'schemas/tables/FabrikamVpn_CL.yaml': FABRIKAM_TABLE,
};

async function validateJson(root: string): Promise<{ code: number; diagnostics: { file: string; line: number; col: number; severity: string; code: string; message: string }[] }> {
  const r = await runCli(['--root', root, 'validate', '--no-cache', '--format', 'json']);
  return { code: r.code, diagnostics: JSON.parse(r.stdout).diagnostics };
}

describe('validate with declared schemas (schemas/tables, schemas/functions)', () => {
  it('reports the custom table and the parser as unknown without the files, and nothing with them', async () => {
    repo = goodRepo(RULES);
    await writeDocs(repo);
    const without = await validateJson(repo.root);
    expect(without.code).toBe(1);
    const unknown = without.diagnostics.filter((d) => d.severity === 'error' && /does not refer to any known/.test(d.message));
    expect(unknown.map((d) => [d.file, /'(\w+)'/.exec(d.message)?.[1]])).toEqual([
      ['analytics-rules/contoso/brute-force.yaml', 'Contoso_CL'],
      ['analytics-rules/contoso/parser.yaml', 'ContosoAuthEvents'],
      ['analytics-rules/fabrikam/vpn-exfil.yaml', 'FabrikamVpn_CL'],
    ]);

    for (const [rel, text] of Object.entries(SCHEMAS)) repo.write(rel, text);
    const withSchemas = await validateJson(repo.root);
    expect(withSchemas.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(withSchemas.code).toBe(0);
  });

  it('a column the declared table lacks is an error naming it, with the closest declared column', async () => {
    repo = goodRepo({ ...SCHEMAS, 'analytics-rules/contoso/brute-force.yaml': RULES['analytics-rules/contoso/brute-force.yaml'].replace('FailedCount_d > 10', 'FailCount_d > 10') });
    await writeDocs(repo);
    const r = await validateJson(repo.root);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({
      file: 'analytics-rules/contoso/brute-force.yaml', severity: 'error', code: 'kql/KS142', message: expect.stringContaining("did you mean 'FailedCount_d'?"),
    }));
  });

  it('a parser called with a parameter it does not declare is an error', async () => {
    repo = goodRepo({ ...SCHEMAS, 'analytics-rules/contoso/parser.yaml': RULES['analytics-rules/contoso/parser.yaml'].replace('starttime = ago(1h)', 'since = ago(1h)') });
    await writeDocs(repo);
    const r = await validateJson(repo.root);
    expect(r.code).toBe(1);
    expect(r.diagnostics.some((d) => d.file === 'analytics-rules/contoso/parser.yaml' && d.severity === 'error' && d.code.startsWith('kql/'))).toBe(true);
  });

  it('a malformed schema file is a finding at its line and column, and validate carries on', async () => {
    repo = goodRepo({ ...RULES, ...SCHEMAS, 'schemas/tables/Contoso_CL.json': CONTOSO_TABLE.replace('"Type": "Double" }', '"Type": "Doubel" }') });
    await writeDocs(repo);
    const r = await validateJson(repo.root);
    expect(r.code).toBe(1);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({
      file: 'schemas/tables/Contoso_CL.json', line: 7, col: 38, severity: 'error', code: 'declared/unknown-type', message: expect.stringContaining('unknown type "Doubel" for column FailedCount_d; did you mean double?'),
    }));
    // The table did not load, so the rule reading it is reported too; the other rules are still checked.
    expect(r.diagnostics.filter((d) => /does not refer to any known/.test(d.message)).map((d) => d.file)).toEqual(['analytics-rules/contoso/brute-force.yaml']);
  });

  it('sentinel test types fixture rows of a declared table by its declared columns', async () => {
    const tests = [
      '# yaml-language-server: $schema=../../scripts/content/schemas/rule-tests.schema.json',
      'cases:',
      '- name: many failures fire',
      "  now: '2026-03-10T10:30:00Z'",
      '  tables:',
      '    Contoso_CL:',
      "    - { TimeGenerated: '2026-03-10T10:00:00Z', UserName_s: alice, SrcIp_s: 198.51.100.7, FailedCount_d: 12, Details_d: { country: NL } }",
      '  expect: { alert: true, rows: [ { Initiator: alice, Country: NL } ] }',
      '- name: few failures stay silent',
      "  now: '2026-03-10T10:30:00Z'",
      '  tables:',
      '    Contoso_CL:',
      "    - { TimeGenerated: '2026-03-10T10:00:00Z', UserName_s: bob, SrcIp_s: 198.51.100.8, FailedCount_d: 3 }",
      '  expect: { alert: false }',
      '- name: a column the table does not declare is a fixture error',
      "  now: '2026-03-10T10:30:00Z'",
      '  tables:',
      '    Contoso_CL:',
      "    - { TimeGenerated: '2026-03-10T10:00:00Z', Nope_s: x }",
      '  expect: { alert: false }',
      '',
    ].join('\n');
    repo = goodRepo({ ...RULES, ...SCHEMAS, 'analytics-rules/contoso/brute-force.tests.yaml': tests });
    const r = await runCli(['--root', repo.root, 'test', 'analytics-rules/contoso', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { results: { name: string; passed: boolean; message?: string }[] };
    const byName = new Map(report.results.map((c) => [c.name, c]));
    expect(byName.get('many failures fire')).toMatchObject({ passed: true });
    expect(byName.get('few failures stay silent')).toMatchObject({ passed: true });
    expect(byName.get('a column the table does not declare is a fixture error')).toMatchObject({ passed: false, message: expect.stringContaining('Contoso_CL has no column Nope_s') });
  });
});

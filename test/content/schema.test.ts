/** The content schemas: generated files up to date, and the message each kind of bad value gets. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContentFile } from '../../scripts/content/load.ts';
import { REGENERATE_COMMAND, SCHEMA_DIR, renderSchemas } from '../../scripts/content/schemas/generate.ts';
import type { Diagnostic } from '../../scripts/model/types.ts';
import { GOOD_RULE, WATCHLIST } from '../helpers/repo.ts';

const header = (rel: string, schema: string) =>
  `# yaml-language-server: $schema=${'../'.repeat(rel.split('/').length - 1)}scripts/content/schemas/${schema}.schema.json\n`;

const RULE = 'analytics-rules/entra/good-rule.yaml';
const WL = 'watchlists/NetworkAllowlist.yaml';
const WB = 'workbooks/overview.yaml';
const TARGET = 'targets/contoso.yaml';
const TESTS = 'analytics-rules/entra/good-rule.tests.yaml';

const GOOD: Record<string, string> = {
  [RULE]: GOOD_RULE,
  [WL]: WATCHLIST.replace('items:\n', 'defaultDuration: P365D\nitems:\n'),
  [WB]: `${header(WB, 'workbook')}id: 6a3f1d2c-0000-4000-8000-00000000c0de
displayName: Credential abuse overview
version: 1.0.0
template:
  version: Notebook/1.0
  items:
    - type: 1
      content:
        json: "# Overview"
`,
  [TARGET]: `${header(TARGET, 'target')}tenantId: 00000000-0000-0000-0000-0000000000a1
subscriptionId: 00000000-0000-0000-0000-0000000000b1
resourceGroup: rg-soc
workspaceName: law-soc
location: westeurope
wave: 1
overrides:
  - rules: entra/*
    severity: High
watchlistItems:
  NetworkAllowlist:
    - IPOrRange: 203.0.113.7
      Description: Jump host
`,
  [TESTS]: `${header(TESTS, 'rule-tests')}cases:
  - name: credential added
    now: "2026-03-10T10:00:00Z"
    tables:
      AuditLogs:
        - OperationName: Add service principal credentials
    expect:
      alert: true
      count: 1
`,
};

/** The diagnostics of one file: `file` with `from` replaced by `to` (which must occur). */
function load(file: string, from?: string, to?: string): Diagnostic[] {
  const good = GOOD[file]!;
  if (from !== undefined) expect(good, `fixture of ${file} holds ${JSON.stringify(from)}`).toContain(from);
  return loadContentFile(file, from === undefined ? good : good.replace(from, to!)).diagnostics;
}

const finding = (d: Diagnostic) => `${d.line}:${d.col} ${d.code} ${d.message}`;

describe('generated schema files', () => {
  it('every committed scripts/content/schemas/*.json is what the TypeBox definitions generate', () => {
    const rendered = renderSchemas();
    expect([...rendered.keys()].sort()).toEqual(
      ['common', 'declared-function', 'declared-table', 'function', 'repo-config', 'rule', 'rule-tests', 'target', 'watchlist', 'workbook'].map((n) => `${n}.schema.json`).sort(),
    );
    for (const [file, text] of rendered) {
      const committed = readFileSync(SCHEMA_DIR + file, 'utf8');
      expect(committed === text, `scripts/content/schemas/${file} is out of date; run: ${REGENERATE_COMMAND}`).toBe(true);
    }
  });

  it("each file's $id is its file name, so header paths and $refs resolve", () => {
    for (const [file, text] of renderSchemas()) expect((JSON.parse(text) as { $id: string }).$id).toBe(file);
  });
});

describe('good files pass their schema', () => {
  for (const file of Object.keys(GOOD)) {
    it(file, () => {
      const { file: model, diagnostics } = loadContentFile(file, GOOD[file]!);
      expect(diagnostics).toEqual([]);
      expect(model).toBeDefined();
    });
  }
  it('typed model values come straight from the validated document', () => {
    const rule = loadContentFile(RULE, GOOD[RULE]!).file;
    expect(rule?.kind === 'rule' && rule.rule.tactics).toEqual(['Persistence', 'PrivilegeEscalation']);
    const target = loadContentFile(TARGET, GOOD[TARGET]!).file;
    expect(target?.kind === 'target' && target.target).toMatchObject({ name: 'contoso', wave: 1, overrides: [{ rules: 'entra/*', severity: 'High' }] });
  });
});

describe('schema messages, per content kind', () => {
  it('rule: wrong type, enum with did-you-mean, pattern with its hint', () => {
    expect(load(RULE, 'triggerThreshold: 0', 'triggerThreshold: [1]').map(finding))
      .toEqual(['10:19 schema/type triggerThreshold must be a whole number (got a list)']);
    expect(load(RULE, '  - Persistence\n', '  - Persistance\n').map(finding))
      .toEqual([expect.stringMatching(/^12:5 schema\/enum tactics\[0\] must be one of Reconnaissance, .*, InhibitResponseFunction \(got "Persistance"\); did you mean "Persistence"\?$/)]);
    expect(load(RULE, '  - T1098.001', '  - T1098.1').map(finding))
      .toEqual(['15:5 schema/pattern relevantTechniques[0] must be an ATT&CK technique id like T1098 or T1098.001 (got "T1098.1")']);
  });

  it('rule: status is validated as the enum its type says', () => {
    expect(load(RULE, 'kind: Scheduled\n', 'kind: Scheduled\nstatus: Availble\n').map(finding))
      .toEqual(['7:9 schema/enum status must be one of Available, Deprecated, Preview (got "Availble"); did you mean "Available"?']);
  });

  it('watchlist: wrong type, enum with did-you-mean, pattern with its hint', () => {
    expect(load(WL, 'description: Trusted networks', 'description: [Trusted]').map(finding))
      .toEqual(['4:14 schema/type description must be a string (got a list)']);
    expect(load(WL, 'type: ipOrRange', 'type: ipOrRang').map(finding))
      .toEqual(['10:11 schema/enum columns[0].type must be one of string, ipOrRange, datetime, int, bool, email, guid (got "ipOrRang"); did you mean "ipOrRange"?']);
    expect(load(WL, 'alias: NetworkAllowlist', 'alias: 1Network').map(finding))
      .toEqual(['2:8 schema/pattern alias must be letters, digits, _ or -, starting with a letter (got "1Network")']);
  });

  it('watchlist: defaultDuration P1Y is an error at its line that suggests P365D', () => {
    const diagnostics = load(WL, 'defaultDuration: P365D', 'defaultDuration: P1Y');
    expect(diagnostics).toEqual([expect.objectContaining({ file: WL, line: 16, col: 18, severity: 'error', code: 'schema/pattern' })]);
    expect(diagnostics[0]!.message).toBe('defaultDuration must be an ISO 8601 duration in weeks, days, hours, minutes or seconds like P365D (not years or months, which have no fixed length) (got "P1Y")');
    expect(load(WL, 'defaultDuration: P365D', 'defaultDuration: P1M').map((d) => d.code)).toEqual(['schema/pattern']);
    expect(load(WL, 'defaultDuration: P365D', 'defaultDuration: PT12H')).toEqual([]);
  });

  it('workbook: wrong type, const, pattern with its hint', () => {
    expect(load(WB, '    - type: 1', '    - type: text').map(finding))
      .toEqual(['8:13 schema/type template.items[0].type must be a whole number (got "text")']);
    expect(load(WB, 'version: Notebook/1.0', 'version: Notebook/2.0').map(finding))
      .toEqual(['6:12 schema/const template.version must be "Notebook/1.0" (got "Notebook/2.0")']);
    expect(load(WB, 'version: 1.0.0', 'version: "1.0"').map(finding))
      .toEqual(['4:10 schema/pattern version must be a version like 1.0.0 (got "1.0")']);
  });

  it('target: wrong type, enum with did-you-mean, pattern with its hint', () => {
    expect(load(TARGET, 'wave: 1', 'wave: first').map(finding))
      .toEqual(['7:7 schema/type wave must be a whole number (got "first")']);
    expect(load(TARGET, 'severity: High', 'severity: high').map(finding))
      .toEqual(['10:15 schema/enum overrides[0].severity must be one of High, Medium, Low, Informational (got "high"); did you mean "High"?']);
    expect(load(TARGET, 'location: westeurope', 'location: West Europe').map(finding))
      .toEqual(['6:11 schema/pattern location must be an Azure region name like westeurope (got "West Europe")']);
    expect(load(TARGET, 'tenantId: 00000000-0000-0000-0000-0000000000a1', 'tenantId: contoso').map(finding))
      .toEqual(['2:11 schema/pattern tenantId must be a GUID like 3f2a8c1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f (got "contoso")']);
  });

  it('rule tests: wrong type, unknown field with did-you-mean, pattern with its hint', () => {
    expect(load(TESTS, 'alert: true', 'alert: yes please').map(finding))
      .toEqual(['9:14 schema/type cases[0].expect.alert must be true or false (got "yes please")']);
    expect(load(TESTS, '      count: 1', '      cout: 1').map(finding))
      .toEqual(['10:7 schema/additionalProperties unknown field "cout" in cases[0].expect (did you mean "count"?)']);
    expect(load(TESTS, 'now: "2026-03-10T10:00:00Z"', 'now: yesterday').map(finding))
      .toEqual(['4:10 schema/pattern cases[0].now must be an ISO 8601 date-time such as 2026-03-10T10:00:00Z (quote it) (got "yesterday")']);
    expect(load(TESTS, '      AuditLogs:', '      Audit Logs:').map(finding))
      .toEqual(['6:7 schema/pattern key "Audit Logs" in cases[0].tables must be a table name such as AuditLogs']);
  });
});

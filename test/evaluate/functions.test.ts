/** The local evaluator runs repo functions: called from rule tests (defaults included) and in function tests. */
import { describe, expect, it } from 'vitest';
import { loadRepo } from '../../scripts/content/load.ts';
import { buildSuite } from '../../scripts/evaluate/suite.ts';
import { evaluateQuery } from '../../scripts/evaluate/evaluate.ts';
import { savedFunctionOf } from '../../scripts/kusto/functions.ts';
import { loadContentFile } from '../../scripts/content/load.ts';
import type { FunctionFile } from '../../scripts/model/types.ts';
import { GOOD_FUNCTION, RULE_USING_FUNCTION, tempRepo } from '../helpers/repo.ts';

const TESTS_HEADER = (depth: number) => `# yaml-language-server: $schema=${'../'.repeat(depth)}scripts/content/schemas/rule-tests.schema.json\n`;
const ADD = 'Add service principal credentials';
const row = (minutesAgo: number, op = ADD, upn = 'admin@contoso.example') => ({
  TimeGenerated: new Date(Date.parse('2026-03-10T10:00:00Z') - minutesAgo * 60_000).toISOString(),
  OperationName: op,
  InitiatedBy: { user: { userPrincipalName: upn } },
  TargetResources: [{ id: 'sp-1' }],
});
const yamlRows = (rows: object[]) => rows.map((r) => `          - ${JSON.stringify(r)}`).join('\n');

const RULE_TESTS = `${TESTS_HEADER(2)}cases:
  - name: a credential added 90 minutes ago is inside the rule's 2h window
    now: "2026-03-10T10:00:00Z"
    tables:
      AuditLogs:
${yamlRows([row(90)]).replace(/^ {10}/gm, '        ')}
    expect:
      alert: true
      rows:
        - Initiator: admin@contoso.example
          TargetId: sp-1
  - name: an older change and another operation stay silent
    now: "2026-03-10T10:00:00Z"
    tables:
      AuditLogs:
${yamlRows([row(180), row(5, 'Update application')]).replace(/^ {10}/gm, '        ')}
    expect:
      alert: false
`;

const FUNCTION_TESTS = `${TESTS_HEADER(1)}cases:
  - name: defaults - one change in the last hour
    now: "2026-03-10T10:00:00Z"
    tables:
      AuditLogs:
${yamlRows([row(30), row(90)]).replace(/^ {10}/gm, '        ')}
    expect:
      alert: true
      count: 1
  - name: a 2h lookback given as a parameter sees both
    now: "2026-03-10T10:00:00Z"
    parameters:
      lookback: 2h
    tables:
      AuditLogs:
${yamlRows([row(30), row(90)]).replace(/^ {10}/gm, '        ')}
    expect:
      alert: true
      count: 2
  - name: another operation name finds nothing
    now: "2026-03-10T10:00:00Z"
    parameters:
      operation: Delete application
    tables:
      AuditLogs:
${yamlRows([row(30)]).replace(/^ {10}/gm, '        ')}
    expect:
      alert: false
`;

describe('repo functions on the local evaluator', () => {
  it('a rule calling a repo function (a parameter left at its default) passes its tests; the function tests pass too', async () => {
    const repo = tempRepo({
      'functions/SpCredentialChanges.yaml': GOOD_FUNCTION,
      'functions/SpCredentialChanges.tests.yaml': FUNCTION_TESTS,
      'analytics-rules/entra/uses-function.yaml': RULE_USING_FUNCTION,
      'analytics-rules/entra/uses-function.tests.yaml': RULE_TESTS,
    });
    try {
      const loaded = await loadRepo(repo.root);
      expect(loaded.diagnostics).toEqual([]);
      const suite = buildSuite(loaded);
      expect(suite.problems).toEqual([]);
      const results = suite.cases.map((c) => ({ title: c.title, subject: c.subject, ...c.run() }));
      expect(results.map((r) => [r.title, r.subject, r.passed, r.message])).toEqual([
        ["analytics-rules/entra/uses-function.tests.yaml › a credential added 90 minutes ago is inside the rule's 2h window", 'analytics-rules/entra/uses-function.yaml', true, undefined],
        ['analytics-rules/entra/uses-function.tests.yaml › an older change and another operation stay silent', 'analytics-rules/entra/uses-function.yaml', true, undefined],
        ['functions/SpCredentialChanges.tests.yaml › defaults - one change in the last hour', 'functions/SpCredentialChanges.yaml', true, undefined],
        ['functions/SpCredentialChanges.tests.yaml › a 2h lookback given as a parameter sees both', 'functions/SpCredentialChanges.yaml', true, undefined],
        ['functions/SpCredentialChanges.tests.yaml › another operation name finds nothing', 'functions/SpCredentialChanges.yaml', true, undefined],
      ]);
      // The function's output columns are what the language service inferred from its body.
      expect(results[0]!.actual!.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['TimeGenerated:datetime', 'Initiator:string', 'TargetId:string', 'OperationName:string']);
    } finally {
      repo.cleanup();
    }
  });

  it('a failing function case says why, at the case; an unknown parameter is a finding at parameters', async () => {
    const repo = tempRepo({
      'functions/SpCredentialChanges.yaml': GOOD_FUNCTION,
      'functions/SpCredentialChanges.tests.yaml': FUNCTION_TESTS.replace('      count: 2\n', '      count: 3\n').replace('      lookback: 2h\n', '      lookback: 2h\n      nope: 1\n'),
    });
    try {
      const suite = buildSuite(await loadRepo(repo.root));
      const [, second] = suite.cases.map((c) => c.run());
      expect(second).toMatchObject({
        passed: false,
        message: "parameter 'nope' is not declared by the function (declared: lookback, operation)",
        location: { file: 'functions/SpCredentialChanges.tests.yaml', line: 15, col: 7 },
      });
    } finally {
      repo.cleanup();
    }
  });

  it('evaluateQuery: a saved function with defaults called with fewer arguments', () => {
    const { file } = loadContentFile('functions/SpCredentialChanges.yaml', GOOD_FUNCTION);
    const fn = savedFunctionOf((file as FunctionFile).fn);
    const out = evaluateQuery('SpCredentialChanges() | count', { now: new Date('2026-03-10T10:00:00Z'), tables: { AuditLogs: [row(10), row(20, 'Other'), row(70)] }, functions: [fn] });
    expect(out.rows).toEqual([[1]]);
    const wider = evaluateQuery('SpCredentialChanges(operation="Other", lookback=1d) | project OperationName', { now: new Date('2026-03-10T10:00:00Z'), tables: { AuditLogs: [row(10), row(20, 'Other')] }, functions: [fn] });
    expect(wider.rows).toEqual([['Other']]);
  });
});

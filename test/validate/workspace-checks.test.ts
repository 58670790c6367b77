/** Rules against pulled workspace schemas: tables and workspace functions, disableRules, content functions. */
import { afterAll, describe, expect, it } from 'vitest';
import { loadRepo } from '../../scripts/content/load.ts';
import { parseWorkspaceSchema, type WorkspaceSchemas } from '../../scripts/content/workspace-schemas.ts';
import { formatWorkspaceSchema, type WorkspaceSchema } from '../../scripts/model/workspace-schema.ts';
import { createKqlAnalyzer } from '../../scripts/validate/kql/analyzer.ts';
import { runKql } from '../../scripts/validate/kql-checks.ts';
import { querySites } from '../../scripts/content/query-sites.ts';
import { checkWorkspaceSchemas, missingInWorkspaces, withPulledFunctions, workspaceProblems } from '../../scripts/validate/workspace-checks.ts';
import { GOOD_RULE, tempRepo } from '../helpers/repo.ts';

const target = (sub: string, extra = '') =>
  `tenantId: 00000000-0000-4000-8000-0000000000a1\nsubscriptionId: 00000000-0000-4000-8000-0000000001${sub}\nresourceGroup: rg\nworkspaceName: law-${sub}\nlocation: westeurope\nwave: 0\n${extra}`;

const PARSER_RULE = GOOD_RULE.replace('6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', '7d3e4f5a-2b3c-4d5e-8f90-a1b2c3d4e5f7')
  .replace('name: Service principal credential added', 'name: Vendor logins')
  .replace(/query: \|[\s\S]*?entityMappings:/, 'query: |\n  VendorLogins()\n  | project TimeGenerated, Initiator = UserPrincipalName, TargetId = ""\nentityMappings:');

const repo = tempRepo({
  'analytics-rules/entra/good-rule.yaml': GOOD_RULE,
  'analytics-rules/vendor/vendor-logins.yaml': PARSER_RULE,
  'targets/a1.yaml': target('a1'),
  'targets/a2.yaml': target('a2'),
  'targets/a3.yaml': target('a3', 'disableRules:\n  - entra/*\n'),
});
afterAll(() => repo.cleanup());

function pulled(name: string, tables: string[], functions: string[]): WorkspaceSchema {
  return {
    version: 1, target: name, workspace: `/x/${name}`, pulledAt: '2026-12-01',
    tables: Object.fromEntries(tables.map((t) => [t, [['TimeGenerated', 'datetime']]])),
    functions: Object.fromEntries(functions.map((f) => [f, { parameters: '', body: 'SigninLogs' }])),
  };
}

function schemas(...list: WorkspaceSchema[]): WorkspaceSchemas {
  const byTarget = new Map(list.map((s) => [s.target, parseWorkspaceSchema(`schemas/workspaces/${s.target}.json`, formatWorkspaceSchema(s)).schema!]));
  return { byTarget, diagnostics: [] };
}

async function analysed() {
  const content = await loadRepo(repo.root);
  const analyzer = createKqlAnalyzer({ watchlists: [], functions: [{ name: 'VendorLogins', parameters: '()', body: '{ SigninLogs }' }] });
  const kql = await runKql(analyzer, querySites(content), 0);
  return { content, analyses: kql.byRuleFile };
}

describe('rules against pulled workspace schemas', () => {
  it('missing tables and workspace functions per target; disableRules and targets without a schema are skipped', async () => {
    const { content, analyses } = await analysed();
    const s = schemas(pulled('a1', ['AuditLogs', 'SigninLogs'], ['VendorLogins']), pulled('a2', ['SigninLogs'], []), pulled('a3', [], []));
    const found = missingInWorkspaces(content, analyses, s).map((f) => `${f.target.target.name}:${f.rule.slug}:${f.kind}:${f.name}`).sort();
    // a2 lacks AuditLogs (good rule) and the VendorLogins function; a3 does not deploy entra/*,
    // and VendorLogins is a workspace function (a1 has it), so a3 lacks it.
    expect(found).toEqual(['a2:good-rule:table:AuditLogs', 'a2:vendor-logins:function:VendorLogins', 'a3:vendor-logins:function:VendorLogins']);
    // A function the repository deploys itself is never missing.
    expect(missingInWorkspaces(content, analyses, s, { contentFunctions: ['VendorLogins'] }).map((f) => f.name)).toEqual(['AuditLogs']);
    const problems = workspaceProblems(missingInWorkspaces(content, analyses, s));
    expect(problems.get('a2')).toEqual([
      'analytics-rules/entra/good-rule.yaml: rule entra/good-rule: Azure rejects this rule in a2: AuditLogs does not exist there (schemas/workspaces/a2.json); enable its connector or disable the rule for this target',
      'analytics-rules/vendor/vendor-logins.yaml: rule vendor/vendor-logins: Azure rejects this rule in a2: function VendorLogins does not exist there (schemas/workspaces/a2.json); deploy the function there or disable the rule for this target',
    ]);
  });

  it('validate findings sit at the first use in the query (a function no pulled workspace has is not a workspace function)', async () => {
    const { content, analyses } = await analysed();
    const d = checkWorkspaceSchemas(content, analyses, schemas(pulled('a2', ['SigninLogs'], [])), new Date('2026-12-02T00:00:00Z'));
    expect(d).toEqual([
      expect.objectContaining({ file: 'analytics-rules/entra/good-rule.yaml', line: 17, col: 3, endLine: 17, endCol: 12, code: 'target/missing-table', severity: 'error' }),
    ]);
  });
});

describe('withPulledFunctions', () => {
  it('a pulled workspace function resolves in the KQL stage; workspaces lacking it get the per-target error', async () => {
    const content = await loadRepo(repo.root);
    const s = schemas(
      { ...pulled('a1', ['AuditLogs', 'SigninLogs'], []), functions: { VendorLogins: { parameters: '', body: 'SigninLogs | where ResultType == "0"' } } },
      pulled('a2', ['AuditLogs', 'SigninLogs'], []),
    );
    const sites = querySites(content);
    const without = await runKql(createKqlAnalyzer({ watchlists: [] }), sites, 0);
    expect(without.diagnostics.some((d) => d.file === 'analytics-rules/vendor/vendor-logins.yaml' && d.severity === 'error')).toBe(true);
    const input = withPulledFunctions({ watchlists: [] }, s);
    expect(input.functions?.map((f) => f.name)).toEqual(['VendorLogins']);
    const kql = await runKql(createKqlAnalyzer(input), sites, 0);
    expect(kql.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(missingInWorkspaces(content, kql.byRuleFile, s).map((f) => `${f.target.target.name}:${f.name}`)).toEqual(['a2:VendorLogins']); // a3 has no pulled schema: not checked
  });
});

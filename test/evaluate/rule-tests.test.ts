/** The rule-test runner and the `query` / `test` verbs, on the repository's real rules and fixtures. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../scripts/cli/context.ts';
import { loadContentFile, loadRepo } from '../../scripts/content/load.ts';
import type { Repo, RuleFile } from '../../scripts/model/types.ts';
import { query, test as testCommand } from '../../scripts/cli/evaluate.ts';
import { runRuleTestCase, triggers, valueMatches } from '../../scripts/evaluate/rule-tests.ts';
import { checkRepo } from '../../scripts/validate/repo-checks.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RULE = 'analytics-rules/gcp/service-account-key-created.yaml';
const TESTS = 'analytics-rules/gcp/service-account-key-created.tests.yaml';
let repo: Repo;

function ctxFor(dir: string, env: NodeJS.ProcessEnv = {}): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root: dir, env, isTTY: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t), stdout, stderr };
}

beforeAll(async () => {
  repo = await loadRepo(root);
});

function withRule(mutate: (r: RuleFile['rule']) => RuleFile['rule']): { rule: RuleFile; ctx: { watchlists: Repo['watchlists'][number]['watchlist'][] } } {
  const original = repo.rules.find((r) => r.source.file === RULE)!;
  return { rule: { ...original, rule: mutate({ ...original.rule }) }, ctx: { watchlists: repo.watchlists.map((w) => w.watchlist) } };
}

describe('rule test runner', () => {
  it('passes the unmodified rule on its fixtures', () => {
    const tf = repo.ruleTests.find((t) => t.source.file === TESTS)!;
    const { rule, ctx } = withRule((r) => r);
    expect(tf.cases.map((_, i) => runRuleTestCase(rule, tf, i, ctx).passed)).toEqual(tf.cases.map(() => true));
  });

  it('fails with a readable diff when the threshold is raised', () => {
    const tf = repo.ruleTests.find((t) => t.source.file === TESTS)!;
    const { rule, ctx } = withRule((r) => ({ ...r, triggerOperator: 'gt', triggerThreshold: 5 }));
    const i = tf.cases.findIndex((c) => c.expect.alert);
    const r = runRuleTestCase(rule, tf, i, ctx);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/^expected an alert, but the rule stays silent: \d+ result row\(s\), trigger is gt 5$/);
    expect(r.diff).toMatch(/^actual rows:\n/);
    expect(r.location).toEqual({ file: TESTS, ...tf.source.pos(['cases', i, 'expect']) });
  });

  it('fails when a breaking edit of the operation name makes the rule silent', () => {
    const tf = repo.ruleTests.find((t) => t.source.file === TESTS)!;
    const { rule, ctx } = withRule((r) => ({ ...r, query: r.query.replace(/CreateServiceAccountKey/g, 'CreateServiceAccountKeyX') }));
    const i = tf.cases.findIndex((c) => c.expect.alert);
    const r = runRuleTestCase(rule, tf, i, ctx);
    expect(r.passed).toBe(false);
    expect(r.message).toContain('expected an alert, but the rule stays silent: 0 result row(s)');
    expect(r.diff).toBe('actual rows:\n  (no rows)');
  });

  it('reports expected rows that the result does not contain, with both sides', () => {
    const tf = repo.ruleTests.find((t) => t.source.file === TESTS)!;
    const i = tf.cases.findIndex((c) => c.expect.alert);
    const changed = { ...tf, cases: tf.cases.map((c, k) => (k === i ? { ...c, expect: { alert: true, rows: [{ AlertSeverity: 'Nope' }] } } : c)) };
    const { rule, ctx } = withRule((r) => r);
    const r = runRuleTestCase(rule, changed, i, ctx);
    expect(r.passed).toBe(false);
    expect(r.message).toBe('1 expected row(s) not found in the result');
    expect(r.diff).toMatch(/^expected \(no matching result row\):\n {2}AlertSeverity="Nope"\nactual rows:\n {2}AlertSeverity\n/);
  });

  it('points evaluation errors at the rule query line in the rule file', () => {
    const tf = repo.ruleTests.find((t) => t.source.file === TESTS)!;
    const { rule, ctx } = withRule((r) => ({ ...r, query: r.query + '\n| sample 1' }));
    const r = runRuleTestCase(rule, tf, 0, ctx);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/^rule query: (not supported by the local evaluator: sample|KS)/);
    expect(r.location?.file).toBe(RULE);
  });

  it('judges the trigger operator and threshold as Sentinel does', () => {
    expect(triggers({}, 1)).toBe(true);
    expect(triggers({}, 0)).toBe(false);
    expect(triggers({ triggerOperator: 'eq', triggerThreshold: 2 }, 2)).toBe(true);
    expect(triggers({ triggerOperator: 'lt', triggerThreshold: 2 }, 3)).toBe(false);
    expect(triggers({ triggerOperator: 'ne', triggerThreshold: 0 }, 0)).toBe(false);
  });

  it('compares expected YAML values with result values by meaning', () => {
    expect(valueMatches('2026-03-10T10:00:00Z', '2026-03-10T10:00:00.0000000Z')).toBe(true);
    expect(valueMatches(3, 3)).toBe(true);
    expect(valueMatches('3', 3)).toBe(true);
    expect(valueMatches(null, '')).toBe(true);
    expect(valueMatches({ b: 1, a: [1] }, { a: [1], b: 1 })).toBe(true);
    expect(valueMatches('High', 'Medium')).toBe(false);
  });

  it('reports no fixture-coverage gap for rules with both kinds of case', () => {
    const covered = new Set(repo.ruleTests.filter((t) => t.cases.some((c) => c.expect.alert) && t.cases.some((c) => !c.expect.alert)).map((t) => t.ruleFile));
    const warned = checkRepo(repo).filter((d) => d.code === 'check/tests').map((d) => d.file);
    for (const f of warned) expect(covered.has(f)).toBe(false);
    for (const r of repo.rules) if (!covered.has(r.source.file)) expect(warned).toContain(r.source.file);
  });
});

describe('rule-tests schema', () => {
  const header = '# yaml-language-server: $schema=../../scripts/content/schemas/rule-tests.schema.json\n';
  it('accepts a minimal test file', () => {
    const { file, diagnostics } = loadContentFile('analytics-rules/x/r.tests.yaml', `${header}cases:\n  - name: a\n    now: "2026-01-01T00:00:00Z"\n    tables: {}\n    expect: { alert: false }\n`);
    expect(diagnostics).toEqual([]);
    expect(file?.kind).toBe('ruleTests');
  });
  it('reports a case without expect and a bad now at their line:col', () => {
    const { diagnostics } = loadContentFile('analytics-rules/x/r.tests.yaml', `${header}cases:\n  - name: a\n    now: yesterday\n    tables:\n      SigninLogs: []\n`);
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.severity}`)).toEqual(expect.arrayContaining(['3:5 error', '4:10 error']));
  });
});

describe('sentinel query', () => {
  it('reports a broken --data file at file:line:col, never a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-data-'));
    try {
      await writeFile(join(dir, 'rows.yaml'), 'AuditLogs:\n  - OperationName: a\n    OperationName: b\n');
      const ctx = ctxFor(dir);
      expect(await query(['AuditLogs | count', '--data', 'rows.yaml'], ctx)).toBe(2);
      expect(ctx.stderr).toEqual([
        'sentinel query: --data: rows.yaml:3:5: duplicate key "OperationName"; each key may appear once in a mapping — remove or merge one',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints an aligned table for a self-contained query', async () => {
    const ctx = ctxFor(root);
    expect(await query(["datatable(a:long, b:string)[1, 'x', 22, 'y'] | extend c = a * 2"], ctx)).toBe(0);
    expect(ctx.stdout.join('\n')).toBe('a   b  c\n--  -  --\n1   x  2\n22  y  44\n(2 rows)');
  });

  it('prints JSON with --format json', async () => {
    const ctx = ctxFor(root);
    expect(await query(['print x = 1, t = datetime(2020-01-01)', '--format', 'json'], ctx)).toBe(0);
    expect(JSON.parse(ctx.stdout[0]!)).toEqual({ columns: [{ name: 'x', type: 'long' }, { name: 't', type: 'datetime' }], rows: [[1, '2020-01-01T00:00:00Z']] });
  });

  it('runs on a rule fixture case with --data and the case pinned now', async () => {
    const ctx = ctxFor(root);
    expect(await query(['GCPAuditLogs | where TimeGenerated > ago(1d) | count', '--data', TESTS, '--case', '0', '--format', 'json'], ctx)).toBe(0);
    const out = JSON.parse(ctx.stdout[0]!) as { rows: number[][] };
    expect(out.rows[0]![0]).toBeGreaterThan(0);
  });

  it('reports an unsupported construct as one line and exits 1', async () => {
    const ctx = ctxFor(root);
    expect(await query(['print s = "a" | sample 1'], ctx)).toBe(1);
    expect(ctx.stderr).toEqual(['query:1:17: not supported by the local evaluator: sample (SampleOperator) at 1:17']);
  });
});

describe('sentinel test', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentinel-eval-'));
    await cp(join(root, 'analytics-rules/gcp'), join(dir, 'analytics-rules/gcp'), { recursive: true });
    await cp(join(root, 'watchlists'), join(dir, 'watchlists'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the repo fixtures of a folder', async () => {
    const ctx = ctxFor(dir);
    expect(await testCommand(['analytics-rules/gcp'], ctx)).toBe(0);
    expect(ctx.stdout.at(-1)).toMatch(/^\n\d+ passed, 0 failed/);
  });

  it('fails with a diff and GitHub annotations on the failing case when the threshold is broken', async () => {
    const file = join(dir, RULE);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^triggerThreshold: \d+$/m, 'triggerThreshold: 50'));
    try {
      const ctx = ctxFor(dir, { GITHUB_ACTIONS: 'true' });
      expect(await testCommand([TESTS], ctx)).toBe(1);
      const out = ctx.stdout.join('\n');
      expect(out).toMatch(/FAIL analytics-rules\/gcp\/service-account-key-created\.tests\.yaml › .*\n {4}analytics-rules\/gcp\/service-account-key-created\.tests\.yaml:\d+:\d+: expected an alert, but the rule stays silent/);
      expect(out).toContain('actual rows:');
      expect(out).toMatch(/::error file=analytics-rules\/gcp\/service-account-key-created\.tests\.yaml,line=\d+,col=\d+::/);
    } finally {
      await writeFile(file, text);
    }
  });

  it('writes a JSON report for the job summary while stdout keeps the readable lines', async () => {
    const ctx = ctxFor(dir);
    const out = join(dir, 'test.json');
    expect(await testCommand(['--format', 'json', '--output', out, 'analytics-rules/gcp'], ctx)).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBe(report.results.length);
    expect(report.results[0]).toMatchObject({ file: TESTS, rule: RULE, passed: true, line: expect.any(Number), col: expect.any(Number) });
    expect(ctx.stdout.some((l) => l.startsWith('PASS '))).toBe(true);
  });

  it('prints only JSON on stdout with --format json and no --output', async () => {
    const ctx = ctxFor(dir);
    expect(await testCommand(['--format', 'json', 'analytics-rules/gcp'], ctx)).toBe(0);
    expect(JSON.parse(ctx.stdout.join('\n')).results.length).toBeGreaterThan(0);
  });

  it('exits 2 when no test matches the given path', async () => {
    const ctx = ctxFor(dir);
    expect(await testCommand(['analytics-rules/nope'], ctx)).toBe(2);
    expect(ctx.stderr[0]).toContain('no rule tests match analytics-rules/nope');
  });
});

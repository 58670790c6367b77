/**
 * The repo's rule and function tests as a list of runnable cases: pairs each `<slug>.tests.yaml`
 * with its rule (or `functions/<alias>.tests.yaml` with its function), the repo's functions in scope,
 * applies path filters, and reports fixture coverage (a must-alert and a must-stay-silent case).
 * Shared by `sentinel test` and the vitest registration in test/evaluate/rule-fixtures.test.ts.
 */
import type { FunctionFile, FunctionTestFile, Pos, Repo, RuleFile, TestFile } from '../model/types.ts';
import { savedFunctionOf } from '../kusto/functions.ts';
import { declaredKql } from '../kusto/declared.ts';
import type { CaseResult, RuleTestContext } from './rule-tests.ts';
import { runFunctionTestCase, runRuleTestCase } from './rule-tests.ts';

export interface SuiteCase {
  /** `analytics-rules/entra/x.tests.yaml › case name` */
  title: string;
  testFile: TestFile | FunctionTestFile;
  /** The rule or function file the case tests. */
  subject: string;
  index: number;
  run(): CaseResult;
}

export interface Suite {
  cases: SuiteCase[];
  /** Test files that cannot run (schema errors, missing rule), as located problems. */
  problems: (Pos & { file: string; message: string })[];
}

/** Whether a repo-relative file is selected by the command-line paths (file, its rule, or a folder). */
export function selected(file: string, ruleFile: string, paths: string[]): boolean {
  if (!paths.length) return true;
  return paths.some((p) => {
    const q = p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    return q === '' || q === '.' || file === q || ruleFile === q || file.startsWith(q + '/') || ruleFile.startsWith(q + '/');
  });
}

export function buildSuite(repo: Repo, paths: string[] = [], ctx?: Partial<RuleTestContext>): Suite {
  // Declared tables type fixture rows; declared body functions are callable like saved ones, and
  // rules and functions may call the repo's functions (functions/), as they do once deployed.
  const declared = declaredKql(repo.schemas);
  const functions = [...declared.functions, ...(ctx?.functions ?? repo.functions.map((f) => savedFunctionOf(f.fn)))];
  const context: RuleTestContext = {
    watchlists: repo.watchlists.map((w) => w.watchlist),
    ...(functions.length ? { functions } : {}),
    ...(ctx?.watchlists ? { watchlists: ctx.watchlists } : {}),
    declared: ctx?.declared ?? { tables: declared.tables, tabularFunctions: declared.tabularFunctions },
  };
  const rules = new Map<string, RuleFile>(repo.rules.map((r) => [r.source.file, r]));
  const cases: SuiteCase[] = [];
  const problems: Suite['problems'] = [];
  // Test files that failed to load (schema or YAML errors) never reach repo.ruleTests.
  for (const d of repo.diagnostics) {
    if (d.severity === 'error' && d.file.endsWith('.tests.yaml') && selected(d.file, d.file.replace(/\.tests\.yaml$/, '.yaml'), paths)) {
      problems.push({ file: d.file, line: d.line, col: d.col, message: d.message });
    }
  }
  for (const tf of [...repo.ruleTests].sort((a, b) => a.source.file.localeCompare(b.source.file))) {
    if (!selected(tf.source.file, tf.ruleFile, paths)) continue;
    const rule = rules.get(tf.ruleFile);
    if (!rule) {
      problems.push({ file: tf.source.file, line: 1, col: 1, message: `no rule file ${tf.ruleFile} for these tests (or it failed to load; run sentinel validate)` });
      continue;
    }
    tf.cases.forEach((c, index) => {
      cases.push({ title: `${tf.source.file} › ${c.name}`, testFile: tf, subject: tf.ruleFile, index, run: () => runRuleTestCase(rule, tf, index, context) });
    });
  }
  const fns = new Map<string, FunctionFile>(repo.functions.map((f) => [f.source.file, f]));
  for (const tf of [...repo.functionTests].sort((a, b) => a.source.file.localeCompare(b.source.file))) {
    if (!selected(tf.source.file, tf.functionFile, paths)) continue;
    const fn = fns.get(tf.functionFile);
    if (!fn) {
      problems.push({ file: tf.source.file, line: 1, col: 1, message: `no function file ${tf.functionFile} for these tests (or it failed to load; run sentinel validate)` });
      continue;
    }
    tf.cases.forEach((c, index) => {
      cases.push({ title: `${tf.source.file} › ${c.name}`, testFile: tf, subject: tf.functionFile, index, run: () => runFunctionTestCase(fn, tf, index, context) });
    });
  }
  return { cases, problems };
}


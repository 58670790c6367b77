/**
 * CLI verbs of the evaluator stage:
 *   sentinel query '<kql>' [--data fixtures.yaml] [--case N] [--now <datetime>] [--format text|json]
 *   sentinel test [paths…]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type VerbHandler } from './context.ts';
import { verbCommand } from './main.ts';
import { loadRepo, toRepoPath } from '../content/load.ts';
import { parseYamlFile } from '../content/yaml.ts';
import { renderAnnotations } from '../render/github.ts';
import type { TestCaseResult } from '../render/summary.ts';
import { EvaluationError, evaluateQuery } from '../evaluate/evaluate.ts';
import type { EvalContext, WatchlistData } from '../evaluate/evaluate.ts';
import { formatJson, formatTable } from '../evaluate/table-text.ts';
import { buildSuite } from '../evaluate/suite.ts';

function parseNow(text: string, what: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${what}: ${JSON.stringify(text)} is not an ISO 8601 date-time (e.g. 2026-03-10T10:00:00Z)`);
  return d;
}

type DataFile = { tables: EvalContext['tables']; watchlists?: Record<string, Record<string, string>[]>; now?: string };

/** Reads a --data file: plain "Table: rows", a {tables, watchlists, now} document, or a .tests.yaml case. */
async function readData(path: string, root: string, caseIndex: string | undefined): Promise<DataFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(root, path));
  } catch {
    throw new UsageError(`--data: cannot read ${path}`);
  }
  // The same safe loader as content files: encoding, alias bombs and prototype keys are errors at line:col.
  const { value: doc, diagnostics } = parseYamlFile(path, bytes);
  const bad = diagnostics.find((d) => d.severity === 'error');
  if (bad) throw new UsageError(`--data: ${path}:${bad.line}:${bad.col}: ${bad.message}`);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`--data: ${path} must be a mapping of table name to rows`);
  const d = doc as Record<string, unknown>;
  if (Array.isArray(d.cases)) {
    const i = caseIndex === undefined ? 0 : Number(caseIndex);
    const c = d.cases[i] as DataFile | undefined;
    if (!Number.isInteger(i) || !c) throw new UsageError(`--case: ${path} has cases 0..${d.cases.length - 1}`);
    return c;
  }
  if (d.tables && typeof d.tables === 'object') return d as DataFile;
  for (const [name, rows] of Object.entries(d)) {
    if (!Array.isArray(rows)) throw new UsageError(`--data: ${path}: ${name} must be a list of rows`);
  }
  return { tables: d as EvalContext['tables'] };
}

/** Watchlists for ad-hoc queries: the repo's defaults (when the query uses them) plus the data file's. */
async function repoWatchlists(query: string, root: string): Promise<Record<string, WatchlistData>> {
  if (!query.includes('_GetWatchlist')) return {};
  const repo = await loadRepo(root);
  return Object.fromEntries(repo.watchlists.map((w) => [w.watchlist.alias, { columns: w.watchlist.columns.map((c) => c.name), searchKey: w.watchlist.itemsSearchKey, items: w.watchlist.items }]));
}

interface QueryOptions {
  data?: string;
  case?: string;
  now?: string;
  format: 'text' | 'json';
}

export const runQuery: VerbHandler<QueryOptions> = async ({ opts, operands }, ctx) => {
  const kql = operands[0]!;
  const format = opts.format;
  const dataPath = opts.data;
  const data: DataFile = dataPath ? await readData(dataPath, ctx.root, opts.case) : { tables: {} };
  const nowText = opts.now;
  const now = nowText ? parseNow(nowText, '--now') : data.now ? parseNow(String(data.now), `${dataPath}: now`) : new Date();
  const watchlists: Record<string, WatchlistData> = await repoWatchlists(kql, ctx.root);
  for (const [alias, items] of Object.entries(data.watchlists ?? {})) watchlists[alias] = { ...(watchlists[alias] ?? {}), items: items.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, String(v)]))) };
  try {
    const result = evaluateQuery(kql, { now, tables: data.tables ?? {}, watchlists, onlyReferenced: true });
    ctx.out(format === 'json' ? formatJson(result) : formatTable(result));
    return 0;
  } catch (e) {
    if (e instanceof EvaluationError) {
      ctx.err(`query:${e.line}:${e.col}: ${e.message}`);
      return 1;
    }
    throw e;
  }
};

/** One error annotation line (through @actions/core), without its line end. */
async function annotation(file: string, line: number, col: number, message: string): Promise<string> {
  const text = await renderAnnotations([{ command: 'error', message, properties: { file, startLine: line, startColumn: col } }]);
  return text.replace(/\r?\n$/, '');
}

const indent = (text: string): string => text.split('\n').map((l) => '    ' + l).join('\n');

interface TestOptions {
  format: 'text' | 'json';
  output?: string;
}

export const runTest: VerbHandler<TestOptions> = async ({ opts, operands }, ctx) => {
  const { format, output } = opts;
  if (output && format !== 'json') throw new UsageError('--output needs --format json', true);
  // With --format json and no --output, stdout is the JSON report and nothing else.
  const say = format === 'json' && !output ? () => {} : ctx.out;
  const repo = await loadRepo(ctx.root);
  const paths = operands.map((p) => toRepoPath(ctx.root, p));
  const suite = buildSuite(repo, paths);
  const github = ctx.env.GITHUB_ACTIONS === 'true';
  const results: TestCaseResult[] = [];
  for (const p of suite.problems) {
    results.push({ file: p.file, name: 'test file', passed: false, message: p.message, line: p.line, col: p.col });
    say(`FAIL ${p.file}:${p.line}:${p.col} ${p.message}`);
    if (github) say(await annotation(p.file, p.line, p.col, p.message));
  }
  if (!suite.cases.length && !suite.problems.length) {
    ctx.err(paths.length ? `no rule tests match ${paths.join(', ')}` : 'no rule tests found (analytics-rules/<area>/<slug>.tests.yaml, functions/<alias>.tests.yaml)');
    return paths.length ? 2 : 0;
  }
  for (const c of suite.cases) {
    const r = c.run();
    const pos = c.testFile.source.pos(['cases', c.index]);
    const name = c.testFile.cases[c.index]!.name;
    if (r.passed) {
      results.push({ file: c.testFile.source.file, rule: c.subject, name, passed: true, line: pos.line, col: pos.col });
      say(`PASS ${c.title}`);
      continue;
    }
    const where = r.location ?? { file: c.testFile.source.file, ...pos };
    results.push({ file: where.file, rule: c.subject, name, passed: false, message: r.message, line: where.line, col: where.col });
    say(`FAIL ${c.title}\n    ${where.file}:${where.line}:${where.col}: ${r.message}${r.diff ? '\n' + indent(r.diff) : ''}`);
    if (github) {
      // The annotation sits on the failing case in the test file; evaluation errors also on the rule.
      say(await annotation(c.testFile.source.file, pos.line, pos.col, `${name}: ${r.message}${r.diff ? '\n' + r.diff : ''}`));
      if (where.file !== c.testFile.source.file) say(await annotation(where.file, where.line, where.col, r.message ?? 'rule test failed'));
    }
  }
  const failed = results.filter((r) => !r.passed).length;
  const total = results.length;
  say(`\n${total - failed} passed, ${failed} failed (${total} rule test case${total === 1 ? '' : 's'})`);
  if (format === 'json') {
    const report = JSON.stringify({ results, summary: { passed: total - failed, failed } }, null, 2);
    if (output) await writeFile(resolve(output), report + '\n');
    else ctx.out(report);
  }
  return failed ? 1 : 0;
};

/** The verbs called with raw arguments (demo, tests). */
export const query = verbCommand('query');
export const test = verbCommand('test');

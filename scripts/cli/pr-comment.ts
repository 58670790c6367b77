/**
 * CLI verbs that put the review on GitHub:
 *   sentinel summary    [inputs]               Markdown report → GITHUB_STEP_SUMMARY (or stdout)
 *   sentinel pr-comment [inputs] [--dry-run]   the same report as the one PR comment, upserted
 * Inputs: --findings <validate.sarif|validate.json> --tests <test.json> --plan <plan.md>… --plan-skipped <why>
 *         --title <text>; pr-comment also --pr <n> (default: from the event at GITHUB_EVENT_PATH).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { UsageError, type CliContext, type VerbHandler } from './context.ts';
import { verbCommand } from './main.ts';
import type { Diagnostic } from '../model/types.ts';
import { appendStepSummary, writeOutputs } from '../render/github.ts';
import { fromSarif } from '../render/sarif.ts';
import type { SarifInput } from '../render/sarif.ts';
import { countFindings, renderSummary } from '../render/summary.ts';
import type { LinkBase, SummaryInput, TestCaseResult } from '../render/summary.ts';
import {
  createGitHubClient,
  describeUpsert,
  parseRepository,
  prNumberFromEvent,
  upsertPrComment,
} from '../render/pr-comment.ts';

/** GitHub refuses comment bodies over 65,536 characters; leave room for the marker. */
const COMMENT_LIMIT = 65_000;

const ajv = new Ajv({ allErrors: false });

const diagnosticSchema = {
  type: 'object',
  required: ['file', 'line', 'col', 'severity', 'code', 'message'],
  properties: {
    file: { type: 'string' },
    line: { type: 'integer' },
    col: { type: 'integer' },
    endLine: { type: 'integer' },
    endCol: { type: 'integer' },
    severity: { enum: ['error', 'warning', 'info'] },
    code: { type: 'string' },
    message: { type: 'string' },
  },
};

const testResultSchema = {
  type: 'object',
  required: ['file', 'name', 'passed'],
  properties: {
    file: { type: 'string' },
    rule: { type: 'string' },
    name: { type: 'string' },
    passed: { type: 'boolean' },
    message: { type: 'string' },
    line: { type: 'integer' },
    col: { type: 'integer' },
  },
};

/** A list, bare or under one of the given keys of an object. */
function listSchema(item: object, keys: string[]) {
  const array = { type: 'array', items: item };
  return { anyOf: [array, ...keys.map((key) => ({ type: 'object', required: [key], properties: { [key]: array } }))] };
}

/** The part of a SARIF log `fromSarif` reads. */
const sarifSchema = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'locations'],
              properties: {
                ruleId: { type: 'string' },
                level: { enum: ['error', 'warning', 'note', 'none'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string' } } },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: {
                              startLine: { type: 'integer' },
                              startColumn: { type: 'integer' },
                              endLine: { type: 'integer' },
                              endColumn: { type: 'integer' },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const validateSarif = ajv.compile<SarifInput>(sarifSchema);
/** Keys under which a report object may hold its list. */
const FINDINGS_KEYS = ['diagnostics', 'findings'];
const TESTS_KEYS = ['results', 'cases', 'tests'];

const validateFindings = ajv.compile<Diagnostic[] | Record<string, Diagnostic[]>>(listSchema(diagnosticSchema, FINDINGS_KEYS));
const validateTests = ajv.compile<TestCaseResult[] | Record<string, TestCaseResult[]>>(listSchema(testResultSchema, TESTS_KEYS));

/** Unwraps the list from either accepted shape. */
function listOf<T>(data: T[] | Record<string, T[]>, keys: string[]): T[] {
  if (Array.isArray(data)) return data;
  for (const key of keys) if (Array.isArray(data[key])) return data[key]!;
  return [];
}

/** Reads a JSON report; a syntax error is reported at file:line:col. */
function readJson(fullPath: string, shownPath: string, verb: string): unknown {
  const text = readFileSync(fullPath, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    let where = shownPath;
    if (at) {
      const before = text.slice(0, Number(at[1]));
      where += `:${before.split('\n').length}:${Number(at[1]) - before.lastIndexOf('\n')}`;
    }
    throw new UsageError(`${where}: not valid JSON (${message}); pass the output of \`${verb} --format json\``);
  }
}

/**
 * Parses `validate --format sarif` output (SARIF 2.1.0) or `--format json` output
 * (Diagnostic[] or { diagnostics | findings: Diagnostic[] }).
 */
export function parseFindings(data: unknown, path: string): Diagnostic[] {
  if (typeof data === 'object' && data !== null && 'runs' in data) {
    if (validateSarif(data)) return fromSarif(data);
    throw new UsageError(`${path}: not a SARIF 2.1.0 log (${ajv.errorsText(validateSarif.errors, { dataVar: 'sarif' })})`);
  }
  if (!validateFindings(data)) {
    throw new UsageError(
      `${path}: not a validate report (${ajv.errorsText(validateFindings.errors, { dataVar: 'report' })}); pass the output of \`sentinel validate --format json\``,
    );
  }
  return listOf(data, FINDINGS_KEYS);
}

/** Parses `test --format json` output: TestCaseResult[] or { results | cases | tests: TestCaseResult[] }. */
export function parseTestResults(data: unknown, path: string): TestCaseResult[] {
  if (!validateTests(data)) {
    throw new UsageError(
      `${path}: not a test report (${ajv.errorsText(validateTests.errors, { dataVar: 'report' })}); pass the output of \`sentinel test --format json\``,
    );
  }
  return listOf(data, TESTS_KEYS);
}

interface ReportFlags {
  findings?: string;
  tests?: string;
  plan?: string[];
  planSkipped?: string;
  title?: string;
  pr?: string;
  dryRun?: boolean;
}

/** Optional report file: a missing file means that stage did not run (noted on stderr, not fatal). */
function optionalFile(ctx: CliContext, path: string | undefined, what: string): string | undefined {
  if (path === undefined) return undefined;
  const full = resolve(ctx.root, path);
  if (existsSync(full)) return full;
  ctx.err(`note: ${path} not found; the report shows ${what} as not run\n`);
  return undefined;
}

function readEvent(env: NodeJS.ProcessEnv): unknown {
  const path = env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`GITHUB_EVENT_PATH ${path} is not valid JSON`);
  }
}

/** Links to the PR head commit (or GITHUB_SHA) when running on Actions. */
function linkBase(env: NodeJS.ProcessEnv, event: unknown): LinkBase | undefined {
  const head = (event as { pull_request?: { head?: { sha?: unknown } } } | undefined)?.pull_request?.head?.sha;
  const ref = typeof head === 'string' ? head : env.GITHUB_SHA;
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !ref) return undefined;
  return { serverUrl: env.GITHUB_SERVER_URL, repository: env.GITHUB_REPOSITORY, ref };
}

/** Reads the inputs named by the flags into the summary model. */
export function readReportInput(flags: ReportFlags, ctx: CliContext, event: unknown): SummaryInput {
  const input: SummaryInput = {};
  if (flags.title) input.title = flags.title;
  const findingsPath = optionalFile(ctx, flags.findings, 'validation');
  if (findingsPath) input.findings = parseFindings(readJson(findingsPath, flags.findings!, 'sentinel validate'), flags.findings!);
  const testsPath = optionalFile(ctx, flags.tests, 'rule tests');
  if (testsPath) input.tests = parseTestResults(readJson(testsPath, flags.tests!, 'sentinel test'), flags.tests!);
  // An empty plan file is a plan that failed before printing anything (`plan … > plan.md`), not "no changes".
  const plans = (flags.plan ?? [])
    .map((p) => optionalFile(ctx, p, 'that plan'))
    .filter((p): p is string => !!p)
    .map((p) => readFileSync(p, 'utf8').trim())
    .filter(Boolean);
  if (plans.length) input.plan = plans.join('\n\n');
  if (flags.planSkipped) input.planSkipped = flags.planSkipped;
  const link = linkBase(ctx.env, event);
  if (link) input.link = link;
  return input;
}

function summaryOutputs(input: SummaryInput): Record<string, number> {
  const counts = countFindings(input.findings ?? []);
  return {
    errors: counts.error,
    warnings: counts.warning,
    'failed-tests': (input.tests ?? []).filter((t) => !t.passed).length,
  };
}

/** `sentinel summary`: appends the report to the job summary (stdout outside Actions). */
export const runSummary: VerbHandler<ReportFlags> = async ({ opts: flags }, ctx) => {
  const input = readReportInput(flags, ctx, readEvent(ctx.env));
  const markdown = renderSummary(input);
  if (await appendStepSummary(ctx.env, markdown, ctx.err)) ctx.out('job summary written\n');
  else ctx.out(markdown);
  await writeOutputs(ctx.env, summaryOutputs(input));
  return 0;
};

/** `sentinel pr-comment`: creates or updates the one marked comment on the pull request. */
export const runPrComment: VerbHandler<ReportFlags> = async ({ opts: flags }, ctx) => {
  const event = readEvent(ctx.env);
  const input = readReportInput(flags, ctx, event);
  const markdown = renderSummary({ ...input, maxChars: COMMENT_LIMIT });
  const pr = flags.pr !== undefined ? Number(flags.pr) : prNumberFromEvent(event);
  if (pr === undefined || !Number.isInteger(pr) || pr <= 0) {
    throw new UsageError(
      flags.pr !== undefined
        ? `--pr must be a pull request number (got "${flags.pr}")`
        : 'no pull request number: run on a pull_request event (GITHUB_EVENT_PATH) or pass --pr <n>',
    );
  }
  const apiUrl = ctx.env.GITHUB_API_URL || 'https://api.github.com';
  const repo = parseRepository(ctx.env.GITHUB_REPOSITORY);
  if (flags.dryRun) {
    ctx.out(describeUpsert(apiUrl, repo, pr, markdown));
    return 0;
  }
  const token = ctx.env.GITHUB_TOKEN;
  if (!token) throw new UsageError('GITHUB_TOKEN is not set: add `env: GITHUB_TOKEN: ${{ github.token }}` to the step, or use --dry-run');
  const result = await upsertPrComment(createGitHubClient({ apiUrl, token }), { repo, pr, markdown });
  ctx.out(`${result.action} comment ${result.id} on #${pr}${result.url ? ` ${result.url}` : ''}\n`);
  return 0;
};

/** The verbs called with raw arguments (tests). */
export const summary = verbCommand('summary');
export const prComment = verbCommand('pr-comment');

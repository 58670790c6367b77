/**
 * Runs a rule's test cases on the local evaluator: parameters substituted, fixture rows typed by
 * the catalogue, watchlists served (repo defaults or the case's override), the result judged
 * against the rule's trigger and the case's expectation. Pure: no I/O, plain results.
 */
import type { KqlDeclarations } from '../kusto/types.ts';
import { closest } from '../model/suggest.ts';
import { ParameterError, substituteLets, toKqlLiteral } from '../kusto/parameters.ts';
import type { AnalyticRule, FunctionFile, FunctionTestFile, NodePath, Pos, RuleFile, RuleTestCase, TestFile, Watchlist } from '../model/types.ts';
import { EvaluationError } from './errors.ts';
import type { EvalTable, WatchlistData } from './evaluate.ts';
import { evaluateQuery, knownTables } from './evaluate.ts';
import type { SavedFunction } from './globals.ts';
import { formatRows } from './table-text.ts';

export interface RuleTestContext {
  /** The repo's watchlists (default items). */
  watchlists: Watchlist[];
  /** Saved functions deployed as content that rules may call. */
  functions?: SavedFunction[];
  /** Declared tables and tabular functions (`schemas/`): fixtures of those tables are typed by them. */
  declared?: KqlDeclarations;
}

export interface CaseResult {
  /** Index of the case in the test file. */
  index: number;
  name: string;
  passed: boolean;
  /** One-line reason when the case failed. */
  message?: string;
  /** Readable expected-vs-actual detail (multi-line) when the case failed. */
  diff?: string;
  /** Where the failure points: the rule's query (evaluation errors) or the test case. */
  location?: { file: string } & Pos;
  /** The query result, when the query ran. */
  actual?: EvalTable;
}

const triggerOps = {
  gt: (n: number, t: number) => n > t,
  lt: (n: number, t: number) => n < t,
  eq: (n: number, t: number) => n === t,
  ne: (n: number, t: number) => n !== t,
} as const;

/** Whether `rowCount` result rows make the rule fire (triggerOperator/triggerThreshold, default gt 0). */
export function triggers(rule: Pick<AnalyticRule, 'triggerOperator' | 'triggerThreshold'>, rowCount: number): boolean {
  return triggerOps[rule.triggerOperator ?? 'gt'](rowCount, rule.triggerThreshold ?? 0);
}

/** The rule query with the case's parameter values substituted (declared types from the rule). */
export function queryForCase(rule: AnalyticRule, testCase: RuleTestCase): string {
  const overrides = testCase.parameters ?? {};
  const literals: Record<string, string> = {};
  for (const [name, value] of Object.entries(overrides)) {
    const decl = rule.parameters?.[name];
    if (!decl) {
      const declared = Object.keys(rule.parameters ?? {});
      throw new ParameterError(`parameter '${name}' is not declared by the rule (declared: ${declared.length ? declared.join(', ') : 'none'})`);
    }
    literals[name] = toKqlLiteral(value, decl.type);
  }
  return substituteLets(rule.query, literals);
}

/** Watchlists for a case: the repo's, with the case's items replacing those of the aliases it lists. */
export function watchlistsForCase(watchlists: Watchlist[], testCase: RuleTestCase): Record<string, WatchlistData> {
  const out: Record<string, WatchlistData> = {};
  for (const w of watchlists) out[w.alias] = { columns: w.columns.map((c) => c.name), searchKey: w.itemsSearchKey, items: w.items };
  for (const [alias, items] of Object.entries(testCase.watchlists ?? {})) {
    const stringified = items.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, String(v)])));
    out[alias] = { ...(out[alias] ?? {}), items: stringified };
  }
  return out;
}

/** Fixture problems (unknown tables/columns) as [path, message] pairs. */
const hint = (s: string | undefined): string => (s ? `; did you mean ${s}?` : '');

export function checkFixtureTables(testCase: RuleTestCase, declared?: KqlDeclarations): { path: NodePath; message: string }[] {
  const catalogue = knownTables(declared);
  const problems: { path: NodePath; message: string }[] = [];
  for (const [table, rows] of Object.entries(testCase.tables ?? {})) {
    const def = catalogue.get(table);
    if (!def) {
      problems.push({ path: ['tables', table], message: `table ${table} is not in the table catalogue or schemas/tables/${hint(closest(table, [...catalogue.keys()]))}` });
      continue;
    }
    const known = new Set(def.columns.map((c) => c.name));
    rows.forEach((row, i) => {
      for (const col of Object.keys(row)) {
        if (!known.has(col)) problems.push({ path: ['tables', table, i, col], message: `${table} has no column ${col}${hint(closest(col, def.columns.map((c) => c.name)))}` });
      }
    });
  }
  return problems;
}

function isoLike(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T|\s|$)/.test(s);
}

/** Whether an expected YAML value matches an actual result value (JSON form). */
export function valueMatches(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === '';
  if (typeof expected === 'object') return JSON.stringify(canonical(expected)) === JSON.stringify(canonical(actual));
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (typeof expected === 'string' && typeof actual === 'string' && isoLike(expected) && isoLike(actual)) {
    const a = Date.parse(expected);
    const b = Date.parse(actual);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return a === b;
  }
  return String(expected) === (typeof actual === 'object' && actual !== null ? JSON.stringify(actual) : String(actual));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

function rowMatches(expected: Record<string, unknown>, actual: unknown[], index: Map<string, number>): boolean {
  return Object.entries(expected).every(([col, v]) => index.has(col) && valueMatches(v, actual[index.get(col)!]));
}

/** Judges a result against the case's expectation; returns the failure message/diff or undefined. */
export function judge(rule: Pick<AnalyticRule, 'triggerOperator' | 'triggerThreshold'>, testCase: RuleTestCase, result: EvalTable): { message: string; diff: string } | undefined {
  const fired = triggers(rule, result.rows.length);
  const op = rule.triggerOperator ?? 'gt';
  const threshold = rule.triggerThreshold ?? 0;
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const expected = testCase.expect;
  const shownCols = expected.rows?.length ? [...new Set(expected.rows.flatMap((r) => Object.keys(r)))] : result.columns.map((c) => c.name);
  const actualText = (): string => (result.rows.length ? formatRows(result, shownCols) : '  (no rows)');
  if (fired !== expected.alert) {
    return {
      message: expected.alert
        ? `expected an alert, but the rule stays silent: ${result.rows.length} result row(s), trigger is ${op} ${threshold}`
        : `expected no alert, but the rule fires: ${result.rows.length} result row(s), trigger is ${op} ${threshold}`,
      diff: `actual rows:\n${actualText()}`,
    };
  }
  if (expected.count !== undefined && expected.count !== result.rows.length) {
    return { message: `expected ${expected.count} result row(s), got ${result.rows.length}`, diff: `actual rows:\n${actualText()}` };
  }
  const missingCols = shownCols.filter((c) => !index.has(c));
  if (expected.rows?.length && missingCols.length) {
    return {
      message: `expected column(s) ${missingCols.join(', ')} not in the query output`,
      diff: `output columns: ${result.columns.map((c) => c.name).join(', ')}`,
    };
  }
  const unmatched = (expected.rows ?? []).filter((e) => !result.rows.some((r) => rowMatches(e, r, index)));
  if (unmatched.length) {
    const exp = unmatched.map((r) => '  ' + shownCols.filter((c) => c in r).map((c) => `${c}=${JSON.stringify(r[c])}`).join('  ')).join('\n');
    return {
      message: `${unmatched.length} expected row(s) not found in the result`,
      diff: `expected (no matching result row):\n${exp}\nactual rows:\n${actualText()}`,
    };
  }
  return undefined;
}

/** What a test case runs and how its evaluation errors are placed; the rest is the same for rules and functions. */
interface CaseSubject {
  /** The query to run (throws ParameterError for bad `parameters:`). */
  query(testCase: RuleTestCase): string;
  /** Where an evaluation error of `query` points, and how its message reads. */
  evaluationError(query: string, e: EvaluationError): { message: string; location: { file: string } & Pos };
  /** Rule fields the judgement reads (trigger, …); `{}` for a function. */
  rule: Parameters<typeof judge>[0];
}

function runCase(subject: CaseSubject, testFile: TestFile | FunctionTestFile, index: number, ctx: RuleTestContext): CaseResult {
  const testCase = testFile.cases[index]!;
  const base = { index, name: testCase.name };
  const at = (path: NodePath): { file: string } & Pos => ({ file: testFile.source.file, ...testFile.source.pos(['cases', index, ...path]) });
  const fixtureProblems = checkFixtureTables(testCase, ctx.declared);
  if (fixtureProblems.length) {
    const p = fixtureProblems[0]!;
    return { ...base, passed: false, message: p.message, location: at(p.path) };
  }
  let query: string;
  try {
    query = subject.query(testCase);
  } catch (e) {
    if (e instanceof ParameterError) return { ...base, passed: false, message: e.message, location: at(['parameters']) };
    throw e;
  }
  const now = new Date(testCase.now);
  if (Number.isNaN(now.getTime())) return { ...base, passed: false, message: `now: ${testCase.now} is not an ISO 8601 date-time`, location: at(['now']) };
  let result: EvalTable;
  try {
    result = evaluateQuery(query, {
      now,
      tables: testCase.tables ?? {},
      watchlists: watchlistsForCase(ctx.watchlists, testCase),
      ...(ctx.functions ? { functions: ctx.functions } : {}),
      ...(ctx.declared ? { declared: ctx.declared } : {}),
    });
  } catch (e) {
    if (!(e instanceof EvaluationError)) throw e;
    return { ...base, passed: false, ...subject.evaluationError(query, e) };
  }
  const failure = judge(subject.rule, testCase, result);
  if (!failure) return { ...base, passed: true, actual: result };
  return { ...base, passed: false, message: failure.message, diff: failure.diff, location: at(['expect']), actual: result };
}

/** Runs one case. Never throws for bad content: failures come back as a failed result. */
export function runRuleTestCase(ruleFile: RuleFile, testFile: TestFile, index: number, ctx: RuleTestContext): CaseResult {
  const rule = ruleFile.rule;
  return runCase({
    rule,
    query: (testCase) => queryForCase(rule, testCase),
    // Offsets map back into the rule file only when the query text was not changed by parameters.
    evaluationError: (query, e) => ({
      message: `rule query: ${e.message}`,
      location: query === rule.query
        ? { file: ruleFile.source.file, ...ruleFile.source.offsetPos(['query'], e.offset) }
        : { file: testFile.source.file, ...testFile.source.pos(['cases', index]) },
    }),
  }, testFile, index, ctx);
}

/**
 * The query a function-test case runs: the function called with every parameter, positionally —
 * the case's value (`parameters:`) or else the declared default. Throws ParameterError.
 */
export function functionCallForCase(fn: FunctionFile['fn'], testCase: RuleTestCase): string {
  const given = testCase.parameters ?? {};
  const declared = fn.parameters ?? [];
  for (const name of Object.keys(given)) {
    if (!declared.some((p) => p.name === name)) {
      throw new ParameterError(`parameter '${name}' is not declared by the function (declared: ${declared.length ? declared.map((p) => p.name).join(', ') : 'none'})`);
    }
  }
  const args = declared.map((p) => {
    const value = p.name in given ? given[p.name] : p.default;
    if (value === undefined) throw new ParameterError(`parameter '${p.name}' has no default; give it a value under parameters`);
    return toKqlLiteral(value, p.type);
  });
  return `${fn.alias}(${args.join(', ')})`;
}

/**
 * Runs one case of `functions/<alias>.tests.yaml`: the function is called (see functionCallForCase)
 * with the repo's functions in scope; `expect.alert: true` means at least one row. Never throws for bad content.
 */
export function runFunctionTestCase(fnFile: FunctionFile, testFile: FunctionTestFile, index: number, ctx: RuleTestContext): CaseResult {
  return runCase({
    rule: {},
    query: (testCase) => functionCallForCase(fnFile.fn, testCase),
    evaluationError: (query, e) => ({ message: `${query}: ${e.message}`, location: { file: fnFile.source.file, ...fnFile.source.pos(['body']) } }),
  }, testFile, index, { ...ctx, functions: ctx.functions ?? [] });
}

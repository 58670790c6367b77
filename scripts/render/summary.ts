/**
 * The Markdown report a reviewer reads on GitHub: the job summary and the PR comment body.
 * Three sections — validation findings, rule-test results, plan per target (the Markdown that
 * `sentinel plan --format markdown` produced, embedded as is). Pure: data in, Markdown out.
 */
import type { Diagnostic, Severity } from '../model/types.ts';

/** One rule-test case outcome (the shape `sentinel test --format json` is read as). */
export interface TestCaseResult {
  /** Rule (or tests) file, repo-relative. */
  file: string;
  /** Rule name or slug, for display. */
  rule?: string;
  /** Case name. */
  name: string;
  passed: boolean;
  /** Why it failed (or was not run). */
  message?: string;
  line?: number;
  col?: number;
}

/** Where file links in the report point: `${serverUrl}/${repository}/blob/${ref}/${file}#L${line}`. */
export interface LinkBase {
  serverUrl: string;
  repository: string;
  ref: string;
}

export interface SummaryInput {
  title?: string;
  /** Validation findings; undefined when validation did not run. */
  findings?: readonly Diagnostic[];
  /** Rule-test results; undefined when the tests did not run. */
  tests?: readonly TestCaseResult[];
  /** Plan Markdown per the plan verb; undefined when no plan was made. */
  plan?: string;
  /** Shown instead of the plan when it was skipped (e.g. "pull request from a fork: no Azure credentials"). */
  planSkipped?: string;
  link?: LinkBase;
  /** Findings listed before the rest is counted only (default 100). */
  maxFindings?: number;
  /** Hard cap on the Markdown's length (a PR comment holds at most 65,536 characters). */
  maxChars?: number;
}

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Escapes text for a Markdown table cell: no HTML, no column breaks, no line breaks. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/**
 * Inline code for a table cell: code spans are literal (no HTML to escape), but a `|` still ends
 * the cell unless escaped, and the fence must be longer than any backtick run inside.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function location(file: string, line: number | undefined, col: number | undefined, link?: LinkBase): string {
  const label = line === undefined ? file : `${file}:${line}${col === undefined ? '' : `:${col}`}`;
  if (!link) return inlineCode(label);
  const path = file.split('/').map(encodeURIComponent).join('/');
  const url = `${link.serverUrl}/${link.repository}/blob/${encodeURIComponent(link.ref)}/${path}${line === undefined ? '' : `#L${line}`}`;
  return `[${escapeCell(label).replace(/[[\]]/g, '\\$&')}](${url})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Counts per severity. */
export function countFindings(findings: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of findings) counts[d.severity]++;
  return counts;
}

function findingsHeadline(findings: readonly Diagnostic[] | undefined): string {
  if (findings === undefined) return '⏭️ validation not run';
  const c = countFindings(findings);
  if (findings.length === 0) return '✅ validation clean';
  const files = new Set(findings.map((d) => d.file)).size;
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning')];
  if (c.info) parts.push(plural(c.info, 'note'));
  return `${c.error ? '❌' : '⚠️'} ${parts.join(', ')} in ${plural(files, 'file')}`;
}

function testsHeadline(tests: readonly TestCaseResult[] | undefined): string {
  if (tests === undefined) return '⏭️ rule tests not run';
  const failed = tests.filter((t) => !t.passed).length;
  if (tests.length === 0) return '⚠️ no rule tests found';
  return failed ? `❌ ${failed} of ${plural(tests.length, 'rule test')} failed` : `✅ ${plural(tests.length, 'rule test')} passed`;
}

function planHeadline(input: SummaryInput): string {
  if (input.plan !== undefined) return '📋 plan below';
  return input.planSkipped ? '⏭️ plan skipped' : '⏭️ plan not run';
}

function findingsSection(findings: readonly Diagnostic[], max: number, link?: LinkBase): string {
  if (findings.length === 0) return '### Findings\n\nNo findings.\n';
  const sorted = [...findings].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
  const rows = sorted
    .slice(0, max)
    .map((d) => `| ${ICON[d.severity]} | ${location(d.file, d.line, d.col, link)} | ${inlineCode(d.code)} | ${escapeCell(d.message)} |`);
  const more = sorted.length > max ? `\n…and ${sorted.length - max} more (see the annotations and the SARIF report).\n` : '';
  return `### Findings\n\n|  | Location | Code | Message |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n${more}`;
}

function testsSection(tests: readonly TestCaseResult[], max: number, link?: LinkBase): string {
  const failed = tests.filter((t) => !t.passed);
  const header = `### Rule tests\n\n${tests.length - failed.length} passed, ${failed.length} failed.\n`;
  if (failed.length === 0) return header;
  const rows = failed
    .slice(0, max)
    .map(
      (t) =>
        `| ❌ | ${location(t.file, t.line, t.col, link)} | ${escapeCell(t.rule ?? '')} | ${escapeCell(t.name)} | ${escapeCell(t.message ?? '')} |`,
    );
  const more = failed.length > max ? `\n…and ${failed.length - max} more failures.\n` : '';
  return `${header}\n|  | File | Rule | Case | Why |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n${more}`;
}

function planSection(input: SummaryInput): string {
  if (input.plan !== undefined) {
    const body = input.plan.trim() || 'No changes.';
    return `### Plan per target\n\n${body}\n`;
  }
  return `### Plan per target\n\n${escapeCell(input.planSkipped ?? 'Not run.')}\n`;
}

/** Cuts `text` at a line boundary so it fits `budget` characters, with a note saying so. */
function clip(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const note = '\n\n…truncated to fit; the full report is in the job summary and artifacts.\n';
  const room = Math.max(0, budget - note.length);
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > 0 ? cut : room)}${note}`;
}

/** The complete report. Empty sections say so rather than disappearing. */
export function renderSummary(input: SummaryInput): string {
  const max = input.maxFindings ?? 100;
  const head =
    `## ${escapeCell(input.title ?? 'Sentinel content review')}\n\n` +
    `${findingsHeadline(input.findings)} · ${testsHeadline(input.tests)} · ${planHeadline(input)}\n`;
  const sections = [
    input.findings === undefined ? '' : findingsSection(input.findings, max, input.link),
    input.tests === undefined ? '' : testsSection(input.tests, max, input.link),
    planSection(input),
  ].filter(Boolean);
  const full = [head, ...sections].join('\n');
  if (input.maxChars === undefined || full.length <= input.maxChars) return full;
  // Over the cap: keep the headline and findings, shrink the plan first, then whatever remains.
  const fixed = [head, ...sections.slice(0, -1)].join('\n');
  const planRoom = input.maxChars - fixed.length - 1;
  if (planRoom > 200) return `${fixed}\n${clip(sections.at(-1)!, planRoom)}`;
  return clip(full, input.maxChars);
}

/** True when the findings or tests should fail the check (errors or failed tests). */
export function hasFailures(input: Pick<SummaryInput, 'findings' | 'tests'>): boolean {
  return (input.findings ?? []).some((d) => d.severity === 'error') || (input.tests ?? []).some((t) => !t.passed);
}

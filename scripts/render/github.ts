/**
 * GitHub Actions integration: workflow-command annotations (`::error file=…::msg`), the Markdown
 * job summary file (GITHUB_STEP_SUMMARY) and step outputs (GITHUB_OUTPUT).
 *
 * The formatting functions are pure; the three `append…`/`write…` helpers are the only I/O.
 * Escaping follows the runner's own rules (actions/toolkit `command.ts` and `file-command.ts`).
 */
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Diagnostic, Severity } from '../model/types.ts';

/** True when running inside a GitHub Actions job. */
export function isGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** Escapes a workflow-command message (the part after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow-command property value (`file=…`, `title=…`): also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND_FOR: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

/** Renders one workflow command, e.g. `::error file=a.yaml,line=3,col=5::msg`. */
export function workflowCommand(
  command: string,
  properties: ReadonlyArray<readonly [string, string | number | undefined]>,
  message: string,
): string {
  const props = properties
    .filter((entry): entry is readonly [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** One annotation line for a diagnostic; the title carries the diagnostic code. */
export function annotation(d: Diagnostic): string {
  return workflowCommand(
    COMMAND_FOR[d.severity],
    [
      ['file', d.file],
      ['line', d.line],
      ['col', d.col],
      ['endLine', d.endLine],
      ['endColumn', d.endCol],
      ['title', d.code],
    ],
    d.message,
  );
}

/** Annotation lines for all diagnostics, newline-terminated (empty string when there are none). */
export function annotations(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${annotation(d)}\n`).join('');
}

/**
 * One `name=value` record for GITHUB_OUTPUT; multi-line values use the heredoc form with a random
 * delimiter that provably occurs in neither the name nor the value.
 */
export function outputRecord(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    throw new Error(`invalid step output name "${name}": use letters, digits, '_' and '-'`);
  }
  if (!value.includes('\n') && !value.includes('\r')) return `${name}=${value}\n`;
  if (value.includes(delimiter)) throw new Error(`step output "${name}" contains its own delimiter`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Appends Markdown to the job summary. Returns false (and writes nothing) outside Actions. */
export function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  return true;
}

/** Writes step outputs. Returns false (and writes nothing) outside Actions. */
export function writeOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number | boolean>): boolean {
  const file = env.GITHUB_OUTPUT;
  if (!file) return false;
  const text = Object.entries(outputs)
    .map(([name, value]) => outputRecord(name, String(value)))
    .join('');
  appendFileSync(file, text, 'utf8');
  return true;
}

/**
 * GitHub Actions integration: workflow-command annotations (`::error file=…::msg`), the Markdown
 * job summary file (GITHUB_STEP_SUMMARY) and step outputs (GITHUB_OUTPUT).
 *
 * Step outputs go through `@actions/core` (`setOutput`: the file command with its random heredoc
 * delimiter). `@actions/core` reads `process.env` and writes `process.stdout`, while the CLI passes
 * its environment and output through a context (so tests run it in-process with their own env):
 * the seam is `withActionsEnv`, which lends the context's GitHub file variables to `process.env`
 * for the synchronous call and restores them.
 *
 * Kept here on purpose: the annotation formatter (`@actions/core` v3's only entry point prints
 * annotations straight to `process.stdout` and exports neither its escapers nor its command
 * builder, so a finding could not go through the context's output or be tested as a string), and
 * the job-summary append (`core.summary` is a process-wide singleton that caches the first
 * summary path it sees; appending the file is all it does for raw Markdown). Escaping follows the
 * runner's rules (actions/toolkit `command.ts`).
 */
import { appendFileSync } from 'node:fs';
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
 * Runs `fn` with `keys` of `env` visible in `process.env` (the way `@actions/core` reads them),
 * restoring the previous values afterwards. Only for synchronous calls.
 */
export function withActionsEnv<T>(env: NodeJS.ProcessEnv, keys: readonly string[], fn: () => T): T {
  const saved = keys.map((key) => [key, process.env[key]] as const);
  for (const key of keys) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  try {
    return fn();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends Markdown to the job summary. Returns false (and writes nothing) outside Actions. */
export function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  return true;
}

/**
 * Writes step outputs. Returns false (and writes nothing) outside Actions. `@actions/core` is loaded
 * here, on first use, so the verbs that only format annotations (validate, test, query) do not pay
 * its ~80 ms import.
 */
export async function writeOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number | boolean>): Promise<boolean> {
  if (!env.GITHUB_OUTPUT) return false;
  const bad = Object.keys(outputs).find((name) => !OUTPUT_NAME.test(name));
  if (bad !== undefined) throw new Error(`invalid step output name "${bad}": use letters, digits, '_' and '-'`);
  const { setOutput } = await import('@actions/core');
  withActionsEnv(env, ['GITHUB_OUTPUT'], () => {
    for (const [name, value] of Object.entries(outputs)) setOutput(name, String(value));
  });
  return true;
}

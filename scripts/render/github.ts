/**
 * GitHub Actions integration through `@actions/core`: workflow-command annotations
 * (`core.error/warning/notice` with file/line/column properties), the job summary
 * (`core.summary`: the GITHUB_STEP_SUMMARY file) and step outputs (`setOutput`: the file command
 * with its random heredoc delimiter).
 *
 * `@actions/core` reads `process.env` and writes `process.stdout`, while the CLI passes its
 * environment and output through a context (so tests run it in-process with their own env and
 * capture its output). Two seams bridge that, both for synchronous calls only:
 *   - `withActionsEnv` lends the context's GitHub variables to `process.env` and restores them;
 *   - `captureStdout` routes `process.stdout.write` to the context's output while core's annotation
 *     functions run (they write one `::command …::message` line each, synchronously).
 * `core.summary` is one object per process that caches the first summary path it sees; each append
 * uses a fresh instance of its class (`summary.constructor`) so a run that writes two summaries, or
 * tests with one summary file each, never write into an earlier path.
 *
 * `@actions/core` is loaded on first use (`import()`), so verbs that never talk to a runner do not
 * pay its ~80 ms import.
 */
import type { AnnotationProperties } from '@actions/core';
import type { Diagnostic, Severity } from '../model/types.ts';

type Core = typeof import('@actions/core');

let core: Promise<Core> | undefined;
const loadCore = (): Promise<Core> => (core ??= import('@actions/core'));

/** True when running inside a GitHub Actions job. */
export function isGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

const COMMAND_FOR: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

/** One annotation to emit: the workflow command, its message and its position properties. */
export interface Annotation {
  command: 'error' | 'warning' | 'notice';
  message: string;
  properties: AnnotationProperties;
}

/** The annotation for a diagnostic; the title carries the diagnostic code. */
export function diagnosticAnnotation(d: Diagnostic): Annotation {
  const properties: AnnotationProperties = { title: d.code, file: d.file, startLine: d.line, startColumn: d.col };
  if (d.endLine !== undefined) properties.endLine = d.endLine;
  if (d.endCol !== undefined) properties.endColumn = d.endCol;
  return { command: COMMAND_FOR[d.severity], message: d.message, properties };
}

/**
 * Runs `fn` with `process.stdout.write` sent to `write` (the way `@actions/core` prints workflow
 * commands), restoring the stream's own `write` afterwards. Only for synchronous calls.
 */
export function captureStdout<T>(write: (text: string) => void, fn: () => T): T {
  const stdout = process.stdout;
  const own = Object.getOwnPropertyDescriptor(stdout, 'write');
  const original = stdout.write;
  stdout.write = ((chunk: string | Uint8Array) => {
    write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof stdout.write;
  try {
    return fn();
  } finally {
    if (own) Object.defineProperty(stdout, 'write', own);
    else {
      delete (stdout as { write?: unknown }).write;
      if (stdout.write !== original) stdout.write = original;
    }
  }
}

/**
 * The workflow-command lines `@actions/core` prints for these annotations (escaped by its own
 * rules), newline-terminated; the empty string when there are none.
 */
export async function renderAnnotations(list: readonly Annotation[]): Promise<string> {
  if (list.length === 0) return '';
  const c = await loadCore();
  let text = '';
  captureStdout((chunk) => (text += chunk), () => {
    for (const a of list) c[a.command](a.message, a.properties);
  });
  return text;
}

/** Annotation lines for all diagnostics (empty string when there are none). */
export function annotations(diagnostics: readonly Diagnostic[]): Promise<string> {
  return renderAnnotations(diagnostics.map(diagnosticAnnotation));
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

/**
 * Appends Markdown to the job summary through `core.summary` (`addRaw` + `write`, which appends).
 * Returns false (and writes nothing) outside Actions. A summary file the runner did not create or
 * that cannot be written is reported through `warn` and never fails the run: the summary is a view
 * of a result already printed.
 */
export async function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string, warn?: (message: string) => void): Promise<boolean> {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  const { summary } = await loadCore();
  // A fresh Summary: the shared `core.summary` caches the first path it resolved.
  const Summary = summary.constructor as new () => typeof summary;
  const own = new Summary().addRaw(markdown, !markdown.endsWith('\n'));
  try {
    // `write` resolves the path from process.env synchronously, before its first await.
    await withActionsEnv(env, ['GITHUB_STEP_SUMMARY'], () => own.write());
    return true;
  } catch (e) {
    warn?.(`warning: job summary not written: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

/**
 * Writes step outputs. Returns false (and writes nothing) outside Actions.
 */
export async function writeOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number | boolean>): Promise<boolean> {
  if (!env.GITHUB_OUTPUT) return false;
  const bad = Object.keys(outputs).find((name) => !OUTPUT_NAME.test(name));
  if (bad !== undefined) throw new Error(`invalid step output name "${bad}": use letters, digits, '_' and '-'`);
  const { setOutput } = await loadCore();
  withActionsEnv(env, ['GITHUB_OUTPUT'], () => {
    for (const [name, value] of Object.entries(outputs)) setOutput(name, String(value));
  });
  return true;
}

/** The `validate` verb. */
import { writeFile } from 'node:fs/promises';
import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError, type VerbHandler } from './context.ts';
import { kindOf, toRepoPath } from '../content/load.ts';
import { declaredKindOf } from '../content/declared.ts';
import { verbCommand } from './main.ts';
import { countBySeverity } from '../model/diagnostics.ts';
import { GitError } from '../content/git.ts';
import type { Diagnostic, Repo } from '../model/types.ts';
import { annotations, isGitHubActions } from '../render/github.ts';
import { renderSarif } from '../render/sarif.ts';
import { formatDiagnosticsText, summaryLine } from '../render/text.ts';
import { colorEnabled } from '../render/style.ts';
import { validate } from '../validate/validate.ts';

/** Stale generated docs are a validation finding; the docs stage provides the check when present. */
async function docsCheck(repo: Repo): Promise<Diagnostic[]> {
  try {
    const mod = (await import('./docs.ts')) as { staleDocs?: (repo: Repo) => Promise<Diagnostic[]> };
    return mod.staleDocs ? await mod.staleDocs(repo) : [];
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return [];
    throw e;
  }
}

interface ValidateOptions {
  base?: string;
  full?: boolean;
  format: 'text' | 'json' | 'sarif';
  output?: string;
  workers: number;
  cache: boolean;
  strict?: boolean;
}

/**
 * The files the path operands name, repo-relative. A path outside the repository, one that does not
 * exist, a file validate does not read or a folder holding none is a usage error (exit 2): reporting
 * "0 errors" on it would read as a pass.
 */
export function selectPaths(root: string, operands: readonly string[]): string[] {
  const reads = (rel: string) => kindOf(rel) !== undefined || declaredKindOf(rel) !== undefined || /^schemas\/workspaces\/[^/]+\.json$/.test(rel);
  const out = new Set<string>();
  for (const op of operands) {
    const abs = resolve(op);
    const rel = toRepoPath(root, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${op} is outside the repository ${root}`);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      throw new UsageError(`${op} does not exist`);
    }
    if (st.isDirectory()) {
      const hits = (readdirSync(abs, { recursive: true, withFileTypes: true }) as Dirent[])
        .filter((e) => e.isFile())
        .map((e) => toRepoPath(root, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)))
        .filter(reads);
      if (hits.length === 0) throw new UsageError(`${op} holds no file that validate reads (rules, tests, watchlists, workbooks, targets, functions, schemas)`);
      for (const h of hits) out.add(h);
    } else if (reads(rel)) out.add(rel);
    else throw new UsageError(`${op} is not a file that validate reads (rules, tests, watchlists, workbooks, targets, functions, schemas)`);
  }
  return [...out].sort();
}

export const runValidate: VerbHandler<ValidateOptions> = async ({ opts: values, operands }, ctx) => {
  const { format, workers } = values;
  const paths = selectPaths(ctx.root, operands);
  let result;
  try {
    result = await validate(ctx.root, {
      paths,
      base: values.base,
      full: values.full ?? false,
      workers,
      cacheDir: values.cache ? undefined : false,
      extraChecks: [docsCheck],
    });
  } catch (e) {
    if (e instanceof GitError) {
      ctx.err(`sentinel validate: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const { diagnostics, stats } = result;
  const counts = countBySeverity(diagnostics);
  let body: string;
  if (format === 'json') {
    body = JSON.stringify({ diagnostics, summary: { ...counts, files: stats.files, rules: stats.rules, queriesAnalysed: stats.queriesAnalysed } }, null, 2);
  } else if (format === 'sarif') {
    body = renderSarif(diagnostics);
  } else {
    const text = formatDiagnosticsText(diagnostics, { color: !values.output && colorEnabled(ctx.env, ctx.isTTY) });
    body = `${text}${text ? '\n\n' : ''}${summaryLine(diagnostics, stats.files)}`;
  }
  if (values.output) {
    await writeFile(resolve(values.output), body + '\n');
    if (format !== 'text') ctx.out(summaryLine(diagnostics, stats.files));
  } else {
    ctx.out(body);
  }
  // Annotations go to stdout, so only where stdout is not itself a machine-readable report.
  if (isGitHubActions(ctx.env) && diagnostics.length > 0 && (format === 'text' || values.output)) ctx.out(await annotations(diagnostics));
  return counts.error > 0 || (values.strict === true && counts.warning > 0) ? 1 : 0;
};

/** `sentinel validate` called with raw arguments (demo, tests). */
export const validateCommand = verbCommand('validate');

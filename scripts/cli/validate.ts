/** The `validate` verb. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './context.ts';
import { countBySeverity } from '../model/diagnostics.ts';
import { GitError } from '../content/git.ts';
import type { Diagnostic, Repo } from '../model/types.ts';
import { annotations, isGitHubActions } from '../render/github.ts';
import { renderSarif } from '../render/sarif.ts';
import { formatDiagnosticsText, summaryLine } from '../render/text.ts';
import { validate } from '../validate/validate.ts';

const USAGE = `usage: sentinel validate [paths…] [--base <git-ref>] [--full] [--format text|json|sarif] [--output <file>]
                         [--workers N] [--no-cache] [--strict]
  paths        report on these files only (cross-file checks still see the whole repo)
  --base REF   version discipline vs REF; analyse KQL of changed files only (add --full for all)
  --strict     exit 1 on warnings too`;

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

export const validateCommand: Command = async (args, ctx) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      full: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      workers: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    ctx.out(USAGE);
    return 0;
  }
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got "${format}")\n${USAGE}`);
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be a whole number');

  let result;
  try {
    result = await validate(ctx.root, {
      paths: positionals.map((p) => resolve(p)),
      base: values.base,
      full: values.full,
      workers,
      cacheDir: values['no-cache'] ? false : undefined,
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
    const text = formatDiagnosticsText(diagnostics, { color: ctx.isTTY && !ctx.env.NO_COLOR });
    body = `${text}${text ? '\n\n' : ''}${summaryLine(diagnostics, stats.files)}`;
  }
  if (values.output) {
    await writeFile(resolve(values.output), body + '\n');
    if (format !== 'text') ctx.out(summaryLine(diagnostics, stats.files));
  } else {
    ctx.out(body);
  }
  // Annotations go to stdout, so only where stdout is not itself a machine-readable report.
  if (isGitHubActions(ctx.env) && diagnostics.length > 0 && (format === 'text' || values.output)) ctx.out(annotations(diagnostics));
  return counts.error > 0 || (values.strict && counts.warning > 0) ? 1 : 0;
};

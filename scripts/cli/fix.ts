/**
 * `sentinel fix [paths...] [--dry-run]`: rewrites what the fixers know how to make canonical
 * (scripts/content/fix.ts) in place, keeping comments and layout. `--dry-run` prints a unified diff
 * and writes nothing.
 *
 * Exit codes: 0 when nothing needs fixing or everything found was fixed; 1 when `--dry-run` would
 * change a file (so CI can require fixed content), or when something is left that needs a hand
 * (listed as file:line:col); 2 for a path that is not in the repo or matches no content file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerbHandler } from './context.ts';
import { UsageError } from './context.ts';
import { verbCommand } from './main.ts';
import { fixContentFile, type FileFix, type FixContext } from '../content/fix.ts';
import { listContentFiles, loadRepo, toRepoPath } from '../content/load.ts';
import { unifiedDiff } from '../render/diff.ts';

interface FixOptions {
  dryRun?: boolean;
}

/** The `ipOrRange` columns of the repo's watchlists, for the per-target items. */
async function fixContext(root: string): Promise<FixContext> {
  const repo = await loadRepo(root);
  return {
    ipColumns: new Map(repo.watchlists.map((w) => [w.watchlist.alias, w.watchlist.columns.filter((c) => c.type === 'ipOrRange').map((c) => c.name)])),
  };
}

/** Content files selected by the operands (files, or folders holding them); all without operands. */
function select(all: string[], operands: string[], root: string): string[] {
  if (operands.length === 0) return all;
  const chosen = new Set<string>();
  for (const op of operands) {
    const rel = toRepoPath(root, op);
    if (rel.startsWith('..')) throw new UsageError(`${op} is outside the repository`);
    const hits = all.filter((f) => rel === '' || f === rel || f.startsWith(`${rel.replace(/\/$/, '')}/`));
    if (hits.length === 0) throw new UsageError(`${op} matches no content file (rules, watchlists, workbooks, targets)`);
    for (const h of hits) chosen.add(h);
  }
  return [...chosen].sort();
}

export const runFix: VerbHandler<FixOptions> = async ({ opts, operands }, ctx) => {
  const files = select(await listContentFiles(ctx.root), operands, ctx.root);
  const context = await fixContext(ctx.root);
  const fixes: FileFix[] = [];
  for (const rel of files) fixes.push(fixContentFile(rel, await readFile(join(ctx.root, rel), 'utf8'), context));

  const changed = fixes.filter((f) => f.after !== f.before);
  for (const f of changed) {
    if (opts.dryRun) ctx.out(unifiedDiff(f.file, f.before, f.after).replace(/\n$/, ''));
    else await writeFile(join(ctx.root, f.file), f.after, 'utf8');
  }
  const verb = opts.dryRun ? 'would fix' : 'fixed';
  for (const f of changed) for (const n of f.applied) ctx.err(`${f.file}:${n.line}:${n.col} ${verb} ${n.message} [${n.code}]`);
  const manual = fixes.flatMap((f) => f.manual.map((n) => ({ file: f.file, ...n })));
  for (const n of manual) ctx.err(`${n.file}:${n.line}:${n.col} needs a hand: ${n.message} [${n.code}]`);

  const count = changed.reduce((s, f) => s + f.applied.length, 0);
  ctx.out(
    `sentinel fix: ${count} change(s) in ${changed.length} file(s) ${opts.dryRun ? 'would be made (dry run: nothing written)' : 'made'}` +
      `${manual.length ? `, ${manual.length} left to fix by hand` : ''} (${files.length} file(s) checked)`,
  );
  return (opts.dryRun && changed.length > 0) || manual.length > 0 ? 1 : 0;
};

/** `sentinel fix` called with raw arguments. */
export const fix = verbCommand('fix');

/**
 * `sentinel export --format arm --out <dir>`: the content as ARM deployment templates, one per content
 * file (deploy/export/template.ts), for `az deployment group create` and Sentinel Repositories.
 * Wiring only: load the content, resolve it (for a target, or with no target's overrides), write files.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError, type VerbHandler } from './context.ts';
import { loadRepo } from '../content/load.ts';
import { functionErrors } from '../validate/function-checks.ts';
import { resolveTarget } from '../deploy/desired/resolve.ts';
import { exportTemplates, exportWorkbookName, templateText } from '../deploy/export/template.ts';
import type { Target } from '../model/types.ts';
import { repoIdentityOf } from './identity.ts';
import { refuseContentErrors } from './content-errors.ts';
import { ownerOf } from '../model/identity.ts';

interface ExportOpts {
  format: 'arm';
  out?: string;
  target?: string;
  repoName?: string;
}

const NO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * The target every export without --target resolves against: no overrides, no disabled rules, no
 * extra watchlist items. Its workspace fields never reach a template (the workspace is a parameter).
 */
const REPO_ONLY: Target = {
  name: 'export', tenantId: NO_GUID, subscriptionId: NO_GUID, resourceGroup: 'export', workspaceName: 'export', location: 'export', wave: 0,
};

export const runExport: VerbHandler<ExportOpts> = async ({ opts }, ctx) => {
  if (!opts.out) throw new UsageError('--out <dir> is required: the folder the templates are written to', true);
  const out = opts.out;
  if (existsSync(out) && readdirSync(out).length) {
    throw new UsageError(`${out} is not empty: export into a new or empty folder (so no template of removed content stays behind)`);
  }
  const repo = await loadRepo(ctx.root);
  // As deploy: a function that does not analyse cleanly would reach the workspace through the template.
  const errors = [...repo.diagnostics.filter((d) => d.severity === 'error'), ...(await functionErrors(repo))];
  if (refuseContentErrors(errors, ctx, 'exported')) return 1;
  let target = REPO_ONLY;
  let file: string | undefined;
  if (opts.target) {
    const found = repo.targets.find((t) => t.target.name === opts.target);
    if (!found) throw new UsageError(`no target '${opts.target}'; targets: ${repo.targets.map((t) => t.target.name).join(', ') || '(none)'}`);
    target = found.target;
    file = found.source.file;
  }
  const repoName = await repoIdentityOf(ctx.root, opts.repoName);
  const resolved = resolveTarget(repo, target, { repoName, ...(file ? { file } : {}) });
  for (const w of resolved.warnings) ctx.err(`warning: ${w}`);
  if (resolved.problems.length) {
    for (const p of resolved.problems) ctx.err(p);
    ctx.err(`${resolved.problems.length} problem(s): nothing exported`);
    return 1;
  }
  // For a target the workbook keeps the name deploy gives it in that workspace; else one from its id alone.
  const workbookNames = new Map(opts.target ? [] : repo.workbooks.map((w) => [w.source.file, exportWorkbookName(w.workbook.id)]));
  const templates = exportTemplates(resolved.desired.items, { workbookNames });
  for (const t of templates) {
    const path = join(out, t.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, templateText(t));
  }
  const by = (type: string) => templates.filter((t) => t.type === type).length;
  ctx.out(
    `exported ${templates.length} template(s) to ${out} (${by('alertRule')} rule(s), ${by('watchlist')} watchlist(s), ` +
      `${by('workbook')} workbook(s), ${by('function')} function(s)) for ${opts.target ? `target ${opts.target}` : 'no target (repo content as written)'}, ` +
      `owner tag ${ownerOf(repoName).name}`,
  );
  return 0;
};

/**
 * `sentinel init`: sets up a repository made from the template. Writes the repository identity
 * (sentinel.config.yaml: a fresh GUID and a human name; model/identity.ts), optionally the first
 * target (content/scaffold.ts scaffoldTarget), and reports what the workflows need configured.
 * Never replaces an identity without --force, except the template's own (template: true).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError, type VerbHandler } from './context.ts';
import { isGuid } from '../model/guid.ts';
import { REPO_CONFIG_FILE, describeOwner, type RepoIdentity } from '../model/identity.ts';
import { readRepoConfig, repoConfigText } from '../content/repo-config.ts';
import { ScaffoldError, scaffoldTarget, type ScaffoldFile } from '../content/scaffold.ts';

interface InitOpts {
  name?: string;
  force?: boolean;
  target?: string;
  tenant?: string;
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
}

/** What each workflow needs before it can run (docs/github-actions.md). */
const WORKFLOW_NEEDS: Record<string, string> = {
  'pr.yml': 'nothing to configure for validation; the plan job needs the variable AZURE_PLAN_CLIENT_ID (read-only identity, federated credential for pull requests)',
  'main.yml': 'nothing to configure (validates main, uploads SARIF, saves the KQL cache)',
  'deploy.yml': 'variables AZURE_PLAN_CLIENT_ID and AZURE_CLIENT_ID (federated credentials per environment) and the environments canary, wave-1, wave-2 with their reviewers',
  'deploy-wave.yml': 'called by deploy.yml: the same identities and environments',
};

export const runInit: VerbHandler<InitOpts> = async (input, ctx) => {
  const o = input.opts;
  for (const [flag, v] of [['--tenant', o.tenant], ['--subscription', o.subscription]] as const) {
    if (v !== undefined && !isGuid(v)) throw new UsageError(`${flag} must be a GUID (got "${v}")`);
  }
  const name = (o.name ?? basename(ctx.root)).trim();
  if (!name) throw new UsageError('--name must not be empty');

  const current = await readRepoConfig(ctx.root);
  if (current.status === 'ok' && !current.identity.template && !o.force) {
    throw new UsageError(
      `${REPO_CONFIG_FILE} already holds this repository's identity ${describeOwner(current.identity)}: nothing written. ` +
        'Pass --force only for a repository that has never deployed (a new id orphans what the old one deployed)',
    );
  }
  if (current.status === 'invalid' && !o.force) {
    const where = current.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n');
    throw new UsageError(`${where}\n${REPO_CONFIG_FILE} exists but is invalid: fix it, or replace it with --force`);
  }

  // The first target, checked before anything is written.
  let target: ScaffoldFile | undefined;
  const wantsTarget = [o.target, o.tenant, o.subscription, o.resourceGroup, o.workspace].some((v) => v !== undefined);
  if (wantsTarget) {
    try {
      [target] = scaffoldTarget({
        name: o.target ?? 'production',
        ...(o.tenant ? { tenantId: o.tenant } : {}), ...(o.subscription ? { subscriptionId: o.subscription } : {}),
        ...(o.resourceGroup ? { resourceGroup: o.resourceGroup } : {}), ...(o.workspace ? { workspaceName: o.workspace } : {}),
      });
    } catch (e) {
      if (e instanceof ScaffoldError) throw new UsageError(e.message);
      throw e;
    }
    if (existsSync(join(ctx.root, target!.path))) throw new UsageError(`${target!.path} already exists: nothing written (choose another --target name)`);
  }

  const identity: RepoIdentity = { id: randomUUID(), name, legacyOwners: [], template: false };
  await writeFile(join(ctx.root, REPO_CONFIG_FILE), repoConfigText(identity));
  const replaced = current.status === 'ok' ? ` (replaced ${current.identity.template ? "the template's identity" : describeOwner(current.identity)})` : '';
  ctx.out(`wrote ${REPO_CONFIG_FILE}: repository ${describeOwner(identity)}${replaced}`);
  if (target) {
    await mkdir(dirname(join(ctx.root, target.path)), { recursive: true });
    await writeFile(join(ctx.root, target.path), target.text, { flag: 'wx' });
    ctx.out(`created ${target.path}${o.tenant && o.subscription ? '' : ' (placeholder ids: fill them in)'}`);
  }

  const workflows = await readdir(join(ctx.root, '.github', 'workflows')).catch(() => [] as string[]);
  const known = workflows.filter((w) => w in WORKFLOW_NEEDS).sort();
  if (known.length) {
    ctx.out('workflows to configure (docs/github-actions.md):');
    for (const w of known) ctx.out(`  .github/workflows/${w}: ${WORKFLOW_NEEDS[w]}`);
  } else {
    ctx.out('no workflows in .github/workflows/: copy them from the template to deploy from GitHub Actions (docs/github-actions.md)');
  }
  ctx.out(`next: commit ${REPO_CONFIG_FILE}${target ? ` and ${target.path}` : ''}, then \`sentinel plan\``);
  return 0;
};

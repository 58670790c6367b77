/**
 * The repository identity a deploying verb runs as (plan, apply, drift, import, export). Light on
 * purpose: verbs that need no Azure SDK (export) load it without the deploy wiring.
 */
import { UsageError } from './context.ts';
import { readRepoConfig } from '../content/repo-config.ts';
import { REPO_CONFIG_FILE, type OwnerRef } from '../model/identity.ts';

/**
 * The repository identity (model/identity.ts): `--repo-name` (a bare owner name: tests, one-off
 * migrations), else `sentinel.config.yaml`. No identity, no deploy: two clones of the template must
 * never share one owner, so there is no default (the old package.json name lives on as a legacy owner).
 */
export async function repoIdentityOf(root: string, flag?: string): Promise<OwnerRef> {
  if (flag) return flag;
  const config = await readRepoConfig(root);
  if (config.status === 'ok') return config.identity;
  if (config.status === 'missing') {
    throw new UsageError(`no repository identity: ${REPO_CONFIG_FILE} is missing. Run \`sentinel init\` once (it writes a fresh id), commit ${REPO_CONFIG_FILE}, then deploy (see docs/deploy.md#repository-identity)`);
  }
  const lines = config.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
  throw new UsageError(`${lines.join('\n')}\nthe repository identity in ${REPO_CONFIG_FILE} is invalid: fix it (or \`sentinel init --force\` for a new one; never for a repository that has deployed)`);
}

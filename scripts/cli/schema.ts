/**
 * `sentinel schema pull [--targets <glob>]`: reads each target workspace's tables and saved
 * functions (deploy/azure/workspace-schema.ts) and writes `schemas/workspaces/<target>.json`
 * (model/workspace-schema.ts: stable, sorted, dated). A target that cannot be read is one line on
 * stderr and exit 1; the others are still written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerbHandler } from './context.ts';
import { deployFlags } from './deploy-args.ts';
import { clientPoolFor, selectTargets } from './deploy.ts';
import { loadRepo } from '../content/load.ts';
import { workspaceOf } from '../deploy/desired/model.ts';
import { pullWorkspaceSchema } from '../deploy/azure/workspace-schema.ts';
import { AuthConfigError } from '../deploy/azure/clients.ts';
import { describeError, isCredentialUnavailable } from '../deploy/azure/errors.ts';
import { formatWorkspaceSchema, WORKSPACE_SCHEMA_DIR } from '../model/workspace-schema.ts';

export const runSchema: VerbHandler = async (input, ctx) => {
  const flags = deployFlags(input);
  const repo = await loadRepo(ctx.root);
  const chosen = selectTargets(repo, flags);
  {
    const pool = clientPoolFor(flags, ctx);
    const endpoint = pool.settings.endpoint;
    await mkdir(join(ctx.root, WORKSPACE_SCHEMA_DIR), { recursive: true });
    const now = new Date();
    let failed = 0;
    await Promise.all(
      chosen.map(async ({ target }) => {
        const ws = workspaceOf(target);
        try {
          const schema = await pullWorkspaceSchema(pool.get(target.tenantId, target.subscriptionId), ws, target.name, now);
          const file = `${WORKSPACE_SCHEMA_DIR}/${target.name}.json`;
          await writeFile(join(ctx.root, file), formatWorkspaceSchema(schema));
          ctx.out(`${file}: ${Object.keys(schema.tables).length} tables, ${Object.keys(schema.functions).length} functions (pulled ${schema.pulledAt})`);
        } catch (e) {
          if (isCredentialUnavailable(e)) throw new AuthConfigError(describeError(e, ws, endpoint));
          failed++;
          ctx.err(`${target.name}: ${describeError(e, ws, endpoint)}`);
        }
      }),
    );
    return failed ? 1 : 0;
  }
};

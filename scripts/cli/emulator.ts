/** `sentinel emulator [--port N] [--config file.yaml] [--state file.json]`: the emulator in the foreground until Ctrl-C. */
import { resolve } from 'node:path';
import { UsageError, type CliContext, type VerbHandler } from './context.ts';
import { verbCommand } from './main.ts';
import { loadRepo } from '../content/load.ts';
import type { Target } from '../model/types.ts';
import { ConfigError, loadConfigFile, startEmulator, type EmulatorConfig, type EmulatorWorkspaceRef } from '../emulator/index.ts';

interface Options {
  port?: number;
  config?: string;
  state?: string;
}

/** The workspace each deployment target names, as the emulator holds it. */
export function workspacesOf(targets: readonly Target[]): EmulatorWorkspaceRef[] {
  return targets.map((t) => ({
    tenantId: t.tenantId, subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspace: t.workspaceName, location: t.location,
  }));
}

/** Workspaces of the repo's targets (`targets/*.yaml`), loaded and schema-checked like every content file. */
async function workspacesFromTargets(root: string): Promise<EmulatorWorkspaceRef[]> {
  const repo = await loadRepo(root);
  const first = repo.diagnostics.find((d) => d.severity === 'error' && d.file.startsWith('targets/'));
  if (first) throw new ConfigError(`${first.file}:${first.line}:${first.col}: ${first.message}`);
  return workspacesOf(repo.targets.map((t) => t.target));
}

/** Runs until `until` settles (Ctrl-C for the CLI verb); exported so tests can drive it. Bad configuration throws UsageError. */
export async function runEmulator(opts: Options, ctx: CliContext, until: Promise<unknown>): Promise<number> {
  let config: EmulatorConfig;
  try {
    config = opts.config ? loadConfigFile(resolve(ctx.root, opts.config), ctx.root) : { workspaces: await workspacesFromTargets(ctx.root) };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  if (opts.port !== undefined) config.port = opts.port;
  if (opts.state) config.stateFile = resolve(ctx.root, opts.state);
  if ((config.tenants ?? []).length === 0 && (config.workspaces ?? []).length === 0) {
    throw new UsageError('no workspaces to emulate: add targets/*.yaml or pass --config with tenants/workspaces');
  }
  let emulator;
  try {
    emulator = await startEmulator(config);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ConfigError || err.code === 'EADDRINUSE' || err.code === 'EACCES') {
      throw new UsageError(err.code === 'EADDRINUSE' ? `port ${config.port} is already in use; pick another with --port` : err.message);
    }
    throw e;
  }
  const subs = new Set([...(config.workspaces ?? []).map((w) => w.subscriptionId), ...(config.tenants ?? []).flatMap((t) => (t.subscriptions ?? []).map((s) => s.subscriptionId))]);
  ctx.out(`Sentinel ARM emulator listening on ${emulator.url}`);
  ctx.out(`  ${subs.size} subscription(s); token endpoint ${emulator.url}/<tenantId>/oauth2/v2.0/token; stats ${emulator.url}/__emulator/stats`);
  if (emulator.httpsUrl) ctx.out(`  HTTPS (sign-in through @azure/identity: AZURE_AUTHORITY_HOST=${emulator.httpsUrl}) on ${emulator.httpsUrl}`);
  if (config.stateFile) ctx.out(`  state file ${opts.state}`);
  ctx.out('Press Ctrl-C to stop.');
  await until;
  await emulator.stop();
  ctx.out('Emulator stopped.');
  return 0;
}

/** Until Ctrl-C (the CLI's abort signal) or SIGTERM. */
function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      process.off('SIGTERM', done);
      resolve();
    };
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', done);
    process.on('SIGTERM', done);
  });
}

export const runEmulatorVerb: VerbHandler<Options> = ({ opts }, ctx) => runEmulator(opts, ctx, untilStopped(ctx.signal));

/** `sentinel emulator` called with raw arguments. */
export const emulator = verbCommand('emulator');

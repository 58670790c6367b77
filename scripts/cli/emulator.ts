/** `sentinel emulator [--port N] [--config file.yaml] [--state file.json]`: the emulator in the foreground until Ctrl-C. */
import { resolve } from 'node:path';
import { UsageError, type CliContext, type VerbHandler } from './context.ts';
import { verbCommand } from './main.ts';
import { ConfigError, type EmulatorConfig } from '../emulator/config.ts';
import { loadConfigFile, workspacesFromTargets } from '../emulator/configFile.ts';
import { startEmulator } from '../emulator/server.ts';

interface Options {
  port?: number;
  config?: string;
  state?: string;
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

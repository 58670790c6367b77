/** `sentinel emulator [--port N] [--config file.yaml] [--state file.json]`: the emulator in the foreground until Ctrl-C. */
import { resolve } from 'node:path';
import { UsageError, type CliContext, type Command } from './context.ts';
import { loadRepo } from '../content/load.ts';
import type { Target } from '../model/types.ts';
import { ConfigError, loadConfigFile, startEmulator, type EmulatorConfig, type EmulatorWorkspaceRef } from '../emulator/index.ts';

const USAGE = `usage: sentinel emulator [--port N] [--config file.yaml] [--state file.json]

Runs the local SecurityInsights ARM emulator on 127.0.0.1 until Ctrl-C.
  --port N        listen port (default 0: an ephemeral port, printed on start)
  --config FILE   emulator config (tenants, workspaces, clients, throttling, faults); default: the
                  workspaces named by targets/*.yaml with the well-known local client per tenant
  --state FILE    JSON state file: loaded on start, saved on change and on stop`;

interface Options {
  port?: number;
  config?: string;
  state?: string;
}

function parseArgs(args: string[]): Options | 'help' {
  const o: Options = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be an integer 0..65535, got '${v}'`);
        o.port = n;
        break;
      }
      case '--config':
        o.config = value();
        break;
      case '--state':
        o.state = value();
        break;
      default:
        throw new UsageError(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return o;
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

/** Runs until `until` settles (Ctrl-C for the CLI verb); exported so tests can drive it. */
export async function runEmulator(args: string[], ctx: CliContext, until: Promise<unknown>): Promise<number> {
  const opts = parseArgs(args);
  if (opts === 'help') {
    ctx.out(USAGE);
    return 0;
  }
  let config: EmulatorConfig;
  try {
    config = opts.config ? loadConfigFile(resolve(ctx.root, opts.config), ctx.root) : { workspaces: await workspacesFromTargets(ctx.root) };
  } catch (e) {
    if (e instanceof ConfigError) {
      ctx.err(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (opts.port !== undefined) config.port = opts.port;
  if (opts.state) config.stateFile = resolve(ctx.root, opts.state);
  if ((config.tenants ?? []).length === 0 && (config.workspaces ?? []).length === 0) {
    ctx.err('error: no workspaces to emulate: add targets/*.yaml or pass --config with tenants/workspaces');
    return 2;
  }
  let emulator;
  try {
    emulator = await startEmulator(config);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ConfigError || err.code === 'EADDRINUSE' || err.code === 'EACCES') {
      ctx.err(`error: ${err.code === 'EADDRINUSE' ? `port ${config.port} is already in use; pick another with --port` : err.message}`);
      return 2;
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

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export const emulator: Command = (args, ctx) => runEmulator(args, ctx, untilSignal());

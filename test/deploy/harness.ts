/** An emulator with the targets' workspaces plus real SDK clients pointed at it. */
import type { Target } from '../../scripts/model/types.ts';
import { ClientPool, EMULATOR_RETRY, type ClientSettings } from '../../scripts/deploy/azure/clients.ts';
import { EMULATOR_ASYNC_POLL } from '../../scripts/deploy/azure/async-operation.ts';
import { resolveTarget, type DeployContent, type Resolved } from '../../scripts/deploy/desired/resolve.ts';
import { planAll, rollout, type RolloutSettings } from '../../scripts/deploy/apply/rollout.ts';
import { startEmulator, type EmulatorConfig, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { emulatorConfigFor, emulatorSignIn } from '../../scripts/cli/deploy.ts';

export const REPO = 'test-repo';

export interface Harness {
  emulator: EmulatorHandle;
  pool: ClientPool;
  resolve(content: DeployContent, targets: readonly Target[]): Resolved[];
  settings(extra?: Partial<RolloutSettings>): RolloutSettings;
  plan(resolved: readonly Resolved[], prune?: boolean): ReturnType<typeof planAll>;
  apply(resolved: readonly Resolved[], extra?: Partial<RolloutSettings>): ReturnType<typeof rollout>;
  stop(): Promise<void>;
}

export async function harness(targets: readonly Target[], config: EmulatorConfig = {}, client: Partial<ClientSettings> = {}): Promise<Harness> {
  const emulator = await startEmulator(emulatorConfigFor(targets, { throttling: { retryAfterMsHeader: true }, ...config }));
  const pool = new ClientPool({ auth: 'emulator', endpoint: emulator.url, env: {}, retry: EMULATOR_RETRY, asyncPoll: EMULATOR_ASYNC_POLL, ...emulatorSignIn(emulator.url), ...client });
  const settings = (extra: Partial<RolloutSettings> = {}): RolloutSettings => ({
    pool, repoName: REPO, prune: false, concurrency: 8, failureThreshold: 1, ...extra,
  });
  return {
    emulator,
    pool,
    resolve: (content, ts) => ts.map((t) => resolveTarget(content, t, { repoName: REPO })),
    settings,
    plan: (resolved, prune = false) => planAll(resolved, settings({ prune })),
    apply: (resolved, extra) => rollout(resolved, settings(extra)),
    stop: () => emulator.stop(),
  };
}

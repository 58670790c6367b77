/**
 * Deployment benchmark: 100 targets × 50 rules, plan + apply against the emulator with ARM's
 * throttling model and injected 429s, next to a naive sequential loop over the same SDK calls;
 * then the writes of a 10,000-item watchlist (bulk upload) and of a few changed rows.
 * Prints numbers; asserts nothing about time.
 */
import type { RuleFile, SourceFile, Target, WatchlistFile } from '../../model/types.ts';
import { EMULATOR_ASYNC_POLL } from '../../deploy/azure/async-operation.ts';
import { syntheticRule } from './synthetic.ts';
import { WorkspaceApi } from '../../deploy/azure/arm.ts';
import { ClientPool, EMULATOR_RETRY } from '../../deploy/azure/clients.ts';
import { emulatorConfigFor, emulatorSignIn } from '../deploy.ts';
import { startEmulatorProcess, type RemoteEmulator } from '../emulator-process.ts';
import { comparable } from '../../deploy/plan/plan.ts';
import { metadataBody, metadataName } from '../../deploy/plan/ownership.ts';
import { resolveTarget, type DeployContent, type Resolved } from '../../deploy/desired/resolve.ts';
import { rollout } from '../../deploy/apply/rollout.ts';
import { fingerprint } from '../../deploy/desired/util.ts';

const TARGETS = 100;
const RULES = 50;
const SUBSCRIPTIONS = 25;
const INJECTED_429 = 0.05;
const WRITE_BURST = 200;
const WRITE_REFILL = 10;
const REPO = 'bench-repo';

function source(file: string): SourceFile {
  const at = { line: 1, col: 1 };
  return { file, text: '', pos: () => at, keyPos: () => at, offsetPos: () => at };
}

/** A synthetic rule (the benchmarks' one content generator) as a loaded rule file. */
function benchRule(i: number): RuleFile {
  return { kind: 'rule', slug: `bench-${i}`, area: 'bench', rule: syntheticRule(i), source: source(`analytics-rules/bench/bench-${i}.yaml`) };
}

function benchTargets(): Target[] {
  return Array.from({ length: TARGETS }, (_, i) => {
    const sub = i % SUBSCRIPTIONS;
    return {
      name: `bench-${i}`,
      tenantId: `00000000-0000-0000-0000-0000000000${sub % 2 ? 'b1' : 'a1'}`,
      subscriptionId: `00000000-0000-0000-0000-${(0x100 + sub).toString(16).padStart(12, '0')}`,
      resourceGroup: 'rg-bench',
      workspaceName: `law-bench-${i}`,
      location: 'westeurope',
      wave: 0,
    };
  });
}

function emulatorFor(targets: readonly Target[]): Promise<RemoteEmulator> {
  return startEmulatorProcess(emulatorConfigFor(targets, { faults: { seed: 11, throttle429: INJECTED_429 } }));
}

const poolFor = (emulator: RemoteEmulator) =>
  new ClientPool({ auth: 'emulator', endpoint: emulator.url, env: {}, retry: EMULATOR_RETRY, asyncPoll: EMULATOR_ASYNC_POLL, ...emulatorSignIn(emulator.url) });

const WATCHLIST_ITEMS = 10_000;

/** A watchlist of `n` addresses; `edit` changes rows before it is returned. */
function benchWatchlist(n: number, edit: (rows: Array<Record<string, string>>) => void = () => {}): WatchlistFile {
  const items = Array.from({ length: n }, (_, i) => ({ IPOrRange: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, Description: `egress ${i}` }));
  edit(items);
  return {
    kind: 'watchlist',
    watchlist: {
      alias: 'BenchAllowlist', displayName: 'Bench allowlist', description: 'Synthetic allowlist', provider: 'bench', source: 'bench.csv',
      itemsSearchKey: 'IPOrRange', columns: [{ name: 'IPOrRange', type: 'ipOrRange' }, { name: 'Description', type: 'string' }], items,
    },
    source: source('watchlists/BenchAllowlist.yaml'),
  };
}

/** Writes of a 10,000-item watchlist: the first deploy (bulk upload), then 3 changed and 1 removed row. */
export async function benchWatchlistWrites(print: (line: string) => void): Promise<void> {
  const [target] = benchTargets();
  const emulator = await startEmulatorProcess(emulatorConfigFor([target!], { pageSize: 1000 }));
  try {
    const settings = { pool: poolFor(emulator), repoName: REPO, prune: true, concurrency: 16, failureThreshold: 1 };
    const deploy = async (w: WatchlistFile) => {
      await emulator.resetStats();
      const run = await timed(() => rollout([resolveTarget({ rules: [], watchlists: [w], workbooks: [] }, target!, { repoName: REPO })], settings));
      const failed = run.value.targets.find((t) => t.status !== 'ok');
      if (failed) print(`  watchlist run failed: ${failed.error ?? failed.results.find((r) => r.error)?.error}`);
      return { seconds: run.seconds, writes: (await emulator.stats()).total.committedWrites };
    };
    const first = await deploy(benchWatchlist(WATCHLIST_ITEMS));
    print(`watchlist: ${WATCHLIST_ITEMS} items, first deploy: ${first.writes} writes (ownership record + one watchlist PUT with the rows as rawContent, its asynchronous upload waited for) in ${first.seconds.toFixed(1)} s; one PUT per item would be ${WATCHLIST_ITEMS + 2}`);
    const edited = await deploy(benchWatchlist(WATCHLIST_ITEMS, (rows) => {
      for (const i of [1, 2, 3]) rows[i]!.Description = `changed ${i}`;
      rows.splice(10, 1);
    }));
    print(`  3 rows changed + 1 removed: ${edited.writes} writes (3 item PUTs, 1 item DELETE, the ownership record) in ${edited.seconds.toFixed(1)} s`);
  } finally {
    await emulator.stop();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** The naive loop: one target after another, one PUT after another (ownership record, then rule). */
async function naive(resolved: readonly Resolved[], pool: ClientPool): Promise<void> {
  for (const r of resolved) {
    const ws = r.desired.workspace;
    const api = new WorkspaceApi(pool.get(ws.tenantId, ws.subscriptionId), ws);
    for (const item of r.desired.items) {
      const meta = metadataBody(item.type, item.name, item.version, ws, REPO, fingerprint(comparable(item.type, item.body)));
      await api.write({ method: 'PUT', type: 'metadata', name: metadataName(item.type, item.name), body: meta });
      await api.write({ method: 'PUT', type: item.type, name: item.name, body: item.body });
    }
  }
}

export async function benchDeploy(print: (line: string) => void): Promise<void> {
  const content: DeployContent = { rules: Array.from({ length: RULES }, (_, i) => benchRule(i)), watchlists: [], workbooks: [] };
  const targets = benchTargets();
  const resolved = targets.map((t) => resolveTarget(content, t, { repoName: REPO }));
  const writesPerSub = (TARGETS / SUBSCRIPTIONS) * RULES * 2;
  const bound = Math.max(0, writesPerSub - WRITE_BURST) / WRITE_REFILL;
  print(`deploy: ${TARGETS} targets × ${RULES} rules over ${SUBSCRIPTIONS} subscriptions, 2 writes per new rule (rule + ownership metadata), 1 per changed rule afterwards, ARM throttling + ${INJECTED_429 * 100}% injected 429`);
  print(`  bound set by the write bucket: ${writesPerSub} writes per subscription → (${writesPerSub} − ${WRITE_BURST} burst) ÷ ${WRITE_REFILL}/s = ${bound.toFixed(1)} s`);

  const emulator = await emulatorFor(targets);
  try {
    const pool = poolFor(emulator);
    const settings = { pool, repoName: REPO, prune: false, concurrency: 16, failureThreshold: 1 };
    const first = await timed(() => rollout(resolved, settings));
    const s1 = (await emulator.stats()).total;
    const failed = first.value.targets.filter((t) => t.status !== 'ok').length;
    print(`  plan+apply: ${first.seconds.toFixed(1)} s wall, ${s1.committedWrites} writes committed (${s1.writes} write requests incl. ${s1.throttled} bucket-throttled and ${s1.faults['429']} injected 429 retries), ${failed} failed target(s); ${(first.seconds / Math.max(bound, 0.001)).toFixed(2)}× the bound`);

    const firstFailure = first.value.targets.find((t) => t.status !== 'ok');
    if (firstFailure) print(`  first failure: ${firstFailure.target}: ${firstFailure.error ?? firstFailure.results.find((r) => r.error)?.error}`);
    await emulator.resetStats();
    const second = await timed(() => rollout(resolved, settings));
    const s2 = (await emulator.stats()).total;
    print(`  second run (unchanged repo): ${second.seconds.toFixed(1)} s, ${s2.writes} write(s), ${s2.reads} read(s)`);
    const writing = first.seconds - second.seconds;
    print(`  writing alone (first run minus the plan-only second run): ≈ ${writing.toFixed(1)} s = ${(writing / Math.max(bound, 0.001)).toFixed(2)}× the bound`);

    // Writes per changed object after the first deploy: a tenth of the rules change (severity, same version).
    const changedRules = Math.max(1, Math.round(RULES / 10));
    const changed: DeployContent = {
      ...content,
      rules: content.rules.map((r, i) => (i < changedRules ? { ...r, rule: { ...r.rule, severity: r.rule.severity === 'High' ? 'Low' : 'High' } } : r)),
    };
    const changedResolved = targets.map((t) => resolveTarget(changed, t, { repoName: REPO }));
    await emulator.resetStats();
    const third = await timed(() => rollout(changedResolved, settings));
    const s3 = (await emulator.stats()).total;
    const objects = changedRules * TARGETS;
    print(`  changed-rules run (${changedRules} of ${RULES} rules changed in each target = ${objects} changed objects): ${third.seconds.toFixed(1)} s, ${s3.committedWrites} writes committed → ${(s3.committedWrites / objects).toFixed(2)} write(s) per changed rule (the ownership record is rewritten only when it changes)`);

    // The naive loop is measured on one subscription's targets (its own emulator, fresh buckets) and
    // scaled by the number of subscriptions: sequential code pays each subscription's bucket in turn.
    const sample = resolved.filter((r) => r.desired.target.subscriptionId === targets[0]!.subscriptionId);
    const naiveEmulator = await emulatorFor(sample.map((r) => r.desired.target));
    try {
      const n = await timed(() => naive(sample, poolFor(naiveEmulator)));
      const ns = (await naiveEmulator.stats()).total;
      const extrapolated = n.seconds * SUBSCRIPTIONS;
      print(`  naive sequential loop (same SDK calls, one at a time): ${n.seconds.toFixed(1)} s for 1 subscription (${sample.length} targets, ${ns.committedWrites} writes) → ×${SUBSCRIPTIONS} subscriptions ≈ ${extrapolated.toFixed(0)} s`);
      print(`  speed-up vs naive: ${(extrapolated / first.seconds).toFixed(1)}×`);
    } finally {
      await naiveEmulator.stop();
    }
  } finally {
    await emulator.stop();
  }
  await benchWatchlistWrites(print);
}

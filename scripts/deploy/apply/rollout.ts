/**
 * Plan and apply over many targets: bounded concurrency per subscription, waves (lowest first =
 * canary; stop when a wave's failure rate passes the threshold), the plan-time etag in the body of
 * every update (the service's 409 for a stale one re-plans that one item and never overwrites
 * blindly; creates and deletes re-read first, see azure/arm.ts), a journal for resume, and a
 * per-target report. Retries of 429/503 (Retry-After) and 5xx/network errors are the SDK's own
 * retry policy, configured in clients.ts — not repeated here.
 */
import { fetchActual } from '../plan/actual.ts';
import { ChangedSincePlanError, WorkspaceApi } from '../azure/arm.ts';
import { AuthConfigError, type ClientPool } from '../azure/clients.ts';
import { diffFields, type FieldChange } from '../plan/diff.ts';
import { describeError, isCredentialUnavailable, statusOf } from '../azure/errors.ts';
import { MISSING_TABLE_ERROR, tablesMissingFrom, workspaceTables } from '../azure/workspace-schema.ts';
import { loadCatalogue } from '../../kusto/catalogue.ts';
import type { Journal } from './journal.ts';
import { KeyedLimiter } from './limiter.ts';
import type { ActualResource, Json } from '../desired/model.ts';
import { normaliseWatchlistItem } from '../desired/normalise.ts';
import { normaliseMetadata } from '../plan/ownership.ts';
import { comparable, planTarget, REPLACE_REASON, type PlannedChange, type TargetPlan, type Write } from '../plan/plan.ts';
import { planWrites } from '../../model/plan-counts.ts';
import type { Resolved } from '../desired/resolve.ts';
import { staleTargets, type SavedPlan } from '../plan/saved.ts';
import { type OwnerRef } from '../../model/identity.ts';

export interface RolloutSettings {
  pool: ClientPool;
  repoName: OwnerRef;
  prune: boolean;
  /** `--adopt`: take over items under the repo's names that have no ownership record (plan.ts `planAdopt`). */
  adopt?: boolean;
  /** Requests in flight per subscription. */
  concurrency: number;
  /** A wave whose failed-target fraction exceeds this stops the rollout (default 0: any failure). */
  failureThreshold: number;
  signal?: AbortSignal;
  journal?: Journal;
  onProgress?: (p: Progress) => void;
  /** Called with each wave's plans before they are applied (to print them). */
  onWavePlanned?: (wave: number, plans: TargetPlan[]) => void;
  /** Called as each target finishes (in completion order), before the wave ends. */
  onTargetDone?: (report: TargetReport) => void;
  /**
   * Apply exactly this reviewed plan: each target is re-planned right before its wave and written
   * only when the fresh plan equals the saved one; otherwise it fails as stale, nothing written.
   */
  expected?: Pick<SavedPlan, 'targets' | 'desired'>;
}

/** Where a rollout stands. `wave*` counts only the current wave; the rest counts the whole run. */
export interface Progress {
  wave: number;
  waveTargetsDone: number;
  waveTargetsTotal: number;
  targetsDone: number;
  targetsTotal: number;
  /** Writes made and writes planned so far in the run (later waves are planned when they start). */
  writesDone: number;
  writesPlanned: number;
  /** Failed targets in the run. */
  failures: number;
}

export type ChangeStatus = 'done' | 'failed' | 'conflict' | 'replanned' | 'skipped';

export interface ChangeResult {
  key: string;
  op: PlannedChange['op'];
  status: ChangeStatus;
  writes: number;
  error?: string;
  /** After a conflict (changed since plan): the item as it is now vs what the repo wants. */
  replanned?: FieldChange[];
  /** Fields the service did not keep after a write. */
  warnings?: string[];
}

export interface TargetReport {
  target: string;
  wave: number;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  status: 'ok' | 'failed' | 'skipped' | 'aborted';
  created: number;
  updated: number;
  /** Taken over by `--adopt` (record written, item updated where it differed). */
  adopted: number;
  deleted: number;
  unchanged: number;
  failed: number;
  writes: number;
  results: ChangeResult[];
  error?: string;
}

export interface RolloutReport {
  targets: TargetReport[];
  plans: TargetPlan[];
  writes: number;
  stopped?: string;
  aborted: boolean;
}

class Aborted extends Error {}

/** GET + plan for one target; planning errors become `plan.error` (one line). */
export async function planOne(resolved: Resolved, pool: ClientPool, limiter: KeyedLimiter, repoName: OwnerRef, prune: boolean, adopt = false): Promise<TargetPlan> {
  const { desired, problems, warnings } = resolved;
  const ws = desired.workspace;
  const empty = { alertRules: [], watchlists: [], watchlistItems: {}, workbooks: [], metadata: [], functions: [] };
  try {
    const clients = pool.get(ws.tenantId, ws.subscriptionId);
    const api = new WorkspaceApi(clients, ws);
    const actual = await fetchActual(api, desired, repoName, (fn) => limiter.run(ws.subscriptionId, fn), adopt);
    const plan = planTarget(desired, actual, { repoName, prune, adopt }, { problems, warnings });
    // A target with blocking problems is planned (to show them) but writes nothing.
    return problems.length ? { ...plan, changes: plan.changes.map((c) => ({ ...c, phases: [] })) } : plan;
  } catch (e) {
    if (e instanceof AuthConfigError) throw e; // configuration, not this target: the CLI exits 2
    // A missing sign-in is the environment's, not the target's: stop with one message, exit 2 on every verb.
    if (isCredentialUnavailable(e)) throw new AuthConfigError(describeError(e, ws, pool.settings.endpoint));
    const plan = planTarget(desired, empty, { repoName, prune, adopt }, { problems, warnings });
    return { ...plan, changes: [], error: describeError(e, ws, pool.settings.endpoint) };
  }
}

export async function planAll(targets: readonly Resolved[], settings: Pick<RolloutSettings, 'pool' | 'repoName' | 'prune' | 'adopt' | 'concurrency'>): Promise<TargetPlan[]> {
  const limiter = new KeyedLimiter(settings.concurrency);
  return Promise.all(targets.map((t) => planOne(t, settings.pool, limiter, settings.repoName, settings.prune, settings.adopt)));
}

/** Does what the service holds now equal what the write wanted? (after a conflict or ambiguous failure) */
function landed(w: Write, got: ActualResource | undefined): { ok: boolean; diff: FieldChange[] } {
  if (w.method === 'DELETE') return { ok: !got, diff: got ? [{ path: '(exists)', before: true, after: false }] : [] };
  if (!got) return { ok: false, diff: [{ path: '(exists)', before: false, after: true }] };
  const body: Json = { kind: got.kind, location: got.location, tags: got.tags, properties: got.properties };
  const [have, want] =
    w.type === 'metadata'
      ? [normaliseMetadata(body), normaliseMetadata(w.body!)]
      : w.type === 'watchlistItem'
        ? [normaliseWatchlistItem(body), w.verify]
        : [comparable(w.type, body), w.verify];
  const diff = diffFields(have, want);
  return { ok: diff.length === 0, diff };
}

class ReplannedError extends Error {
  readonly diff: FieldChange[];
  constructor(diff: FieldChange[]) {
    super(`changed since the plan (409 Conflict): re-planned, ${diff.length} field(s) now differ — not overwritten; run plan/apply again`);
    this.diff = diff;
  }
}

/**
 * The service's answer to a stale body etag is 409 Conflict (see the emulator README: the specs name
 * no status), and a create/delete that re-read the item found it changed. Only a write that carried
 * a plan-time precondition reads a 409 this way; other 409s (a duplicate workbook) stay errors.
 */
function changedSincePlan(w: Write, e: unknown): boolean {
  if (e instanceof ChangedSincePlanError) return true;
  return statusOf(e) === 409 && w.method === 'PUT' && w.etag !== undefined;
}

interface Counters {
  writes: number;
}

/** Runs one write; returns 1 (the write request sent; SDK retries are not counted here). */
async function execWrite(api: WorkspaceApi, w: Write, limiter: KeyedLimiter, counters: Counters, warnings: string[], signal?: AbortSignal): Promise<number> {
  if (signal?.aborted) throw new Aborted('aborted');
  const sub = api.ws.subscriptionId;
  try {
    const got = await limiter.run(sub, () => api.write(w));
    counters.writes++;
    if (w.verify && got) {
      const check = landed(w, got);
      if (!check.ok) warnings.push(`${w.type} ${w.name}: the service did not keep ${check.diff.map((d) => d.path).join(', ')}`);
    }
    return 1;
  } catch (e) {
    // An upload's outcome is its items, which no re-read of the watchlist shows: it fails (or is re-planned) as it is; the next plan sees what landed.
    if (w.upload && changedSincePlan(w, e)) throw new ReplannedError([{ path: `(upload of ${w.upload.rows.length} item(s))`, before: 'planned', after: 'not sent' }]);
    const ambiguous = (statusOf(e) ?? 0) >= 500 && !signal?.aborted && !w.upload;
    if (ambiguous) {
      // The SDK gave up on a 5xx: the write may have landed (applied, then answered 500). Re-read.
      const now = await limiter.run(sub, () => api.get(w.type, w.name, w.parent));
      if (landed(w, now).ok) {
        counters.writes++;
        return 1;
      }
      throw e;
    }
    if (!changedSincePlan(w, e)) throw e;
    if (!(e instanceof ChangedSincePlanError)) counters.writes++;
    // Someone (or our own earlier, ambiguous attempt) changed the item since it was read: re-plan it.
    const now = await limiter.run(sub, () => api.get(w.type, w.name, w.parent));
    const check = landed(w, now);
    if (!check.ok) throw new ReplannedError(check.diff);
    return e instanceof ChangedSincePlanError ? 0 : 1;
  }
}

/**
 * Azure's 400 for a rule reading a table the workspace lacks does not name the table: one line
 * naming rule, target and the missing table(s), found through the workspace's Tables API.
 */
async function missingTableMessage(api: WorkspaceApi, target: string, c: PlannedChange, e: unknown): Promise<string | undefined> {
  if (c.type !== 'alertRule' || statusOf(e) !== 400 || !MISSING_TABLE_ERROR.test((e as Error).message ?? '')) return undefined;
  const query = c.phases.flat().find((w) => w.type === 'alertRule')?.body?.['properties'] as Json | undefined;
  let missing: string[] = [];
  try {
    const existing = new Set((await workspaceTables(api.clients, api.ws)).keys());
    missing = tablesMissingFrom(String(query?.['query'] ?? ''), existing, new Set(loadCatalogue().keys()));
  } catch {
    // The Tables API is unavailable: the message names no table.
  }
  const what = missing.length ? `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist there` : 'a table its query reads does not exist there';
  const service = `(HTTP 400 BadRequest: ${(e as Error).message.split('\n')[0]})`;
  return `Azure rejects rule ${c.name} (${c.displayName}) in ${target}: ${what} ${service}; enable its connector or disable the rule for this target`;
}

/** Attempts of the create in a replacement (each with the SDK's own retries) before restoring. */
export const RECREATE_ATTEMPTS = 3;

/**
 * A replacement (kind change): delete, then create with the same id. The create is retried; when it
 * still fails, the item as read at plan time is put back, so the workspace never stays without it.
 * The journal records the item while it is missing.
 */
async function applyReplace(api: WorkspaceApi, target: string, c: PlannedChange, limiter: KeyedLimiter, counters: Counters, warnings: string[], result: ChangeResult, journal?: Journal, signal?: AbortSignal): Promise<void> {
  const [del, create, ...rest] = c.phases;
  await journal?.replacing(target, c.key, true);
  for (const w of del ?? []) result.writes += await execWrite(api, w, limiter, counters, warnings, signal);
  let failure: unknown;
  for (let attempt = 0; attempt < RECREATE_ATTEMPTS; attempt++) {
    try {
      for (const w of create ?? []) result.writes += await execWrite(api, w, limiter, counters, warnings, signal);
      failure = undefined;
      break;
    } catch (e) {
      failure = e;
      if (e instanceof Aborted || signal?.aborted || e instanceof ReplannedError) break;
    }
  }
  if (failure !== undefined) {
    const why = describeError(failure, api.ws, api.clients.endpoint);
    if (!c.restore || failure instanceof ReplannedError) throw failure;
    try {
      result.writes += await execWrite(api, c.restore, limiter, counters, warnings);
    } catch (e) {
      throw new Error(`replacing ${c.name} failed (${why}) and restoring its previous version failed too (${describeError(e, api.ws, api.clients.endpoint)}): the rule is not in the workspace; run apply again (the journal records it)`);
    }
    await journal?.replacing(target, c.key, false);
    throw new Error(`replacing ${c.name} (${c.reason ?? REPLACE_REASON}) failed: ${why} — its previous version was put back, nothing lost`);
  }
  await journal?.replacing(target, c.key, false);
  for (const phase of rest) {
    const done = await Promise.allSettled(phase.map((w) => execWrite(api, w, limiter, counters, warnings, signal)));
    for (const d of done) if (d.status === 'fulfilled') result.writes += d.value;
    const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

async function applyChange(api: WorkspaceApi, target: string, c: PlannedChange, limiter: KeyedLimiter, counters: Counters, signal?: AbortSignal, journal?: Journal): Promise<ChangeResult> {
  const result: ChangeResult = { key: c.key, op: c.op, status: 'done', writes: 0 };
  if (c.op === 'conflict') return { ...result, status: 'conflict', error: c.reason ?? 'not managed by this repo' };
  const warnings: string[] = [];
  try {
    if (c.op === 'replace') await applyReplace(api, target, c, limiter, counters, warnings, result, journal, signal);
    else for (const phase of c.phases) {
      const done = await Promise.allSettled(phase.map((w) => execWrite(api, w, limiter, counters, warnings, signal)));
      for (const d of done) if (d.status === 'fulfilled') result.writes += d.value;
      const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (e) {
    // A write cancelled in flight may or may not have landed: resuming re-plans it (idempotent).
    if (e instanceof Aborted || signal?.aborted) return { ...result, status: 'skipped', error: 'aborted' };
    if (e instanceof ReplannedError) return { ...result, status: 'replanned', error: e.message, replanned: e.diff };
    return { ...result, status: 'failed', error: (await missingTableMessage(api, target, c, e)) ?? describeError(e, api.ws, api.clients.endpoint) };
  }
  if (warnings.length) result.warnings = warnings;
  return result;
}

/**
 * The order of one target's changes: functions are created or updated before the rules (and
 * workbooks) that call them — Azure checks a rule's query against the workspace on PUT — and
 * deleted only after them. Changes within a stage run concurrently.
 */
export function applyStages(work: readonly PlannedChange[]): PlannedChange[][] {
  const isFn = (c: PlannedChange) => c.type === 'function';
  return [
    work.filter((c) => isFn(c) && c.op !== 'delete'),
    work.filter((c) => !isFn(c)),
    work.filter((c) => isFn(c) && c.op === 'delete'),
  ].filter((s) => s.length);
}

type TargetIdentity = Pick<TargetPlan, 'target' | 'wave' | 'tenantId' | 'subscriptionId' | 'resourceGroup' | 'workspaceName'>;

function emptyReport(p: TargetIdentity, status: TargetReport['status'], error?: string, unchanged = 0): TargetReport {
  return {
    target: p.target, wave: p.wave, tenantId: p.tenantId, subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, workspaceName: p.workspaceName, status,
    created: 0, updated: 0, adopted: 0, deleted: 0, unchanged, failed: 0, writes: 0, results: [],
    ...(error ? { error } : {}),
  };
}

const identityOf = ({ desired: { target: t } }: Resolved): TargetIdentity => ({
  target: t.name, wave: t.wave, tenantId: t.tenantId, subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspaceName: t.workspaceName,
});

/** First error of a target report, for the journal. */
const firstError = (r: TargetReport): string | undefined => r.error ?? r.results.find((x) => x.error)?.error;

export async function applyTargetPlan(p: TargetPlan, settings: RolloutSettings, limiter: KeyedLimiter, counters: Counters, progress: () => void): Promise<TargetReport> {
  if (p.error) return { ...emptyReport(p, 'failed', p.error), failed: 1 };
  if (p.problems.length) return { ...emptyReport(p, 'failed', p.problems[0]), failed: p.problems.length };
  const unchanged = p.changes.filter((c) => c.op === 'noop').length;
  const ws = { tenantId: p.tenantId, subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, workspaceName: p.workspaceName, location: '' };
  const api = new WorkspaceApi(settings.pool.get(p.tenantId, p.subscriptionId), ws);
  const report = emptyReport(p, 'ok', undefined, unchanged);
  const work = p.changes.filter((c) => c.op !== 'noop' && c.op !== 'retain');
  report.results = [];
  for (const stage of applyStages(work)) {
    report.results.push(...(await Promise.all(
      stage.map(async (c) => {
        const r = await applyChange(api, p.target, c, limiter, counters, settings.signal, settings.journal);
        progress();
        return r;
      }),
    )));
  }
  for (const r of report.results) {
    if (r.status === 'done') {
      if (r.op === 'create') report.created++;
      else if (r.op === 'update' || r.op === 'replace') report.updated++;
      else if (r.op === 'adopt') report.adopted++;
      else if (r.op === 'delete') report.deleted++;
    } else if (r.status !== 'skipped') report.failed++;
  }
  report.writes = report.results.reduce((n, r) => n + r.writes, 0);
  if (report.results.some((r) => r.status === 'skipped')) report.status = 'aborted';
  else if (report.failed) report.status = 'failed';
  return report;
}

/**
 * Plans and applies wave by wave. Targets the journal records as done (a resumed run) are skipped;
 * everything else is re-planned, so a half-applied target only gets what is still missing.
 */
export async function rollout(targets: readonly Resolved[], settings: RolloutSettings): Promise<RolloutReport> {
  const skipDone = new Set(Object.entries(settings.journal?.data.targets ?? {}).filter(([, t]) => t.status === 'done').map(([n]) => n));
  const limiter = new KeyedLimiter(settings.concurrency);
  const counters: Counters = { writes: 0 };
  const waves = [...new Set(targets.map((t) => t.desired.target.wave))].sort((a, b) => a - b);
  const report: RolloutReport = { targets: [], plans: [], writes: 0, aborted: false };
  const total = targets.length;
  let done = 0;
  let failures = 0;
  let writesPlanned = 0;
  let currentWave = waves[0] ?? 0;
  let waveDone = 0;
  let waveTotal = 0;
  const progress = () =>
    settings.onProgress?.({
      wave: currentWave, waveTargetsDone: waveDone, waveTargetsTotal: waveTotal,
      targetsDone: done, targetsTotal: total, writesDone: counters.writes, writesPlanned, failures,
    });

  for (const wave of waves) {
    currentWave = wave;
    const inWave = targets.filter((t) => t.desired.target.wave === wave);
    const todo = inWave.filter((t) => !skipDone.has(t.desired.target.name));
    done += inWave.length - todo.length;
    waveTotal = inWave.length;
    waveDone = inWave.length - todo.length;
    if (report.stopped || settings.signal?.aborted) {
      for (const t of todo) {
        report.targets.push(emptyReport(identityOf(t), 'skipped', report.stopped ?? 'aborted'));
        settings.journal?.setTarget(t.desired.target.name, 'skipped');
      }
      continue;
    }
    const plans = await Promise.all(todo.map((t) => planOne(t, settings.pool, limiter, settings.repoName, settings.prune, settings.adopt)));
    const stale = new Map<string, string>();
    if (settings.expected) {
      for (const [target, why] of staleTargets(settings.expected, plans, todo)) {
        stale.set(target, `stale plan: ${why} — nothing written to this target; run plan again and review it`);
      }
    }
    report.plans.push(...plans);
    writesPlanned += plans.reduce((n, p) => n + planWrites(p), 0);
    settings.onWavePlanned?.(wave, plans);
    progress();
    const reports = await Promise.all(
      plans.map(async (p) => {
        const staleWhy = stale.get(p.target);
        if (!staleWhy) settings.journal?.setTarget(p.target, 'applying');
        const r = staleWhy ? emptyReport(p, 'failed', staleWhy) : await applyTargetPlan(p, settings, limiter, counters, progress);
        done++;
        waveDone++;
        if (r.status === 'failed') failures++;
        const error = firstError(r);
        settings.journal?.setTarget(p.target, r.status === 'ok' ? 'done' : r.status === 'aborted' ? 'pending' : r.status, {
          writes: r.writes,
          ...(error ? { error } : {}),
        });
        settings.onTargetDone?.(r);
        progress();
        return r;
      }),
    );
    report.targets.push(...reports);
    if (reports.some((r) => r.status === 'aborted') || settings.signal?.aborted) {
      report.aborted = true;
      continue;
    }
    const failed = reports.filter((r) => r.status === 'failed').length;
    if (todo.length && failed / todo.length > settings.failureThreshold) {
      report.stopped = `wave ${wave}: ${failed} of ${todo.length} target(s) failed (threshold ${Math.round(settings.failureThreshold * 100)}%) — later waves not deployed`;
    }
  }
  report.writes = counters.writes;
  if (settings.journal) {
    await settings.journal.finish(report.aborted ? 'aborted' : report.stopped ? 'stopped' : report.targets.some((t) => t.status !== 'ok') ? 'stopped' : 'completed', report.stopped);
  }
  return report;
}

/**
 * CLI verbs of the deploy stage: `plan`, `apply`, `drift` and `demo` (the `npm start` main job).
 * Wiring only: content loading, target selection, the embedded emulator and printing; the logic
 * lives in resolve / plan / rollout / render.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type CliContext, type Command, type VerbContext, type VerbHandler, type VerbInput } from './context.ts';
import { verbCommand } from './main.ts';
import { repoIdentityOf } from './identity.ts';
import { refuseContentErrors } from './content-errors.ts';
import { REPO_CONFIG_FILE, describeOwner, ownerOf, type OwnerRef } from '../model/identity.ts';
import { loadRepo } from '../content/load.ts';
import { functionErrors } from '../validate/function-checks.ts';
import type { Repo, Target, TargetFile } from '../model/types.ts';
import { DEFAULT_CLIENT, startEmulator, type EmulatorConfig, type EmulatorHandle } from '../emulator/index.ts';
import { workspacesOf } from './emulator.ts';
import { appendStepSummary } from '../render/github.ts';
import { deployFlags, type DeployFlags } from './deploy-args.ts';
import { AuthConfigError, AZURE_ENDPOINT, AZURE_RETRY, ClientPool, EMULATOR_RETRY, type ClientSettings } from '../deploy/azure/clients.ts';
import { AZURE_ASYNC_POLL, EMULATOR_ASYNC_POLL } from '../deploy/azure/async-operation.ts';
import { LoopbackClientSecretCredential } from '../deploy/azure/loopback-auth.ts';
import { Journal, newRunId } from '../deploy/apply/journal.ts';
import { describeError, isCredentialUnavailable } from '../deploy/azure/errors.ts';
import { acquireAll, describeHolder, LeaseAccessError, LeaseHeldError, releaseAll, type Lease } from '../deploy/apply/lease.ts';
import { WorkspaceApi } from '../deploy/azure/arm.ts';
import type { TargetPlan } from '../deploy/plan/plan.ts';
import { countPlan } from '../model/plan-counts.ts';
import { renderPlan, renderPlanMarkdown, renderPlanText } from '../render/plan.ts';
import { renderDrift, renderReport } from '../render/deploy-report.ts';
import { resolveTarget, type Resolved } from '../deploy/desired/resolve.ts';
import { lighthouseWatchlistProblem } from '../deploy/desired/lighthouse.ts';
import { planAll, rollout, type RolloutReport } from '../deploy/apply/rollout.ts';
import { colorEnabled } from '../render/style.ts';
import { progressReporter } from './progress.ts';
import { describeShift, matchesAnyGlob, movedRules, rulePlace, selectorShifts } from '../model/select.ts';
import { contentAtRef, GitError, headCommit, resolveRef } from '../content/git.ts';
import { desiredDigest, makeSavedPlan, parseSavedPlan, repoStaleness, SavedPlanError, staleTargets, type SavedPlan } from '../deploy/plan/saved.ts';
import { loadWorkspaceSchemas } from '../content/workspace-schemas.ts';
import { querySites } from '../content/query-sites.ts';
import { createKqlAnalyzer } from '../validate/kql/analyzer.ts';
import { kqlSchemaOf, runKql } from '../validate/kql-checks.ts';
import { contentFunctionAliases, missingInWorkspaces, withPulledFunctions, workspaceProblems } from '../validate/workspace-checks.ts';

/** The repository identity (identity.ts), re-exported for the verbs that take it from here. */
export { repoIdentityOf };

/**
 * The pulled-schema check before any request: a rule reading a table or function that a target's
 * pulled schema (schemas/workspaces/<target>.json) lacks is a blocking problem of that target
 * (Azure would reject it with 400), or with `apply --force` a warning. No pulled schema: nothing to add.
 */
async function checkPulledSchemas(root: string, repo: Repo, resolved: Resolved[], force: boolean): Promise<void> {
  const schemas = await loadWorkspaceSchemas(root);
  const names = new Set(resolved.map((r) => r.desired.target.name));
  if (![...schemas.byTarget.keys()].some((t) => names.has(t))) return;
  const sites = querySites({ rules: repo.rules, workbooks: [] });
  const analyzer = createKqlAnalyzer(withPulledFunctions(kqlSchemaOf(repo), schemas), { cacheDir: join(root, '.sentinel', 'cache', 'kql') });
  const kql = await runKql(analyzer, sites, 2);
  const targets = repo.targets.filter((t) => names.has(t.target.name));
  const problems = workspaceProblems(missingInWorkspaces({ rules: repo.rules, targets }, kql.byRuleFile, schemas, { contentFunctions: contentFunctionAliases(repo) }));
  for (const r of resolved) {
    const lines = problems.get(r.desired.target.name) ?? [];
    if (force) r.warnings.push(...lines.map((l) => `${l} (--force: deploying anyway)`));
    else r.problems.push(...lines);
  }
}

/**
 * The template's own identity may deploy only to an emulator: a repository made from the template
 * that kept it would share ownership with every other such repository.
 */
function refuseTemplateIdentity(owner: OwnerRef, flags: Pick<DeployFlags, 'auth'>): void {
  if (typeof owner !== 'string' && owner.template && flags.auth !== 'emulator') {
    throw new UsageError(`${REPO_CONFIG_FILE} still holds the template's identity (template: true): run \`sentinel init --force\` once in this repository and commit ${REPO_CONFIG_FILE} before deploying to Azure`);
  }
}

/** The emulator topology that holds every target's workspace. */
export function emulatorConfigFor(targets: readonly Target[], extra: EmulatorConfig = {}): EmulatorConfig {
  return { ...extra, workspaces: workspacesOf(targets) };
}

export function selectTargets(repo: Repo, flags: Pick<DeployFlags, 'targets' | 'wave'>): TargetFile[] {
  const all = repo.targets;
  if (!all.length) throw new UsageError('no targets: add targets/<name>.yaml (see targets/ examples and docs/deploy.md)');
  const chosen = all.filter(
    (t) =>
      (!flags.targets.length || flags.targets.some((g) => matchesAnyGlob(g, [t.target.name, t.source.file]))) &&
      (flags.wave === undefined || t.target.wave === flags.wave),
  );
  if (!chosen.length) {
    throw new UsageError(`no target matches ${flags.targets.join(', ') || '(all)'}${flags.wave !== undefined ? ` in wave ${flags.wave}` : ''}; targets: ${all.map((t) => t.target.name).join(', ')}`);
  }
  return chosen;
}

interface Session {
  repo: Repo;
  /** The repository identity every ownership record and lease carries. */
  repoName: OwnerRef;
  resolved: Resolved[];
  pool: ClientPool;
  emulator?: EmulatorHandle;
  /** Aborted on Ctrl-C or when the run's --timeout passes; linked into every ARM request. */
  signal: AbortSignal;
  /** Whether `signal` fired because --timeout passed (not Ctrl-C). */
  timedOut(): boolean;
}

/** The run's signal: the CLI's Ctrl-C signal and, with --timeout, a deadline for the whole run. */
function runSignal(flags: DeployFlags, ctx: CliContext): Pick<Session, 'signal' | 'timedOut'> {
  const deadline = flags.timeoutMs ? AbortSignal.timeout(flags.timeoutMs) : undefined;
  const signals = [ctx.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 1 ? signals[0]! : signals.length ? AbortSignal.any(signals) : new AbortController().signal;
  // Every in-flight request (and upload wait) listens to it, so more than Node's default 10 is normal, not a leak.
  setMaxListeners(0, signal);
  return { signal, timedOut: () => Boolean(deadline?.aborted) && !ctx.signal?.aborted };
}

/** Loads the content, refuses to deploy content with errors, resolves targets and makes clients. */
async function openSession(flags: DeployFlags, ctx: CliContext, selection: Pick<DeployFlags, 'targets' | 'wave'> = flags): Promise<Session | number> {
  const repo = await loadRepo(ctx.root);
  // Functions are deployed before the rules that call them: one that does not analyse cleanly stops the run here.
  const errors = [...repo.diagnostics.filter((d) => d.severity === 'error'), ...(await functionErrors(repo))];
  if (refuseContentErrors(errors, ctx, 'deployed')) return 1;
  const chosen = selectTargets(repo, selection);
  const repoName = await repoIdentityOf(ctx.root, flags.repoName);
  refuseTemplateIdentity(repoName, flags);
  const resolved = chosen.map((t) => resolveTarget(repo, t.target, { repoName, file: t.source.file }));
  await checkPulledSchemas(ctx.root, repo, resolved, flags.force);
  let emulator: EmulatorHandle | undefined;
  if (flags.emulator) emulator = await startEmulator(emulatorConfigFor(repo.targets.map((t) => t.target)));
  const run = runSignal(flags, ctx);
  const pool = clientPoolFor(flags, ctx, emulator?.url, run.signal);
  // Watchlists through an Azure Lighthouse delegation are refused before any write.
  for (const r of resolved) {
    const problem = lighthouseWatchlistProblem(r, pool.settings.authTenantId);
    if (problem) r.problems.push(problem);
  }
  return { repo, repoName, resolved, pool, ...run, ...(emulator ? { emulator } : {}) };
}

/** SDK clients as the flags and environment ask: endpoint, auth mode, Lighthouse managing tenant. */
export function clientPoolFor(flags: DeployFlags, ctx: CliContext, emulatorUrl?: string, signal?: AbortSignal): ClientPool {
  const endpoint = emulatorUrl ?? flags.endpoint ?? AZURE_ENDPOINT;
  const authTenantId = flags.authTenant ?? (ctx.env.SENTINEL_AUTH_TENANT_ID || undefined);
  return new ClientPool({
    auth: flags.auth, endpoint, env: ctx.env, retry: flags.auth === 'emulator' ? EMULATOR_RETRY : AZURE_RETRY,
    ...(flags.auth === 'emulator' ? emulatorSignIn(endpoint) : {}),
    ...(authTenantId ? { authTenantId } : {}),
    ...(flags.requestTimeoutMs ? { requestTimeoutMs: flags.requestTimeoutMs } : {}),
    asyncPoll: { ...(flags.auth === 'emulator' ? EMULATOR_ASYNC_POLL : AZURE_ASYNC_POLL), ...(flags.uploadTimeoutMs ? { timeoutMs: flags.uploadTimeoutMs } : {}) },
    ...(signal ? { signal } : {}),
  });
}

/**
 * `--auth emulator`: sign in to the emulator at `endpoint` with its well-known local client (loopback
 * only, like Azurite's well-known key). The emulator's public values wired into deploy's generic
 * loopback client-credentials credential.
 */
export function emulatorSignIn(endpoint: string): Pick<ClientSettings, 'credentialFor'> {
  return { credentialFor: (tenantId) => new LoopbackClientSecretCredential({ url: endpoint, tenantId, ...DEFAULT_CLIENT }) };
}

/** Runs `body` with a session of the parsed flags (see runInSession). */
function withSession(input: VerbInput, ctx: CliContext, body: (s: Session, flags: DeployFlags) => Promise<number>): Promise<number> {
  const flags = deployFlags(input);
  return runInSession(flags, ctx, flags, body);
}

/**
 * Runs `body` with a session; always stops the embedded emulator. Credential configuration
 * problems (AuthConfigError) reach the CLI's one error handler: one line, exit 2.
 */
async function runInSession(
  flags: DeployFlags, ctx: CliContext, selection: Pick<DeployFlags, 'targets' | 'wave'>, body: (s: Session, flags: DeployFlags) => Promise<number>,
): Promise<number> {
  const session = await openSession(flags, ctx, selection);
  if (typeof session === 'number') return session;
  try {
    return await body(session, flags);
  } finally {
    await session.emulator?.stop();
  }
}

function planExit(plans: readonly TargetPlan[]): number {
  return plans.some((p) => p.error || p.problems.length) ? 1 : 0;
}

function printErrors(plans: readonly TargetPlan[], ctx: CliContext): void {
  for (const p of plans) if (p.error) ctx.err(`${p.target}: ${p.error}`);
}

export const runPlan: VerbHandler = (input, ctx) =>
  withSession(input, ctx, async (s, flags) => {
    const base = (input.opts as { base?: string }).base;
    // Resolved before any request, so an unknown ref is a usage error with nothing read from Azure.
    const moves = base ? await movedRuleLines(ctx.root, base, s.repo, s.resolved.map((r) => r.desired.target.name)) : [];
    const plans = await planAll(s.resolved, { pool: s.pool, repoName: s.repoName, prune: flags.prune, adopt: flags.adopt, concurrency: flags.concurrency });
    if (flags.format === 'text') ctx.out(`repository: ${describeOwner(s.repoName)}`);
    ctx.out(renderPlan(plans, flags.format, { color: colorEnabled(ctx.env, ctx.isTTY) }));
    // The text and Markdown reports get the lines; JSON keeps stdout one document (the lines go to stderr).
    if (moves.length && flags.format === 'markdown') ctx.out(['', `**Rules moved since ${base}:**`, '', ...moves.map((l) => `- ${l.trim()}`)].join('\n'));
    else if (moves.length) (flags.format === 'text' ? ctx.out : ctx.err)(['', `Rules moved since ${base}:`, ...moves].join('\n'));
    await appendStepSummary(ctx.env, renderPlanMarkdown(plans), ctx.err);
    printErrors(plans, ctx);
    if (flags.out) {
      const saved = makeSavedPlan(plans, s.resolved, {
        repoName: ownerOf(s.repoName).id, commit: await headCommit(ctx.root), targets: flags.targets, wave: flags.wave, prune: flags.prune, adopt: flags.adopt,
      });
      await savePlan(flags.out, saved);
      ctx.err(`plan saved to ${flags.out}: \`sentinel apply ${flags.out}\` applies exactly it`);
    }
    const code = planExit(plans);
    return code === 0 && flags.detailedExitcode && countPlan(plans).writes > 0 ? 2 : code;
  });

/**
 * One line per target where a rule moved since `base` (same id, another area or file name) is
 * matched or no longer matched by a `disableRules` / `overrides` selector (model/select.ts, the same
 * shifts `validate --base` reports).
 */
async function movedRuleLines(root: string, base: string, repo: Repo, targets: readonly string[]): Promise<string[]> {
  let baseRepo;
  try {
    baseRepo = await loadRepo(root, { files: await contentAtRef(root, await resolveRef(root, base)) });
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`--base: ${e.message}`);
    throw e;
  }
  const names = new Set(targets);
  const lines: string[] = [];
  for (const { before, after } of movedRules(repo.rules, baseRepo.rules)) {
    for (const tf of repo.targets.filter((t) => names.has(t.target.name))) {
      const shifts = selectorShifts(before, after, tf.target);
      if (shifts.length) lines.push(`  ${tf.target.name}: ${rulePlace(before)} → ${rulePlace(after)}: ${shifts.map(describeShift).join('; ')}`);
    }
  }
  return lines;
}

async function savePlan(file: string, saved: SavedPlan): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeFile(resolve(file), JSON.stringify(saved, null, 2) + '\n');
}

async function readSavedPlan(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the plan file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); make one with \`sentinel plan --out ${file}\``);
  }
  try {
    return parseSavedPlan(text, file);
  } catch (e) {
    if (e instanceof SavedPlanError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The rollout. Ctrl-C or the run's --timeout (the session's signal) stops new writes and cancels
 * the in-flight ones at once; the journal stays resumable.
 */
async function rollOut(s: Session, flags: DeployFlags, ctx: VerbContext, journal: Journal, expected?: Pick<SavedPlan, 'targets' | 'desired'>): Promise<RolloutReport> {
  const progress = progressReporter(ctx);
  const style = { color: colorEnabled(ctx.env, ctx.isTTY) };
  const onAbort = () =>
    ctx.err(`\n${s.timedOut() ? `--timeout reached` : 'interrupted'}: cancelling in-flight requests; resume with \`sentinel apply --resume ${journal.data.runId}\``);
  s.signal.addEventListener('abort', onAbort, { once: true });
  let legend = true;
  try {
    return await rollout(
      s.resolved,
      {
        pool: s.pool, repoName: s.repoName, prune: flags.prune, adopt: flags.adopt, concurrency: flags.concurrency, failureThreshold: flags.failureThreshold,
        signal: s.signal, journal,
        ...(expected ? { expected } : {}),
        onProgress: (p) => progress.onProgress(p),
        onTargetDone: (r) => progress.onTargetDone(r),
        onWavePlanned: (wave, plans) => {
          if (flags.format !== 'text') return;
          progress.clear();
          ctx.out(`── wave ${wave} ──\n${renderPlanText(plans, { style, legend })}\n`);
          legend = false;
        },
      },
    );
  } finally {
    s.signal.removeEventListener('abort', onAbort);
    progress.stop();
  }
}

export const runApply: VerbHandler = async (input, ctx) => {
  const flags = deployFlags(input);
  if (flags.dryRun) {
    ctx.err('dry run: planning only, nothing is written');
    return runPlan(input, ctx);
  }
  const planFile = input.operands[0];
  if (planFile) return applySavedPlan(planFile, input, flags, ctx);
  if (!flags.yes && !ctx.confirm) {
    throw new UsageError('apply asks before writing, and this is not a terminal: pass --yes, or apply a reviewed plan (`sentinel plan --out plan.json`, then `sentinel apply plan.json`)');
  }
  let journal: Journal | undefined;
  let selection: Pick<DeployFlags, 'targets' | 'wave'> = flags;
  if (flags.resume) {
    journal = await Journal.latestUnfinished(ctx.root, flags.resumeRun, (m) => ctx.err(m));
    if (!journal) throw new UsageError(`nothing to resume: no unfinished journal in .sentinel/journal/${flags.resumeRun ? ` named ${flags.resumeRun}` : ''}`);
    selection = { targets: journal.data.options.targets, ...(journal.data.options.wave !== undefined ? { wave: journal.data.options.wave } : {}) };
    flags.prune = journal.data.options.prune;
    flags.adopt = journal.data.options.adopt ?? false;
    const done = Object.values(journal.data.targets).filter((t) => t.status === 'done').length;
    journal.data.status = 'running';
    ctx.err(`resuming run ${journal.data.runId}: ${done} target(s) already done`);
  }
  return runInSession(flags, ctx, selection, async (session) => {
    let expected: Pick<SavedPlan, 'targets' | 'desired'> | undefined;
    if (!flags.yes) {
      // Plan everything, show it, ask; then apply exactly what was shown.
      const plans = await planAll(session.resolved, { pool: session.pool, repoName: session.repoName, prune: flags.prune, adopt: flags.adopt, concurrency: flags.concurrency });
      ctx.out(renderPlanText(plans, { style: { color: colorEnabled(ctx.env, ctx.isTTY) }, legend: true }));
      printErrors(plans, ctx);
      if (countPlan(plans).writes === 0) {
        ctx.out('Nothing to apply.');
        return planExit(plans);
      }
      if (!(await ctx.confirm!(`Apply these changes to ${plans.length} target(s)?`))) {
        ctx.err('apply cancelled: nothing written');
        return 1;
      }
      expected = { targets: plans, desired: Object.fromEntries(session.resolved.map((r) => [r.desired.target.name, desiredDigest(r)])) };
    }
    return finishApply(session, flags, ctx, journal, expected);
  });
};

/** `apply <plan-file>`: the saved plan's selection, refused whole when stale before any write. */
async function applySavedPlan(planFile: string, input: VerbInput, flags: DeployFlags, ctx: VerbContext): Promise<number> {
  for (const f of ['targets', 'wave', 'prune', 'adopt', 'resume']) {
    if (input.given(f)) throw new UsageError(`--${f} cannot be combined with a plan file: the saved plan carries its own selection`, true);
  }
  const saved = await readSavedPlan(planFile);
  const repoStale = repoStaleness(saved, await headCommit(ctx.root));
  if (repoStale) {
    ctx.err(`${planFile} is stale: ${repoStale}; nothing deployed`);
    return 1;
  }
  flags.prune = saved.selection.prune;
  flags.adopt = saved.selection.adopt ?? false;
  flags.targets = saved.selection.targets;
  if (saved.selection.wave !== null) flags.wave = saved.selection.wave;
  const selection = { targets: saved.selection.targets, ...(saved.selection.wave !== null ? { wave: saved.selection.wave } : {}) };
  return runInSession(flags, ctx, selection, async (session) => {
    if (ownerOf(session.repoName).id !== saved.repo.name) {
      ctx.err(`${planFile} was made for repo "${saved.repo.name}", this is ${describeOwner(session.repoName)}: nothing deployed`);
      return 1;
    }
    const fresh = await planAll(session.resolved, { pool: session.pool, repoName: session.repoName, prune: flags.prune, adopt: flags.adopt, concurrency: flags.concurrency });
    const stale = [...staleTargets(saved, fresh, session.resolved)].map(([target, why]) => `${target}: ${why}`);
    if (stale.length) {
      for (const line of stale) ctx.err(`  ${line}`);
      ctx.err(`${planFile} is stale for ${stale.length} target(s): nothing deployed — plan again (\`sentinel plan --out ${planFile}\`) and review the new plan`);
      return 1;
    }
    ctx.err(`applying ${planFile} (made ${saved.createdAt}${saved.repo.commit ? ` at ${saved.repo.commit.slice(0, 12)}` : ''})`);
    return finishApply(session, flags, ctx, undefined, saved);
  });
}

/**
 * Takes the workspace lease of every target (deploy/apply/lease.ts) before the first write; a
 * lease another run holds is waited for (--lock-wait), then the run stops naming the holder. The
 * lease is taken with the run's clients (Ctrl-C or --timeout cancels the wait) and renewed and
 * released through clients outside the run's abort signal, so it is released even after Ctrl-C.
 */
async function takeLeases(session: Session, flags: DeployFlags, ctx: VerbContext, runId: string, resume: boolean): Promise<Lease[] | number> {
  const pool = session.pool;
  const keepPool = clientPoolFor(flags, ctx, session.emulator?.url);
  const apisOf = (p: ClientPool) => session.resolved.map((r) => new WorkspaceApi(p.get(r.desired.target.tenantId, r.desired.target.subscriptionId), r.desired.workspace));
  try {
    return await acquireAll(apisOf(pool), {
      runId, owner: session.repoName, ttlMs: flags.lockTtlMs, waitMs: flags.lockWaitMs, resume, signal: session.signal,
      onWait: (h) => ctx.err(`waiting up to ${Math.round(flags.lockWaitMs / 1000)} s for the workspace lease held by ${describeHolder(h)}`),
    }, apisOf(keepPool));
  } catch (e) {
    if (e instanceof LeaseHeldError) {
      ctx.err(e.message);
      return 1;
    }
    if (e instanceof LeaseAccessError) {
      const line = describeError(e.cause, e.ws, pool.settings.endpoint);
      // No sign-in is a configuration problem of the run (exit 2, one line), as when planning.
      if (isCredentialUnavailable(e.cause)) throw new AuthConfigError(line);
      ctx.err(`could not take the workspace lease: ${line}; nothing written`);
      return 1;
    }
    if (session.signal.aborted) {
      ctx.err(`${session.timedOut() ? '--timeout reached' : 'interrupted'} while waiting for a workspace lease: nothing written`);
      return session.timedOut() ? 1 : 130;
    }
    throw e;
  }
}

async function finishApply(session: Session, flags: DeployFlags, ctx: VerbContext, journal: Journal | undefined, expected?: Pick<SavedPlan, 'targets' | 'desired'>): Promise<number> {
  const names = session.resolved.map((r) => ({ name: r.desired.target.name, wave: r.desired.target.wave }));
  const runId = journal?.data.runId ?? newRunId();
  // The lease first: a run that never got it leaves no journal to resume.
  const leases = await takeLeases(session, flags, ctx, runId, journal !== undefined);
  if (typeof leases === 'number') return leases;
  try {
    journal ??= await Journal.create(ctx.root, runId, { targets: names.map((n) => n.name), prune: flags.prune, ...(flags.adopt ? { adopt: true } : {}), ...(flags.wave !== undefined ? { wave: flags.wave } : {}) }, names, {
      keep: flags.journalKeep, onProblem: (m) => ctx.err(m),
    });
    const report = await rollOut(session, flags, ctx, journal, expected);
    ctx.out(renderReport(report, flags.format, journal.data.runId, { color: colorEnabled(ctx.env, ctx.isTTY) }));
    await appendStepSummary(ctx.env, renderReport(report, 'markdown', journal.data.runId), ctx.err);
    const lost = leases.map((l) => l.lost).filter((m): m is string => m !== undefined);
    for (const m of lost) ctx.err(`warning: ${m}`);
    const ok = !report.aborted && !report.stopped && report.targets.every((t) => t.status === 'ok');
    if (!ok) ctx.err(`rollout incomplete: resume with \`sentinel apply --resume ${journal.data.runId}\``);
    return ok ? 0 : 1;
  } finally {
    for (const m of await releaseAll(leases)) ctx.err(`could not release a workspace lease (it expires by itself): ${m}`);
  }
}

export const runDrift: VerbHandler = (input, ctx) =>
  withSession(input, ctx, async (s, flags) => {
    const plans = await planAll(s.resolved, { pool: s.pool, repoName: s.repoName, prune: false, concurrency: flags.concurrency });
    const { text, drifted, conflicts } = renderDrift(plans, flags.format);
    ctx.out(text);
    printErrors(plans, ctx);
    if (plans.some((p) => p.error)) return 2;
    // Items added outside the repo are reported, not failed; one that holds a repo item's key is (the repo's item is not deployed).
    return drifted || conflicts ? 1 : 0;
  });

/** Steps `demo` delegates to other stages (wired by the CLI; each returns an exit code). */
export interface DemoHooks {
  /** `sentinel validate` (the lead's validateRepo / validateCommand). */
  validate?: Command;
  /** `sentinel test` (rule tests). */
  test?: Command;
}

/**
 * The main job (`npm start`): embedded emulator → validate → rule tests → plan → apply to the
 * example targets → plan again (must show zero changes and zero writes) → stop.
 */
export function createDemo(hooks: DemoHooks = {}): VerbHandler {
  return async (input, ctx) => {
    for (const [name, hook] of [['validate', hooks.validate], ['test', hooks.test]] as const) {
      if (!hook) {
        ctx.out(`── ${name}: not wired into demo (skipped)`);
        continue;
      }
      ctx.out(`── ${name}`);
      const code = await hook([], ctx);
      if (code !== 0) {
        ctx.err(`demo stopped: ${name} failed (exit ${code})`);
        return code;
      }
    }
    const flags = deployFlags({ ...input, opts: { ...input.opts, emulator: true } });
    const session = await openSession(flags, ctx);
    if (typeof session === 'number') return session;
    const emulator = session.emulator!;
    try {
      ctx.out(`── emulator listening on ${emulator.url} (${session.resolved.length} target workspace(s))`);
      const settings = { pool: session.pool, repoName: session.repoName, prune: true, concurrency: flags.concurrency, failureThreshold: 0 };
      ctx.out('── plan (saved to .sentinel/plans/demo.json, as `sentinel plan --out` does)');
      const first = await planAll(session.resolved, settings);
      ctx.out(renderPlanText(first, { legend: true }));
      const saved = makeSavedPlan(first, session.resolved, { repoName: ownerOf(session.repoName).id, commit: await headCommit(ctx.root), targets: flags.targets, wave: undefined, prune: true });
      const planPath = join(ctx.root, '.sentinel', 'plans', 'demo.json');
      await savePlan(planPath, saved);
      ctx.out('── apply the saved plan (each target re-planned first: applied only if unchanged since the plan)');
      const journal = await Journal.create(ctx.root, newRunId(), { targets: session.resolved.map((r) => r.desired.target.name), prune: true }, session.resolved.map((r) => ({ name: r.desired.target.name, wave: r.desired.target.wave })));
      const report = await rollout(session.resolved, { ...settings, journal, expected: parseSavedPlan(await readFile(planPath, 'utf8'), planPath) });
      ctx.out(renderReport(report, 'text', journal.data.runId));
      emulator.resetStats();
      ctx.out('── plan again (an unchanged repo must make zero writes)');
      const second = await planAll(session.resolved, settings);
      ctx.out(renderPlanText(second));
      const stats = emulator.stats().total;
      const counts = countPlan(second);
      const changes = counts.create + counts.update + counts.delete;
      ctx.out(`── summary: first apply wrote ${report.writes} time(s); second plan: ${changes} change(s), ${stats.writes} write request(s), ${stats.reads} read(s)`);
      const ok = report.targets.every((t) => t.status === 'ok') && changes === 0 && stats.writes === 0;
      if (!ok) ctx.err('demo failed: the rollout did not converge (see above)');
      return ok ? 0 : 1;
    } finally {
      await emulator.stop();
    }
  };
}

export const runDemo: VerbHandler = createDemo({
  validate: async (args, ctx) => (await import('./validate.ts')).validateCommand(args, ctx),
  test: async (args, ctx) => (await import('./evaluate.ts')).test(args, ctx),
});

/** The verbs called with raw arguments (tests). */
export const plan = verbCommand('plan');
export const apply = verbCommand('apply');
export const drift = verbCommand('drift');

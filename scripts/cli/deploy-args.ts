/**
 * Flags of the deploy verbs (`plan`, `apply`, `drift`, `demo`, `import`): their declarations for the
 * one parser and the checks across flags. Type-only imports, so declaring them loads no Azure SDK.
 */
import { InvalidArgumentError, Option } from 'commander';
import { UsageError, type VerbInput } from './context.ts';
import type { AuthMode } from '../deploy/azure/clients.ts';
import type { Format } from '../render/plan.ts';
import { parseDuration } from '../model/duration.ts';

export interface DeployFlags {
  targets: string[];
  wave?: number;
  prune: boolean;
  /** plan/apply: take over items under the repo's names that have no ownership record at all. */
  adopt: boolean;
  format: Format;
  emulator: boolean;
  auth: AuthMode;
  endpoint?: string;
  /** Azure Lighthouse: the managing tenant every credential signs in to. */
  authTenant?: string;
  concurrency: number;
  resume: boolean;
  resumeRun?: string;
  dryRun: boolean;
  repoName?: string;
  failureThreshold: number;
  /** plan: write the saved plan here. */
  out?: string;
  /** plan: exit 2 when changes are pending (Terraform's -detailed-exitcode). */
  detailedExitcode: boolean;
  /** apply: no confirmation prompt. */
  yes: boolean;
  /** apply: journals kept in .sentinel/journal. */
  journalKeep: number;
  /** Per-attempt timeout of each ARM request, ms. */
  requestTimeoutMs?: number;
  /** The whole run's time limit, ms. */
  timeoutMs?: number;
  /** apply: how long to wait for the service's asynchronous watchlist upload or delete, ms. */
  uploadTimeoutMs?: number;
  /** apply: how long to wait for another run's workspace lease, ms (0: fail at once). */
  lockWaitMs: number;
  /** apply: lifetime of this run's workspace lease without renewal, ms (a crashed run's lease is free after it). */
  lockTtlMs: number;
  /** apply: deploy even where a pulled workspace schema says Azure will reject a rule (a stale schema). */
  force: boolean;
}

/** `30s`, `5m`, `2h`, `1d` or ISO 8601 (`PT90S`) → ms, for commander. */
export function durationFlag(text: string): number {
  const s = /^([1-9]\d*)s$/.exec(text.trim());
  const ms = s ? Number(s[1]) * 1000 : parseDuration(text);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('Expected a duration like 30s, 5m, 2h or PT90S.');
  return ms;
}

/** `--lock-wait`: a duration, or 0 for "do not wait". */
function waitFlag(text: string): number {
  return /^0+$/.test(text.trim()) ? 0 : durationFlag(text);
}

/** Default lease wait and lifetime (docs/deploy.md#one-apply-per-workspace-the-lease). */
export const LOCK_WAIT_DEFAULT_MS = 10 * 60_000;
export const LOCK_TTL_DEFAULT_MS = 10 * 60_000;

/** Every auth mode with its help text; `satisfies` keeps it equal to clients.ts AUTH_MODES. */
const AUTH_CHOICES = {
  default: 'per tenant: environment secret/certificate, workload identity, managed identity, Azure CLI',
  cli: 'the Azure CLI login',
  oidc: 'GitHub Actions / workload identity',
  emulator: 'the local emulator credential',
} as const satisfies Record<AuthMode, string>;
const PLAN_FORMATS = { text: true, json: true, markdown: true } as const satisfies Record<Format, true>;

/** Parses a whole number ≥ min for commander (its message follows "argument 'x' is invalid."). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `Expected a whole number ≥ ${min}.` : `Expected a whole number ${min}..${max}.`);
    }
    return n;
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The option groups; each verb takes the ones that mean something to it. */
export const deployOptions = {
  targets: () => [
    new Option('--targets <glob>', 'targets by file stem or path glob (repeatable)').argParser(collect).default([], 'all targets/*.yaml'),
    new Option('--wave <n>', 'only targets of rollout wave n').argParser(wholeNumber(0)),
  ],
  prune: () => [new Option('--prune', 'delete repo-managed items that are no longer in the repo')],
  adopt: () => [
    new Option(
      '--adopt',
      "take over items under the repo's names that have no ownership record at all (deployed from an export, by hand): " +
        "write this repo's record, then update the item where it differs; items with any other record stay conflicts",
    ),
  ],
  format: () => [new Option('--format <f>', 'output format').choices(Object.keys(PLAN_FORMATS)).default('text')],
  emulator: () => [new Option('--emulator', "start an embedded local ARM emulator holding the targets' workspaces")],
  connection: () => [
    new Option('--auth <mode>', `credential: ${Object.entries(AUTH_CHOICES).map(([k, v]) => `${k} (${v})`).join(', ')}`).choices(Object.keys(AUTH_CHOICES)).default('default'),
    new Option('--endpoint <url>', 'ARM endpoint (an emulator URL with --auth emulator)').default(undefined, 'https://management.azure.com'),
    new Option(
      '--auth-tenant <id>',
      "Azure Lighthouse: sign in to this managing tenant for every target (default: each target's tenantId; env " +
        'SENTINEL_AUTH_TENANT_ID). With --auth oidc, the client id per tenant comes from SENTINEL_CLIENT_IDS ' +
        '({"<tenantId>":"<clientId>"}) or AZURE_CLIENT_ID',
    ).argParser((t) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)) throw new InvalidArgumentError('Expected a tenant id (GUID).');
      return t;
    }),
  ],
  concurrency: () => [
    new Option('--concurrency <n>', 'requests in flight per subscription').argParser(wholeNumber(1)).default(10),
    new Option('--request-timeout <duration>', 'give up on an ARM request attempt after this long and retry it (30s, 2m)').argParser(durationFlag).default(undefined, '60s'),
    new Option('--timeout <duration>', 'stop the whole run after this long (the journal stays resumable)').argParser(durationFlag),
  ],
  repoName: () => [new Option('--repo-name <name>', 'owner name and id written to Sentinel metadata, instead of the repository identity (tests, migrations)').default(undefined, 'sentinel.config.yaml')],
  savedPlan: () => [
    new Option('--out <file>', 'save the plan (targets, writes, the etags read and the repo commit) for `sentinel apply <file>`'),
    new Option('--detailed-exitcode', 'exit 0 when nothing would change, 2 when changes are pending, 1 on errors'),
  ],
  apply: () => [
    new Option('-y, --yes', 'apply without asking (CI); without it apply asks on a terminal and refuses elsewhere'),
    new Option('--resume [run-id]', 'continue the last (or the named) interrupted rollout from its journal'),
    new Option('--dry-run', 'plan only, write nothing'),
    new Option('--journal-keep <n>', 'rollout journals kept in .sentinel/journal (older ones are removed; the newest unfinished one always stays)').argParser(wholeNumber(1)).default(20),
    new Option('--lock-wait <duration>', "wait this long for another run's workspace lease, then stop naming its holder (0: do not wait)").argParser(waitFlag).default(undefined, '10m'),
    new Option('--lock-ttl <duration>', "lifetime of this run's workspace lease between renewals (a crashed run's lease is free after it)").argParser(durationFlag).default(undefined, '10m'),
    new Option('--upload-timeout <duration>', "wait this long for the service to finish a watchlist upload or delete (it runs them asynchronously), then report the watchlist failed").argParser(durationFlag).default(undefined, '10m'),
    new Option('--force', 'deploy even where a pulled schema (schemas/workspaces/) says a table or function is missing; Azure still rejects such rules'),
    new Option('--failure-threshold <f>', "stop after a wave whose failed-target fraction exceeds f").argParser((text) => {
      const f = Number(text);
      if (text.trim() === '' || !(f >= 0 && f <= 1)) throw new InvalidArgumentError('Expected a fraction between 0 and 1.');
      return f;
    }).default(0),
  ],
};

/** The flags of plan/drift/apply; `extra` adds the verb-specific groups. */
export function deployVerbOptions(...extra: (keyof typeof deployOptions)[]): Option[] {
  const groups: (keyof typeof deployOptions)[] = ['targets', 'format', 'emulator', 'connection', 'concurrency', 'repoName', ...extra];
  return groups.flatMap((g) => deployOptions[g]());
}

type DeployOpts = Partial<Omit<DeployFlags, 'resume' | 'resumeRun' | 'requestTimeoutMs' | 'timeoutMs' | 'uploadTimeoutMs' | 'lockWaitMs' | 'lockTtlMs'>> & {
  uploadTimeout?: number;
  lockWait?: number;
  lockTtl?: number;
  resume?: boolean | string;
  requestTimeout?: number;
  timeout?: number;
};

/** The parsed options as DeployFlags, with the checks across flags (--emulator vs --auth/--endpoint). */
export function deployFlags(input: VerbInput<DeployOpts>): DeployFlags {
  const o = input.opts;
  const flags: DeployFlags = {
    targets: o.targets ?? [], prune: o.prune ?? false, adopt: o.adopt ?? false, format: o.format ?? 'text', emulator: o.emulator ?? false,
    auth: o.auth ?? 'default', concurrency: o.concurrency ?? 10, resume: o.resume !== undefined && o.resume !== false,
    dryRun: o.dryRun ?? false, failureThreshold: o.failureThreshold ?? 0,
    detailedExitcode: o.detailedExitcode ?? false, yes: o.yes ?? false, journalKeep: o.journalKeep ?? 20, force: o.force ?? false,
    lockWaitMs: o.lockWait ?? LOCK_WAIT_DEFAULT_MS, lockTtlMs: o.lockTtl ?? LOCK_TTL_DEFAULT_MS,
    ...(o.out !== undefined ? { out: o.out } : {}),
    ...(o.requestTimeout !== undefined ? { requestTimeoutMs: o.requestTimeout } : {}),
    ...(o.timeout !== undefined ? { timeoutMs: o.timeout } : {}),
    ...(o.uploadTimeout !== undefined ? { uploadTimeoutMs: o.uploadTimeout } : {}),
    ...(o.wave !== undefined ? { wave: o.wave } : {}),
    ...(o.endpoint !== undefined ? { endpoint: o.endpoint } : {}),
    ...(o.authTenant !== undefined ? { authTenant: o.authTenant } : {}),
    ...(o.repoName !== undefined ? { repoName: o.repoName } : {}),
    ...(typeof o.resume === 'string' ? { resumeRun: o.resume } : {}),
  };
  if (flags.emulator) {
    if (input.given('auth') && flags.auth !== 'emulator') throw new UsageError('--emulator uses the emulator credential; drop --auth or use --auth emulator', true);
    if (flags.endpoint) throw new UsageError('--emulator starts its own endpoint; drop --endpoint', true);
    flags.auth = 'emulator';
  } else if (flags.auth === 'emulator' && !flags.endpoint) {
    throw new UsageError('--auth emulator needs --endpoint <emulator url> (or use --emulator to start one)', true);
  }
  return flags;
}

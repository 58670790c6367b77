/** Flags of the deploy verbs: `plan`, `apply`, `drift`, `demo`. */
import { UsageError } from './context.ts';
import { AUTH_MODES, type AuthMode } from '../deploy/azure/clients.ts';
import { FORMATS, type Format } from '../render/plan.ts';

export interface DeployFlags {
  targets: string[];
  wave?: number;
  prune: boolean;
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
  help: boolean;
}

export const DEPLOY_HELP = `options:
  --targets <glob>        targets by file stem or path glob (repeatable; default: all targets/*.yaml)
  --wave <n>              only targets of rollout wave n
  --prune                 delete repo-managed items that are no longer in the repo
  --format <f>            text (default) | json | markdown
  --emulator              start an embedded local ARM emulator holding the targets' workspaces
  --auth <mode>           default (DefaultAzureCredential) | cli | oidc (GitHub Actions / workload identity) | emulator
  --endpoint <url>        ARM endpoint (default https://management.azure.com; an emulator URL with --auth emulator)
  --auth-tenant <id>      Azure Lighthouse: sign in to this managing tenant for every target (default: each
                          target's tenantId; env SENTINEL_AUTH_TENANT_ID). With --auth oidc, the client id
                          per tenant comes from SENTINEL_CLIENT_IDS ({"<tenantId>":"<clientId>"}) or AZURE_CLIENT_ID
  --concurrency <n>       requests in flight per subscription (default 10)
  --resume [run-id]       apply: continue the last interrupted rollout from its journal
  --dry-run               apply: plan only, write nothing
  --repo-name <name>      ownership name written to Sentinel metadata (default: package.json name)
  --failure-threshold <f> apply: stop after a wave whose failed-target fraction exceeds f (default 0)`;

function value(args: string[], i: number, flag: string): string {
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return v;
}

function int(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got "${text}"`);
  return n;
}

export function parseDeployFlags(args: readonly string[]): DeployFlags {
  const a = [...args];
  const flags: DeployFlags = {
    targets: [], prune: false, format: 'text', emulator: false, auth: 'default', concurrency: 10,
    resume: false, dryRun: false, failureThreshold: 0, help: false,
  };
  let authGiven = false;
  for (let i = 0; i < a.length; i++) {
    let arg = a[i]!;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      a.splice(i, 1, arg.slice(0, eq), arg.slice(eq + 1));
      arg = a[i]!;
    }
    switch (arg) {
      case '--targets':
        flags.targets.push(value(a, i++, arg));
        break;
      case '--wave':
        flags.wave = int(value(a, i++, arg), arg, 0);
        break;
      case '--prune':
        flags.prune = true;
        break;
      case '--format': {
        const f = value(a, i++, arg) as Format;
        if (!FORMATS.includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${f}"`);
        flags.format = f;
        break;
      }
      case '--emulator':
        flags.emulator = true;
        break;
      case '--auth': {
        const m = value(a, i++, arg) as AuthMode;
        if (!AUTH_MODES.includes(m)) throw new UsageError(`--auth must be one of ${AUTH_MODES.join(', ')}, got "${m}"`);
        flags.auth = m;
        authGiven = true;
        break;
      }
      case '--endpoint':
        flags.endpoint = value(a, i++, arg);
        break;
      case '--auth-tenant': {
        const t = value(a, i++, arg);
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)) throw new UsageError(`--auth-tenant must be a tenant id (GUID), got "${t}"`);
        flags.authTenant = t;
        break;
      }
      case '--concurrency':
        flags.concurrency = int(value(a, i++, arg), arg, 1);
        break;
      case '--resume':
        flags.resume = true;
        if (a[i + 1] !== undefined && !a[i + 1]!.startsWith('--')) flags.resumeRun = a[++i]!;
        break;
      case '--dry-run':
        flags.dryRun = true;
        break;
      case '--repo-name':
        flags.repoName = value(a, i++, arg);
        break;
      case '--failure-threshold': {
        const f = Number(value(a, i++, arg));
        if (!(f >= 0 && f <= 1)) throw new UsageError(`--failure-threshold must be a fraction between 0 and 1`);
        flags.failureThreshold = f;
        break;
      }
      case '--help':
      case '-h':
        flags.help = true;
        break;
      default:
        throw new UsageError(`unknown option "${arg}"\n\n${DEPLOY_HELP}`);
    }
  }
  if (flags.emulator) {
    if (authGiven && flags.auth !== 'emulator') throw new UsageError('--emulator uses the emulator credential; drop --auth or use --auth emulator');
    if (flags.endpoint) throw new UsageError('--emulator starts its own endpoint; drop --endpoint');
    flags.auth = 'emulator';
  } else if (flags.auth === 'emulator' && !flags.endpoint) {
    throw new UsageError('--auth emulator needs --endpoint <emulator url> (or use --emulator to start one)');
  }
  return flags;
}

/**
 * Emulator configuration: tenants → subscriptions → resource groups → workspaces, the client
 * credentials its token endpoint accepts, throttling, fault injection and the optional state file.
 * Pure: `normaliseConfig` turns the user-facing shape into the lookup tables the server uses.
 */
import { createHash } from 'node:crypto';
import { buildWorkspaceTables, WorkspaceTablesError, type WorkspaceTables, type WorkspaceTablesConfig } from './workspaceTables.ts';

export type { WorkspaceTablesConfig } from './workspaceTables.ts';

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  /** Object id the token carries (`oid`); derived from tenant + client id when absent. */
  objectId?: string;
}

/** A workspace in a resource group: its name, or its name and its table set. */
export type EmulatorWorkspaceEntry = string | { name: string; tables?: WorkspaceTablesConfig };

export interface EmulatorResourceGroupConfig {
  name: string;
  location?: string;
  workspaces: EmulatorWorkspaceEntry[];
}

export interface EmulatorSubscriptionConfig {
  subscriptionId: string;
  resourceGroups: EmulatorResourceGroupConfig[];
}

/**
 * Azure Lighthouse: the subscription is delegated to a managing tenant, whose tokens ARM then
 * accepts for it (the managing tenant must be one of `tenants`, with the client it signs in with).
 */
export interface EmulatorDelegation {
  subscriptionId: string;
  managingTenantId: string;
}

export interface EmulatorTenantConfig {
  tenantId: string;
  /** Client credentials accepted by `POST /{tenantId}/oauth2/v2.0/token`; default: the well-known local client. */
  clients?: EmulatorClient[];
  subscriptions?: EmulatorSubscriptionConfig[];
}

/** A workspace in flat form (what a deployment target names); merged into `tenants`. */
export interface EmulatorWorkspaceRef {
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  location?: string;
  /** The workspace's tables (default: the config's `tables`, else the built-in catalogue). */
  tables?: WorkspaceTablesConfig;
}

export interface BucketConfig {
  /** Bucket size (requests allowed back-to-back). */
  burst?: number;
  /** Tokens added per second. */
  refillPerSecond?: number;
}

export interface ThrottlingConfig {
  /** ARM's per-subscription token buckets; on by default. */
  enabled?: boolean;
  /** PUT/PATCH/POST; ARM default burst 200, 10/s. */
  writes?: BucketConfig;
  /** DELETE, a bucket of its own; ARM default burst 200, 10/s. */
  deletes?: BucketConfig;
  /** GET/HEAD; ARM default burst 250, 25/s. */
  reads?: BucketConfig;
  /**
   * Also send `x-ms-retry-after-ms` (exact wait) besides the whole-second `Retry-After` that ARM sends.
   * The Azure SDK prefers the millisecond header, so tests stay fast. Off by default (ARM does not send it).
   */
  retryAfterMsHeader?: boolean;
}

export interface FaultConfig {
  /** Seed of the deterministic random source (same seed + same request order = same faults). */
  seed?: number;
  /** Fraction (0..1) of ARM requests answered 429 TooManyRequests on top of the buckets. */
  throttle429?: number;
  /** Retry-After seconds of injected 429s (default 1). */
  retryAfterSeconds?: number;
  /** Fraction answered 500 InternalServerError. */
  error500?: number;
  /** Fraction answered 503 ServiceUnavailable. */
  error503?: number;
  /** Fraction of writes that are applied and then answered 500 (the outcome is ambiguous to the client). */
  applyThenFail500?: number;
  /** Fraction of requests whose connection is destroyed without a response. */
  dropConnection?: number;
  /** Added latency in ms: a fixed value or a [min, max] range drawn from the seeded source. */
  latencyMs?: number | [number, number];
}

/**
 * The service's asynchronous watchlist operations (Watchlists_CreateOrUpdate 201 "includes the
 * Provisioning State and the Azure-AsyncOperation header"): how long they stay in progress here.
 */
export interface WatchlistsConfig {
  /** ms an upload (a watchlist PUT with rawContent) stays InProgress; default 25 (0: synchronous). */
  uploadMs?: number;
  /** ms a watchlist delete stays Deleting; default 25 (0: synchronous). */
  deleteMs?: number;
  /** Accepted uploads end Failed (a fault: the service failing an upload after answering 201/200). */
  failUploads?: boolean;
}

export const DEFAULT_WATCHLIST_ASYNC_MS = 25;

export interface EmulatorConfig {
  /** Listen address; only loopback addresses are allowed (default 127.0.0.1). */
  host?: string;
  /** Port; 0 (default) picks an ephemeral port. */
  port?: number;
  tenants?: EmulatorTenantConfig[];
  workspaces?: EmulatorWorkspaceRef[];
  /** Default table set of every workspace that sets none (default: the built-in catalogue). */
  tables?: WorkspaceTablesConfig;
  /** Azure Lighthouse delegations of subscriptions to managing tenants. */
  delegations?: EmulatorDelegation[];
  throttling?: ThrottlingConfig;
  faults?: FaultConfig;
  /** Items per page of list responses (default 100). */
  pageSize?: number;
  watchlists?: WatchlistsConfig;
  /** JSON state file: loaded on start when it exists, written after changes and on stop. */
  stateFile?: string;
  /** HMAC secret signing the emulator's tokens; random per start by default. */
  tokenSecret?: string;
  /** Token lifetime (default 3600 s). */
  tokenLifetimeSeconds?: number;
  /**
   * A second, HTTPS listener on the same host serving the same routes, for clients that refuse a
   * plain-http authority (MSAL: `@azure/identity` credentials with `authorityHost`). PEM text of the
   * certificate and its key; the caller makes them (tests: a self-signed one per run, never committed).
   */
  https?: EmulatorHttpsConfig;
}

export interface EmulatorHttpsConfig {
  cert: string;
  key: string;
  /** Port; 0 (default) picks an ephemeral port. */
  port?: number;
}

/** The well-known local client (like Azurite's well-known account key): not a secret, loopback only. */
export const DEFAULT_CLIENT: EmulatorClient = { clientId: 'sentinel-emulator', clientSecret: 'sentinel-emulator-local-only' };

export interface WorkspaceInfo {
  name: string;
  /** The tables that exist in this workspace (Tables API; what alert-rule queries may read). */
  tables: WorkspaceTables;
}
export interface ResourceGroupInfo {
  name: string;
  location: string;
  workspaces: Map<string, WorkspaceInfo>;
}
export interface SubscriptionInfo {
  subscriptionId: string;
  tenantId: string;
  /** Managing tenants (Azure Lighthouse) whose tokens are accepted too. */
  delegatedTo: Set<string>;
  resourceGroups: Map<string, ResourceGroupInfo>;
}
export interface TenantInfo {
  tenantId: string;
  clients: Map<string, Required<EmulatorClient>>;
}

export interface Topology {
  tenants: Map<string, TenantInfo>;
  subscriptions: Map<string, SubscriptionInfo>;
}

export interface ResolvedConfig {
  host: string;
  port: number;
  topology: Topology;
  throttling: { enabled: boolean; writes: Required<BucketConfig>; reads: Required<BucketConfig>; deletes: Required<BucketConfig>; retryAfterMsHeader: boolean };
  faults: Required<Omit<FaultConfig, 'latencyMs'>> & { latencyMs: [number, number] };
  pageSize: number;
  watchlists: Required<WatchlistsConfig>;
  stateFile: string | undefined;
  tokenSecret: string | undefined;
  tokenLifetimeSeconds: number;
  https: Required<EmulatorHttpsConfig> | undefined;
}

export class ConfigError extends Error {}

const lower = (s: string) => s.toLowerCase();
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function fraction(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ConfigError(`faults.${name} must be a number between 0 and 1, got ${JSON.stringify(v)}`);
  return v;
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`${name} must be a positive number, got ${JSON.stringify(v)}`);
  return v;
}

function nonNegative(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= 0)) throw new ConfigError(`${name} must be a number ≥ 0, got ${JSON.stringify(v)}`);
  return v;
}

function requireString(where: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${where} must be a non-empty string`);
  return v;
}

export function objectIdFor(tenantId: string, clientId: string): string {
  const h = createHash('sha256').update(`${lower(tenantId)}/${clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A listening port; 0 (the default) picks an ephemeral one. */
function portOf(name: string, v: number | undefined): number {
  const port = v ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${name} must be an integer 0..65535, got ${port}`);
  return port;
}

function httpsOf(h: EmulatorHttpsConfig | undefined): Required<EmulatorHttpsConfig> | undefined {
  if (h === undefined) return undefined;
  const cert = requireString('https.cert', h?.cert);
  const key = requireString('https.key', h.key);
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('https.cert must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new ConfigError('https.key must be a PEM private key');
  return { cert, key, port: portOf('https.port', h.port) };
}

/** Merges `tenants` and `workspaces`, checks shapes, and builds the lookup tables. */
export function normaliseConfig(config: EmulatorConfig): ResolvedConfig {
  const tenants = new Map<string, TenantInfo>();
  const subscriptions = new Map<string, SubscriptionInfo>();

  const tenant = (tenantId: string): TenantInfo => {
    let t = tenants.get(lower(tenantId));
    if (!t) tenants.set(lower(tenantId), (t = { tenantId, clients: new Map() }));
    return t;
  };
  const ensureGroup = (where: string, tenantId: string, subscriptionId: string, rg: string, location?: string): ResourceGroupInfo => {
    let sub = subscriptions.get(lower(subscriptionId));
    if (!sub) subscriptions.set(lower(subscriptionId), (sub = { subscriptionId, tenantId, delegatedTo: new Set(), resourceGroups: new Map() }));
    if (lower(sub.tenantId) !== lower(tenantId)) {
      throw new ConfigError(`${where}: subscription ${subscriptionId} is already owned by tenant ${sub.tenantId}, not ${tenantId}`);
    }
    let group = sub.resourceGroups.get(lower(rg));
    if (!group) sub.resourceGroups.set(lower(rg), (group = { name: rg, location: location ?? 'westeurope', workspaces: new Map() }));
    return group;
  };
  let defaultTables: WorkspaceTables | undefined;
  const tablesOf = (where: string, cfg: WorkspaceTablesConfig | undefined): WorkspaceTables => {
    try {
      if (cfg !== undefined) return buildWorkspaceTables(`${where}.tables`, cfg);
      return (defaultTables ??= buildWorkspaceTables('tables', config.tables));
    } catch (e) {
      if (e instanceof WorkspaceTablesError) throw new ConfigError(e.message);
      throw e;
    }
  };
  const addWorkspace = (where: string, tenantId: string, subscriptionId: string, rg: string, ws: string, location?: string, tables?: WorkspaceTablesConfig) => {
    const group = ensureGroup(where, tenantId, subscriptionId, rg, location);
    const existing = group.workspaces.get(lower(ws));
    if (!existing) group.workspaces.set(lower(ws), { name: ws, tables: tablesOf(where, tables) });
    else if (tables !== undefined) existing.tables = tablesOf(where, tables);
  };

  (config.tenants ?? []).forEach((t, i) => {
    const where = `tenants[${i}]`;
    const tenantId = requireString(`${where}.tenantId`, t?.tenantId);
    const info = tenant(tenantId);
    for (const [j, c] of (t.clients ?? []).entries()) {
      const clientId = requireString(`${where}.clients[${j}].clientId`, c?.clientId);
      const clientSecret = requireString(`${where}.clients[${j}].clientSecret`, c?.clientSecret);
      info.clients.set(clientId, { clientId, clientSecret, objectId: c.objectId ?? objectIdFor(tenantId, clientId) });
    }
    (t.subscriptions ?? []).forEach((s, j) => {
      const subId = requireString(`${where}.subscriptions[${j}].subscriptionId`, s?.subscriptionId);
      (s.resourceGroups ?? []).forEach((g, k) => {
        const gw = `${where}.subscriptions[${j}].resourceGroups[${k}]`;
        const rg = requireString(`${gw}.name`, g?.name);
        const list = g.workspaces ?? [];
        if (!Array.isArray(list)) throw new ConfigError(`${gw}.workspaces must be a list of workspace names`);
        ensureGroup(gw, tenantId, subId, rg, g.location);
        list.forEach((ws, m) => {
          const ww = `${gw}.workspaces[${m}]`;
          if (typeof ws === 'object' && ws !== null) addWorkspace(ww, tenantId, subId, rg, requireString(`${ww}.name`, ws.name), g.location, ws.tables);
          else addWorkspace(gw, tenantId, subId, rg, requireString(ww, ws), g.location);
        });
      });
    });
  });
  (config.workspaces ?? []).forEach((w, i) => {
    const where = `workspaces[${i}]`;
    const tenantId = requireString(`${where}.tenantId`, w?.tenantId);
    tenant(tenantId);
    addWorkspace(
      where,
      tenantId,
      requireString(`${where}.subscriptionId`, w.subscriptionId),
      requireString(`${where}.resourceGroup`, w.resourceGroup),
      requireString(`${where}.workspace`, w.workspace),
      w.location,
      w.tables,
    );
  });
  (config.delegations ?? []).forEach((d, i) => {
    const where = `delegations[${i}]`;
    const sub = subscriptions.get(lower(requireString(`${where}.subscriptionId`, d?.subscriptionId)));
    if (!sub) throw new ConfigError(`${where}: subscription ${d.subscriptionId} is not configured`);
    sub.delegatedTo.add(lower(tenant(requireString(`${where}.managingTenantId`, d.managingTenantId)).tenantId));
  });
  for (const t of tenants.values()) {
    if (t.clients.size === 0) {
      t.clients.set(DEFAULT_CLIENT.clientId, { ...DEFAULT_CLIENT, objectId: objectIdFor(t.tenantId, DEFAULT_CLIENT.clientId) });
    }
  }

  const host = config.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new ConfigError(`host must be a loopback address (127.0.0.1, ::1 or localhost), got ${host}`);
  const port = portOf('port', config.port);

  const th = config.throttling ?? {};
  const f = config.faults ?? {};
  const latency = f.latencyMs ?? 0;
  const latencyMs: [number, number] = Array.isArray(latency) ? [latency[0], latency[1]] : [latency, latency];
  if (!(latencyMs[0] >= 0 && latencyMs[1] >= latencyMs[0])) throw new ConfigError(`faults.latencyMs must be a number ≥ 0 or a [min, max] range`);

  return {
    host,
    port,
    topology: { tenants, subscriptions },
    throttling: {
      enabled: th.enabled ?? true,
      writes: { burst: positive('throttling.writes.burst', th.writes?.burst, 200), refillPerSecond: positive('throttling.writes.refillPerSecond', th.writes?.refillPerSecond, 10) },
      reads: { burst: positive('throttling.reads.burst', th.reads?.burst, 250), refillPerSecond: positive('throttling.reads.refillPerSecond', th.reads?.refillPerSecond, 25) },
      deletes: { burst: positive('throttling.deletes.burst', th.deletes?.burst, 200), refillPerSecond: positive('throttling.deletes.refillPerSecond', th.deletes?.refillPerSecond, 10) },
      retryAfterMsHeader: th.retryAfterMsHeader ?? false,
    },
    faults: {
      seed: f.seed ?? 1,
      throttle429: fraction('throttle429', f.throttle429),
      retryAfterSeconds: positive('faults.retryAfterSeconds', f.retryAfterSeconds, 1),
      error500: fraction('error500', f.error500),
      error503: fraction('error503', f.error503),
      applyThenFail500: fraction('applyThenFail500', f.applyThenFail500),
      dropConnection: fraction('dropConnection', f.dropConnection),
      latencyMs,
    },
    pageSize: positive('pageSize', config.pageSize, 100),
    watchlists: {
      uploadMs: nonNegative('watchlists.uploadMs', config.watchlists?.uploadMs, DEFAULT_WATCHLIST_ASYNC_MS),
      deleteMs: nonNegative('watchlists.deleteMs', config.watchlists?.deleteMs, DEFAULT_WATCHLIST_ASYNC_MS),
      failUploads: config.watchlists?.failUploads ?? false,
    },
    stateFile: config.stateFile,
    tokenSecret: config.tokenSecret,
    tokenLifetimeSeconds: positive('tokenLifetimeSeconds', config.tokenLifetimeSeconds, 3600),
    https: httpsOf(config.https),
  };
}

/**
 * Local SecurityInsights ARM emulator: an HTTP server on loopback speaking the REST paths,
 * api-versions, JSON shapes, etags, status codes and error bodies of Azure for alert rules,
 * watchlists (+ items), Sentinel metadata and workbooks. See README.md in this folder for the
 * decisions (plain HTTP + emulator-only auth policy, throttling model, fault injection).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { SUPPORTED_VERSIONS } from './apiVersions.ts';
import { checkTenant, checkWatchlistDelegation, clientAuthOf, openidConfiguration, tokenGrant, verifyBearer, type Principal } from './auth.ts';
import { ConfigError, DEFAULT_CLIENT, normaliseConfig, type EmulatorConfig, type ResolvedConfig } from './config.ts';
import { checkVersion, dispatch, findSubscription, resolveScope, unknownRoute, type ArmRoute, type ProviderRoute } from './dispatch.ts';
import { deployments, type DeploymentRecord, type ProviderOperation } from './resources/deployments.ts';
import { ArmError, notFound } from './errors.ts';
import { FaultInjector } from './faults.ts';
import type { HandlerResult, Json, RequestContext } from './resources/common.ts';
import { parseRoute, resourceTypeOf } from './router.ts';
import { StatsCollector, type EmulatorStats } from './stats.ts';
import { Store, type StateSnapshot } from './store.ts';
import { bucketOf, SubscriptionThrottle } from './throttle.ts';

export type { EmulatorConfig } from './config.ts';
export type { EmulatorStats } from './stats.ts';

const LATEST_SI = SUPPORTED_VERSIONS['Microsoft.SecurityInsights'].at(-1)!;
const LATEST_WORKBOOKS = SUPPORTED_VERSIONS['Microsoft.Insights'].at(-1)!;

/** Out-of-band changes a test makes "in the portal": they go through the service logic but skip auth, throttling, faults and counters. */
export interface PortalActions {
  /** PUT a resource (full ARM id) as a portal user would; returns the resource as the service shows it. */
  put(id: string, body: Json): Json;
  /** Edit a stored resource in place (mutate its latest-api-version JSON); the etag and modification time change. */
  edit(id: string, mutate: (resource: Json) => void): Json;
  delete(id: string): boolean;
  /** A rule installed from Content hub: alert rule from a template + metadata whose source is a Solution. */
  installContentHubRule(opts: {
    workspaceId: string;
    ruleId: string;
    templateName: string;
    templateVersion: string;
    solutionName: string;
    properties: Json;
  }): Json;
}

/** Token endpoint base URL + tenant + client id/secret (the OAuth2 client-credentials grant). */
export interface EmulatorClientCredentials {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface EmulatorHandle {
  url: string;
  port: number;
  /** The HTTPS listener's base URL (config `https`), e.g. an `authorityHost` for @azure/identity. */
  httpsUrl?: string;
  stop(): Promise<void>;
  stats(): EmulatorStats;
  resetStats(): void;
  /**
   * The client-credentials sign-in of a configured client of `tenantId` (the first one, or the
   * well-known local client): what a client-credentials TokenCredential needs to get a token here.
   */
  client(tenantId: string, clientId?: string): EmulatorClientCredentials;
  /** The stored resource as the latest api-version shows it, or undefined. */
  get(id: string): Json | undefined;
  /** All stored resources whose id starts with `prefix` (case-insensitive). */
  list(prefix: string): Json[];
  snapshot(): StateSnapshot;
  portal: PortalActions;
}

const PORTAL_USER = '11111111-2222-4333-8444-555555555555';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${(e as Error).message}`);
  }
}

function loadState(file: string): StateSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: the emulator state file is not valid JSON (${(e as Error).message}); fix or delete it.`);
  }
  const snap = parsed as Partial<StateSnapshot>;
  if (snap.version !== 1 || !Array.isArray(snap.resources)) throw new ConfigError(`${file}: not an emulator state file (expected {"version":1,"resources":[…]}); fix or delete it.`);
  return snap as StateSnapshot;
}

function saveState(file: string, snap: StateSnapshot): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snap, null, 2) + '\n');
  renameSync(tmp, file);
}

class Emulator {
  readonly store = new Store();
  readonly statsCollector = new StatsCollector();
  readonly throttle: SubscriptionThrottle;
  readonly faults: FaultInjector;
  readonly secret: string;
  /** Template deployments by lower-case id (in memory only; resources/deployments.ts). */
  readonly deployments = new Map<string, DeploymentRecord>();
  baseUrl = '';
  private saveTimer: NodeJS.Timeout | undefined;
  /** A failed background save; reported by stop(). */
  saveError: Error | undefined;

  readonly cfg: ResolvedConfig;
  constructor(cfg: ResolvedConfig) {
    this.cfg = cfg;
    this.secret = cfg.tokenSecret ?? randomBytes(32).toString('hex');
    this.throttle = new SubscriptionThrottle(cfg.throttling, () => performance.now());
    this.faults = new FaultInjector(cfg.faults);
    if (cfg.stateFile) {
      if (!existsSync(dirname(cfg.stateFile))) throw new ConfigError(`${cfg.stateFile}: the state file's directory does not exist; create it or pick another path.`);
      const snap = loadState(cfg.stateFile);
      if (snap) this.store.load(snap);
      this.store.onChange = () => this.scheduleSave();
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      try {
        this.flush();
      } catch (e) {
        this.saveError = e as Error;
      }
    }, 50);
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.cfg.stateFile) saveState(this.cfg.stateFile, this.store.snapshot());
  }

  /** `origin`: the listener the request came in on (plain http, or the optional HTTPS one). */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, origin = this.baseUrl): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': String(req.headers['x-ms-correlation-request-id'] ?? requestId),
    };
    if (req.headers['x-ms-client-request-id']) headers['x-ms-client-request-id'] = String(req.headers['x-ms-client-request-id']);
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const all = { ...headers, ...extra };
      if (body === undefined) {
        res.writeHead(status, all).end();
      } else {
        res.writeHead(status, { ...all, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      }
    };
    const route = parseRoute(url.pathname);
    try {
      if (route.kind === 'admin') return this.admin(route.action, method, send);
      if (route.kind === 'token') {
        if (method !== 'POST') throw new ArmError(405, 'MethodNotAllowed', 'The token endpoint only accepts POST.');
        const form = new URLSearchParams(await readBody(req));
        const r = tokenGrant(this.cfg.topology, this.secret, route.tenantId, form, Math.floor(Date.now() / 1000), this.cfg.tokenLifetimeSeconds);
        this.statsCollector.recordToken({ tenantId: route.tenantId, clientId: form.get('client_id') ?? '', clientAuth: clientAuthOf(form), status: r.status });
        return send(r.status, r.body, { 'Cache-Control': 'no-store' });
      }
      if (route.kind === 'openidConfiguration') {
        if (method !== 'GET') throw new ArmError(405, 'MethodNotAllowed', 'The OpenID configuration document only answers GET.');
        const r = openidConfiguration(this.cfg.topology, route.tenantId, origin);
        return send(r.status, r.body);
      }
      if (route.kind === 'unknown') {
        await readBody(req);
        throw unknownRoute(url.pathname);
      }
      await this.arm(route, req, res, url, method, headers, send);
    } catch (e) {
      if (e instanceof ArmError) return send(e.status, e.body(), e.headers);
      send(500, { error: { code: 'InternalServerError', message: `The emulator failed: ${(e as Error).message}` } });
    }
  }

  private admin(action: 'stats' | 'stats/reset' | 'state', method: string, send: (s: number, b: unknown) => void): void {
    if (action === 'stats' && method === 'GET') return send(200, this.statsCollector.snapshot());
    if (action === 'stats/reset' && method === 'POST') {
      this.statsCollector.reset();
      return send(204, undefined);
    }
    if (action === 'state' && method === 'GET') return send(200, this.store.snapshot());
    throw new ArmError(405, 'MethodNotAllowed', `Use GET /__emulator/stats, POST /__emulator/stats/reset or GET /__emulator/state.`);
  }

  private async arm(
    route: ArmRoute,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    method: string,
    headers: Record<string, string>,
    send: (status: number, body: unknown, extra?: Record<string, string>) => void,
  ): Promise<void> {
    const isWrite = method !== 'GET' && method !== 'HEAD';
    const type = resourceTypeOf(route);
    const count = (e: Parameters<StatsCollector['record']>[3]) => this.statsCollector.record(route.subscriptionId, method, type, e);
    const sendCounted = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      count({ kind: 'status', status });
      send(status, body, extra);
    };
    const text = await readBody(req);
    count({ kind: 'request', isWrite });
    try {
      // ARM front door: authentication, subscription → tenant, throttling.
      const principal = this.authenticate(req, route.subscriptionId);
      const sub = findSubscription(this.cfg.topology, route.subscriptionId);
      checkTenant(principal, sub.subscriptionId, sub.tenantId, sub.delegatedTo);
      checkWatchlistDelegation(principal, sub.tenantId, isWrite && route.kind === 'securityInsights' && route.type === 'watchlists');
      const bucket = bucketOf(method);
      const limitHeader = `x-ms-ratelimit-remaining-subscription-${bucket}`;
      if (this.cfg.throttling.enabled) {
        const verdict = this.throttle.take(sub.subscriptionId, bucket);
        headers[limitHeader] = String(verdict.remaining);
        if (!verdict.ok) {
          count({ kind: 'throttled' });
          throw this.tooManyRequests(verdict.retryAfterMs, `Number of ${bucket.slice(0, -1)} requests for subscription '${sub.subscriptionId}' exceeded the limit of '${this.cfg.throttling[bucket].burst}' for time interval. Please try again after '${Math.ceil(verdict.retryAfterMs / 1000)}' seconds.`);
        }
      }

      // Injected faults (the resource provider misbehaving).
      const plan = this.faults.plan(isWrite);
      if (plan.latencyMs > 0) await sleep(plan.latencyMs);
      switch (plan.fault) {
        case 'drop':
          count({ kind: 'fault', fault: 'drop' });
          req.socket.destroy();
          return;
        case '429':
          count({ kind: 'fault', fault: '429' });
          throw this.tooManyRequests(this.cfg.faults.retryAfterSeconds * 1000, 'The request was throttled by the resource provider. Please retry after the interval in the Retry-After header.');
        case '500':
          count({ kind: 'fault', fault: '500' });
          throw new ArmError(500, 'InternalServerError', 'An internal server error occurred. Please retry the request.');
        case '503':
          count({ kind: 'fault', fault: '503' });
          throw new ArmError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry the request.');
      }

      const apiVersion = checkVersion(route, url.searchParams.get('api-version'));
      const scope = resolveScope(this.cfg.topology, route);
      const ctx: RequestContext = {
        method,
        apiVersion,
        body: parseJsonBody(text),
        query: url.searchParams,
        principal,
        now: new Date(),
        store: this.store,
        selfUrl: `${this.baseUrl}${url.pathname}`,
        pageSize: this.cfg.pageSize,
        scope,
        watchlistTiming: this.cfg.watchlists,
      };
      const result = route.kind === 'deployments'
        ? deployments(ctx, route, {
          records: this.deployments, baseUrl: this.baseUrl,
          apply: (id, v, body) => this.applyResource(id, v, body, ctx),
          poll: (operationUrl) => this.pollProviderOperation(operationUrl, ctx),
        })
        : dispatch(route, ctx);
      if (result.committed) count({ kind: 'committed' });
      if (plan.fault === 'applyThenFail500') {
        count({ kind: 'fault', fault: 'applyThenFail500' });
        throw new ArmError(500, 'InternalServerError', 'An internal server error occurred. Please retry the request.');
      }
      const etag = (result.body as Json | undefined)?.['etag'];
      sendCounted(result.status, result.body, { ...result.headers, ...(typeof etag === 'string' ? { ETag: etag } : {}) });
    } catch (e) {
      if (!(e instanceof ArmError)) throw e;
      if (res.headersSent || req.socket.destroyed) return;
      sendCounted(e.status, e.body(), e.headers);
    }
  }

  /**
   * One resource of a template deployment, PUT through the resource provider as a direct request
   * would be (tenant, Lighthouse watchlist rule, api-version, parent scope, the handler's validation);
   * the deployment's own request passed the front door (auth, throttling, faults) once.
   */
  private applyResource(id: string, apiVersion: string, body: Json, parent: RequestContext): string | undefined {
    const route = parseRoute(id);
    if (route.kind !== 'securityInsights' && route.kind !== 'workbooks' && route.kind !== 'operationalInsights') {
      throw new ArmError(400, 'NoRegisteredProviderFound', `The emulator serves no resource type at '${id}'.`);
    }
    const sub = findSubscription(this.cfg.topology, route.subscriptionId);
    checkTenant(parent.principal, sub.subscriptionId, sub.tenantId, sub.delegatedTo);
    checkWatchlistDelegation(parent.principal, sub.tenantId, route.kind === 'securityInsights' && route.type === 'watchlists');
    const result = this.dispatchWithin(parent, route, id, 'PUT', apiVersion, body, new URLSearchParams());
    return result.headers?.['Azure-AsyncOperation'];
  }

  /** ARM following a provider's Azure-AsyncOperation URL for a deployment (an internal GET of that URL). */
  private pollProviderOperation(operationUrl: string, parent: RequestContext): ProviderOperation {
    const url = new URL(operationUrl);
    const route = parseRoute(url.pathname);
    if (route.kind !== 'securityInsights') throw new Error(`no provider operation at ${url.pathname}`);
    const result = this.dispatchWithin(parent, route, url.pathname, 'GET', url.searchParams.get('api-version'), undefined, url.searchParams);
    return (result.body ?? { status: 'Failed' }) as unknown as ProviderOperation;
  }

  /** A request ARM makes itself while serving `parent` (a deployment): api-version and scope checked, then the provider. */
  private dispatchWithin(parent: RequestContext, route: ProviderRoute, path: string, method: string, apiVersion: string | null, body: Json | undefined, query: URLSearchParams): HandlerResult {
    const version = checkVersion(route, apiVersion);
    const scope = resolveScope(this.cfg.topology, route);
    return dispatch(route, { ...parent, method, apiVersion: version, body, query, selfUrl: `${this.baseUrl}${path}`, scope });
  }

  /**
   * ARM's 401s point at the subscription's tenant (WWW-Authenticate authorization_uri), which is how
   * clients discover it; the message names it too.
   */
  private authenticate(req: http.IncomingMessage, subscriptionId: string): Principal {
    try {
      return verifyBearer(this.secret, req.headers['authorization'], Math.floor(Date.now() / 1000));
    } catch (e) {
      const tenant = this.cfg.topology.subscriptions.get(subscriptionId.toLowerCase())?.tenantId;
      if (!(e instanceof ArmError) || !tenant) throw e;
      const challenge = (e.headers['WWW-Authenticate'] ?? 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token"').replace(
        'authorization_uri="https://login.windows.net/"',
        `authorization_uri="https://login.windows.net/${tenant}"`,
      );
      throw new ArmError(e.status, e.code, `${e.message} Subscription '${subscriptionId}' belongs to tenant '${tenant}': use a token issued by that tenant.`, { ...e.headers, 'WWW-Authenticate': challenge });
    }
  }

  private tooManyRequests(retryAfterMs: number, message: string): ArmError {
    const h: Record<string, string> = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
    if (this.cfg.throttling.retryAfterMsHeader) h['x-ms-retry-after-ms'] = String(Math.max(1, Math.ceil(retryAfterMs)));
    return new ArmError(429, 'TooManyRequests', message, h);
  }

  /** Runs a request through the service logic as a portal user (no auth, throttling, faults or counters). */
  portalRequest(method: string, id: string, body: Json | undefined): HandlerResult {
    const route = parseRoute(id);
    if (route.kind !== 'securityInsights' && route.kind !== 'workbooks' && route.kind !== 'operationalInsights') throw unknownRoute(id);
    const scope = resolveScope(this.cfg.topology, route);
    const principal: Principal = { tid: scope.tenantId, oid: PORTAL_USER, appid: 'portal' };
    return dispatch(route, {
      method,
      apiVersion: route.kind === 'workbooks' ? LATEST_WORKBOOKS : route.kind === 'operationalInsights' ? SUPPORTED_VERSIONS[`Microsoft.OperationalInsights/${route.type}`].at(-1)! : LATEST_SI,
      body,
      query: new URLSearchParams(),
      principal,
      now: new Date(),
      store: this.store,
      selfUrl: `${this.baseUrl}${id}`,
      pageSize: this.cfg.pageSize,
      scope,
      watchlistTiming: this.cfg.watchlists,
    });
  }

  view(id: string): Json | undefined {
    try {
      return this.portalRequest('GET', id, undefined).body as Json;
    } catch (e) {
      if (e instanceof ArmError && e.status === 404) return undefined;
      throw e;
    }
  }
}

function portalActions(em: Emulator): PortalActions {
  const put = (id: string, body: Json) => em.portalRequest('PUT', id, body).body as Json;
  return {
    put,
    edit(id, mutate) {
      const current = em.view(id);
      if (!current) throw notFound(`No resource '${id}' to edit.`);
      const next = structuredClone(current);
      mutate(next);
      delete next['etag'];
      return put(id, next);
    },
    delete: (id) => em.portalRequest('DELETE', id, undefined).status === 200,
    installContentHubRule(o) {
      const ruleId = `${o.workspaceId}/providers/Microsoft.SecurityInsights/alertRules/${o.ruleId}`;
      const rule = put(ruleId, {
        kind: 'Scheduled',
        properties: { ...o.properties, alertRuleTemplateName: o.templateName, templateVersion: o.templateVersion },
      });
      put(`${o.workspaceId}/providers/Microsoft.SecurityInsights/metadata/analyticsrule-${o.ruleId}`, {
        properties: {
          contentId: o.templateName,
          parentId: rule['id'],
          kind: 'AnalyticsRule',
          version: o.templateVersion,
          source: { kind: 'Solution', name: o.solutionName, sourceId: `azuresentinel.azure-sentinel-solution-${o.solutionName.toLowerCase().replace(/\W+/g, '')}` },
          author: { name: 'Microsoft', email: 'support@microsoft.com' },
          support: { tier: 'Microsoft', name: 'Microsoft Corporation', link: 'https://support.microsoft.com/' },
        },
      });
      return rule;
    },
  };
}

/** The optional HTTPS listener: the same handler; URLs the emulator writes (OpenID configuration) name this origin. */
async function listenHttps(em: Emulator, host: string, tls: NonNullable<ResolvedConfig['https']>): Promise<https.Server> {
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const origin = `https://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
    em.handle(req, res, origin).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(tls.port, host, () => resolve());
  });
  return server;
}

/** Starts the emulator; resolves once it listens. Throws ConfigError for bad configuration. */
export async function startEmulator(config: EmulatorConfig = {}): Promise<EmulatorHandle> {
  const cfg = normaliseConfig(config);
  const em = new Emulator(cfg);
  const server = http.createServer((req, res) => {
    em.handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  em.baseUrl = `http://${host}:${port}`;
  let secure: https.Server | undefined;
  try {
    secure = cfg.https ? await listenHttps(em, cfg.host, cfg.https) : undefined;
  } catch (e) {
    server.close();
    throw e;
  }
  const httpsUrl = secure ? `https://${host}:${(secure.address() as AddressInfo).port}` : undefined;
  let stopped: Promise<void> | undefined;
  const close = (s: http.Server | https.Server) => new Promise<void>((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
  return {
    url: em.baseUrl,
    port,
    ...(httpsUrl ? { httpsUrl } : {}),
    stop() {
      stopped ??= Promise.all([close(server), ...(secure ? [close(secure)] : [])]).then(() => {
        em.flush();
        if (em.saveError) throw new Error(`the emulator could not save its state file: ${em.saveError.message}`);
      });
      return stopped;
    },
    stats: () => em.statsCollector.snapshot(),
    resetStats: () => em.statsCollector.reset(),
    client(tenantId, clientId) {
      const tenant = cfg.topology.tenants.get(tenantId.toLowerCase());
      if (!tenant) throw new ConfigError(`tenant ${tenantId} is not configured in the emulator`);
      const client = clientId ? tenant.clients.get(clientId) : [...tenant.clients.values()][0];
      if (!client) throw new ConfigError(`client ${clientId ?? DEFAULT_CLIENT.clientId} is not configured for tenant ${tenantId}`);
      return { url: em.baseUrl, tenantId: tenant.tenantId, clientId: client.clientId, clientSecret: client.clientSecret };
    },
    get: (id) => em.view(id),
    list: (prefix) => em.store.listUnder(prefix).map((r) => em.view(r.id)).filter((r): r is Json => r !== undefined),
    snapshot: () => em.store.snapshot(),
    portal: portalActions(em),
  };
}

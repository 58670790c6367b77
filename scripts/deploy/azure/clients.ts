/**
 * SDK clients and credentials. One `SecurityInsights`, one workbooks and one Log Analytics (`OperationalInsights`) client per
 * (tenant, subscription), created on first use and reused; one credential per tenant.
 * Azure and a local emulator share this code path: only the endpoint, the credential (chosen by
 * the caller for `--auth emulator`) and, for a plain-http loopback endpoint, the loopback-only
 * bearer policy (loopback-auth.ts) differ.
 */
import type { TokenCredential } from '@azure/identity';
import { ApplicationInsightsManagementClient } from '@azure/arm-appinsights';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { SecurityInsights } from '@azure/arm-securityinsight';
import { ClientAssertionCredential } from '@azure/identity';
import { AuthConfigError, authorityOptions, clientIdFor, credentialFromPlan, credentialOfStep, defaultChainPlan } from './credentials.ts';
import { useLoopbackBearer } from './loopback-auth.ts';
import { newGates, throttleGatePolicy } from './throttle-gate.ts';
import { attemptTimeoutPolicy, DEFAULT_REQUEST_TIMEOUT_MS } from './timeout-policy.ts';
import { AZURE_ASYNC_POLL, type AsyncPollSettings } from './async-operation.ts';

export const AUTH_MODES = ['default', 'cli', 'oidc', 'emulator'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const AZURE_ENDPOINT = 'https://management.azure.com';

/** The SDK's retry policy (throttling: Retry-After on 429/503; exponential: 5xx, 408, network). */
export interface RetrySettings {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

export const AZURE_RETRY: RetrySettings = { maxRetries: 15, retryDelayInMs: 1000, maxRetryDelayInMs: 30_000 };
export const EMULATOR_RETRY: RetrySettings = { maxRetries: 15, retryDelayInMs: 50, maxRetryDelayInMs: 1000 };

export interface ClientSettings {
  auth: AuthMode;
  /** ARM endpoint; the emulator's URL with `--emulator`. */
  endpoint: string;
  env: NodeJS.ProcessEnv;
  retry: RetrySettings;
  /**
   * Replaces the credential of `auth`; required for `auth: 'emulator'`, whose sign-in the CLI wires
   * in (tests: a token from another issuer or tenant).
   */
  credentialFor?: (tenantId: string) => TokenCredential;
  /**
   * Azure Lighthouse: sign in to this (managing) tenant for every target instead of each target's
   * own tenant; ARM accepts its tokens for the delegated subscriptions.
   */
  authTenantId?: string;
  /** Per-attempt timeout of every request (a timed-out attempt is retried); default 60 s. */
  requestTimeoutMs?: number;
  /** The run's signal: aborting it cancels every in-flight request (Ctrl-C, the run's --timeout). */
  signal?: AbortSignal;
  /** How deploy waits for the service's asynchronous watchlist uploads and deletes; default AZURE_ASYNC_POLL. */
  asyncPoll?: AsyncPollSettings;
}

export { AuthConfigError, clientIdFor } from './credentials.ts';

export interface SubscriptionClients {
  tenantId: string;
  subscriptionId: string;
  endpoint: string;
  securityInsights: SecurityInsights;
  workbooks: ApplicationInsightsManagementClient;
  /** Log Analytics: the workspace's tables and saved searches (`schema pull`). */
  operationalInsights: OperationalInsightsManagementClient;
  /** Waiting for asynchronous operations (deploy/azure/async-operation.ts). */
  asyncPoll?: AsyncPollSettings;
  /** The run's signal (a wait for an operation ends when it aborts). */
  signal?: AbortSignal;
}

/** The audience Entra's workload-identity federation expects on a GitHub ID token. */
export const ENTRA_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const OIDC_ENV = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'] as const;

/**
 * GitHub Actions OIDC: `@actions/core` `getIDToken` asks the runner for an ID token with Entra's
 * token-exchange audience (and masks it in the log with `::add-mask::`). It reads the request URL
 * and token from `process.env` synchronously when called, so the CLI context's values are lent to
 * `process.env` for the synchronous start of that call (where it reads them) and restored — the same
 * seam as `withActionsEnv` in render/github.ts.
 */
export function githubAssertion(env: NodeJS.ProcessEnv, audience = ENTRA_TOKEN_EXCHANGE_AUDIENCE): () => Promise<string> {
  return async () => {
    // Loaded on first use: only `--auth oidc` on Actions needs it.
    const { getIDToken } = await import('@actions/core');
    const saved = OIDC_ENV.map((key) => [key, process.env[key]] as const);
    for (const key of OIDC_ENV) {
      if (env[key] === undefined) delete process.env[key];
      else process.env[key] = env[key];
    }
    try {
      return getIDToken(audience);
    } finally {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  };
}

export function createCredential(settings: ClientSettings, tenantId: string): TokenCredential {
  const { env } = settings;
  if (settings.credentialFor) return settings.credentialFor(tenantId);
  switch (settings.auth) {
    case 'default':
      // Per tenant: every source is given this tenant (credentials.ts); DefaultAzureCredential is not.
      return credentialFromPlan(defaultChainPlan(env, tenantId), env);
    case 'cli':
      return credentialOfStep({ kind: 'azure-cli', tenantId }, env);
    case 'oidc': {
      const clientId = clientIdFor(env, tenantId);
      if (!clientId) {
        throw new AuthConfigError(`--auth oidc needs AZURE_CLIENT_ID, or a client id for tenant ${tenantId} in SENTINEL_CLIENT_IDS (the app registration / managed identity with a federated credential)`);
      }
      if (env.AZURE_FEDERATED_TOKEN_FILE) {
        return credentialOfStep({ kind: 'workload-identity', tenantId, clientId, tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE }, env);
      }
      if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        return new ClientAssertionCredential(tenantId, clientId, githubAssertion(env), authorityOptions(env));
      }
      throw new AuthConfigError(
        '--auth oidc needs AZURE_FEDERATED_TOKEN_FILE, or GitHub Actions with `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN)',
      );
    }
    case 'emulator':
      throw new AuthConfigError(`--auth emulator needs the emulator's sign-in (credentialFor) for tenant ${tenantId}`);
  }
}

/** Clients per (tenant, subscription), credentials per tenant; created lazily, reused. */
export class ClientPool {
  private readonly credentials = new Map<string, TokenCredential>();
  private readonly clients = new Map<string, SubscriptionClients>();

  readonly settings: ClientSettings;
  constructor(settings: ClientSettings) {
    this.settings = settings;
  }

  /** The credential for a target's tenant (or for the Lighthouse managing tenant, when set). */
  credential(targetTenantId: string): TokenCredential {
    const tenantId = this.settings.authTenantId ?? targetTenantId;
    const key = tenantId.toLowerCase();
    let c = this.credentials.get(key);
    if (!c) this.credentials.set(key, (c = createCredential(this.settings, tenantId)));
    return c;
  }

  get(tenantId: string, subscriptionId: string): SubscriptionClients {
    const key = `${tenantId}/${subscriptionId}`.toLowerCase();
    let c = this.clients.get(key);
    if (c) return c;
    const { endpoint, retry } = this.settings;
    const credential = this.credential(tenantId);
    // `$host` builds the request URLs, `endpoint` the token scope: both must name the same ARM endpoint.
    const options = { $host: endpoint, endpoint, retryOptions: retry };
    const securityInsights = new SecurityInsights(credential, subscriptionId, options);
    const workbooks = new ApplicationInsightsManagementClient(credential, subscriptionId, options);
    const operationalInsights = new OperationalInsightsManagementClient(credential, subscriptionId, options);
    // The SDK's bearer policy refuses plain http; a loopback endpoint gets the loopback-only one.
    if (/^http:/i.test(endpoint)) {
      useLoopbackBearer(securityInsights, credential);
      useLoopbackBearer(workbooks, credential);
      useLoopbackBearer(operationalInsights, credential);
    }
    // ARM throttles per subscription: the clients of a subscription share one back-off gate.
    const gates = newGates();
    const timeout = attemptTimeoutPolicy(this.settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, this.settings.signal);
    for (const client of [securityInsights, workbooks, operationalInsights]) {
      client.pipeline.addPolicy(throttleGatePolicy(gates), { afterPhase: 'Retry' });
      client.pipeline.addPolicy(timeout, { afterPhase: 'Retry' });
    }
    c = {
      tenantId, subscriptionId, endpoint, securityInsights, workbooks, operationalInsights,
      asyncPoll: this.settings.asyncPoll ?? AZURE_ASYNC_POLL,
      ...(this.settings.signal ? { signal: this.settings.signal } : {}),
    };
    this.clients.set(key, c);
    return c;
  }
}

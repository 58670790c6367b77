/** Shared setup for emulator tests: a two-tenant topology and real SDK clients wired to the emulator. */
import { SecurityInsights } from '@azure/arm-securityinsight';
import { ApplicationInsightsManagementClient } from '@azure/arm-appinsights';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import type { TokenCredential } from '@azure/core-auth';
import { startEmulator, type EmulatorConfig, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { LoopbackClientSecretCredential, useLoopbackBearer } from '../../scripts/deploy/azure/loopback-auth.ts';

export const TENANT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
export const TENANT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
export const SUB_A = '11111111-0000-4000-8000-000000000001';
export const SUB_B = '22222222-0000-4000-8000-000000000002';
export const RG = 'rg-sentinel';
export const WS = 'ws-soc';

export const WORKSPACE_A = `/subscriptions/${SUB_A}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}`;

export function baseConfig(extra: Partial<EmulatorConfig> = {}): EmulatorConfig {
  return {
    tenants: [
      { tenantId: TENANT_A, clients: [{ clientId: 'deployer-a', clientSecret: 'test-only-secret-a' }], subscriptions: [{ subscriptionId: SUB_A, resourceGroups: [{ name: RG, workspaces: [WS, 'ws-other'] }] }] },
      { tenantId: TENANT_B, subscriptions: [{ subscriptionId: SUB_B, resourceGroups: [{ name: RG, workspaces: [WS] }] }] },
    ],
    throttling: { enabled: false },
    ...extra,
  };
}

/** SDK options for fast retries in tests (the SDK's throttling policy follows Retry-After / x-ms-retry-after-ms). */
export const FAST_RETRY = { retryOptions: { maxRetries: 6, retryDelayInMs: 5, maxRetryDelayInMs: 20 } };

/** A TokenCredential signing in as a configured client of `tenantId` (the first one, or the well-known local client). */
export function credentialOf(em: Pick<EmulatorHandle, 'client'>, tenantId: string, clientId?: string): LoopbackClientSecretCredential {
  return new LoopbackClientSecretCredential(em.client(tenantId, clientId));
}

export function securityInsights(em: { url: string }, credential: TokenCredential, subscriptionId = SUB_A): SecurityInsights {
  return useLoopbackBearer(new SecurityInsights(credential, subscriptionId, { endpoint: em.url, ...FAST_RETRY }), credential);
}

export function appInsights(em: { url: string }, credential: TokenCredential, subscriptionId = SUB_A): ApplicationInsightsManagementClient {
  return useLoopbackBearer(new ApplicationInsightsManagementClient(credential, subscriptionId, { endpoint: em.url, ...FAST_RETRY }), credential);
}

export async function withEmulator<T>(config: EmulatorConfig, fn: (em: EmulatorHandle) => Promise<T>): Promise<T> {
  const em = await startEmulator(config);
  try {
    return await fn(em);
  } finally {
    await em.stop();
  }
}

export function scheduledRule(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'Scheduled' as const,
    displayName: 'Credential added to application',
    description: 'A credential was added to an app registration.',
    enabled: true,
    query: 'AuditLogs | where OperationName has "Update application"',
    severity: 'Medium' as const,
    queryFrequency: 'PT1H',
    queryPeriod: 'PT1H',
    triggerOperator: 'GreaterThan' as const,
    triggerThreshold: 0,
    tactics: ['Persistence'],
    techniques: ['T1098'],
    ...overrides,
  };
}

/** Captures the RestError a promise rejects with. */
export async function restError(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; code?: string; message: string };
  }
  throw new Error('expected the call to fail');
}

export function operationalInsights(em: { url: string }, credential: TokenCredential, subscriptionId = SUB_A): OperationalInsightsManagementClient {
  return useLoopbackBearer(new OperationalInsightsManagementClient(credential, subscriptionId, { endpoint: em.url, ...FAST_RETRY }), credential);
}

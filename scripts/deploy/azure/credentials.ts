/**
 * `--auth default`: one explicit credential chain per tenant, built from @azure/identity classes.
 *
 * `DefaultAzureCredential` reads its environment credential's tenant from `AZURE_TENANT_ID` only, so
 * a second tenant's target got a token of the first tenant (ARM: 401 InvalidAuthenticationTokenTenant).
 * Here every source that signs in against Entra is given the target's tenant explicitly, in
 * DefaultAzureCredential's order:
 *
 *   1. environment: a client secret, else a client certificate — the tenant's own
 *      (`SENTINEL_CLIENT_SECRET_VARS` / `SENTINEL_CLIENT_CERTIFICATE_PATHS`) before the shared one
 *      (`AZURE_CLIENT_SECRET` / `AZURE_CLIENT_CERTIFICATE_PATH`, which then signs in to every tenant: a
 *      multi-tenant app registration consented in each customer tenant)
 *   2. workload identity: `AZURE_FEDERATED_TOKEN_FILE` (AKS, or any platform that writes the token file)
 *   3. managed identity: it lives in ONE tenant, so it is in the chain only for the tenant that
 *      `AZURE_TENANT_ID` names (or for every tenant when `AZURE_TENANT_ID` is unset: a single-tenant run)
 *   4. Azure CLI: `az account get-access-token --tenant <tenantId>`
 *
 * The client id of a tenant is `SENTINEL_CLIENT_IDS[tenantId]`, else `AZURE_CLIENT_ID`. Secrets are
 * never in the JSON maps or in YAML: `SENTINEL_CLIENT_SECRET_VARS` names, per tenant, the environment
 * variable that holds the secret (each one a CI secret of its own, masked on its own).
 *
 * `AZURE_AUTHORITY_HOST` (sovereign clouds; a local token service) is read from the run's environment;
 * a loopback authority (the emulator's HTTPS listener) cannot be in Entra's instance discovery, so
 * discovery is off for it and MSAL reads the authority's OpenID configuration instead.
 *
 * Pure planning (`defaultChainPlan`) is separate from building the credentials (`credentialFromPlan`).
 */
import { existsSync } from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import {
  AzureCliCredential, ChainedTokenCredential, ClientCertificateCredential, ClientSecretCredential,
  ManagedIdentityCredential, WorkloadIdentityCredential,
} from '@azure/identity';
import { isLoopbackUrl } from './loopback-auth.ts';

/** A configuration problem with credentials (no stack trace; the CLI prints the message). */
export class AuthConfigError extends Error {}

const GUIDISH = /^[0-9a-zA-Z-.]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `{"<tenantId>": "<string>"}` from a JSON environment variable; the entry of `tenantId` (case-insensitive). */
function tenantEntry(env: NodeJS.ProcessEnv, variable: string, tenantId: string, what: string): string | undefined {
  const text = env[variable];
  if (!text) return undefined;
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    throw new AuthConfigError(`${variable} must be JSON like {"<tenantId>": "<${what}>"}`);
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) throw new AuthConfigError(`${variable} must be a JSON object of tenantId → ${what}`);
  const hit = Object.entries(map).find(([t]) => t.toLowerCase() === tenantId.toLowerCase());
  if (!hit) return undefined;
  if (typeof hit[1] !== 'string' || !hit[1]) throw new AuthConfigError(`${variable}: the ${what} for tenant ${tenantId} must be a non-empty string`);
  return hit[1];
}

/**
 * The client id to sign in with for a tenant: `SENTINEL_CLIENT_IDS` (JSON `{"<tenantId>": "<clientId>"}`,
 * one identity per customer tenant) first, then `AZURE_CLIENT_ID`.
 */
export function clientIdFor(env: NodeJS.ProcessEnv, tenantId: string): string | undefined {
  return tenantEntry(env, 'SENTINEL_CLIENT_IDS', tenantId, 'clientId') ?? (env.AZURE_CLIENT_ID || undefined);
}

/** The value of the environment variable a per-tenant map names (`SENTINEL_*_VARS`), checked. */
function namedSecret(env: NodeJS.ProcessEnv, mapVariable: string, tenantId: string): string | undefined {
  const name = tenantEntry(env, mapVariable, tenantId, 'ENV_VAR_NAME');
  if (name === undefined) return undefined;
  if (!ENV_NAME.test(name)) throw new AuthConfigError(`${mapVariable}: tenant ${tenantId} must name an environment variable (letters, digits, _), not a value`);
  const value = env[name];
  if (!value) throw new AuthConfigError(`${mapVariable} names ${name} for tenant ${tenantId}, but ${name} is not set`);
  return value;
}

/** One source of the chain, with what it needs (pure data: secrets stay out of messages). */
export type CredentialStep =
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string; from: string }
  | { kind: 'client-certificate'; tenantId: string; clientId: string; certificatePath: string; certificatePassword?: string; from: string }
  | { kind: 'workload-identity'; tenantId: string; clientId: string; tokenFilePath: string }
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'azure-cli'; tenantId: string };

/** The environment step for a tenant: its own secret/certificate first, then the shared ones. */
function environmentStep(env: NodeJS.ProcessEnv, tenantId: string): CredentialStep | undefined {
  const ownSecret = namedSecret(env, 'SENTINEL_CLIENT_SECRET_VARS', tenantId);
  const ownCertificate = tenantEntry(env, 'SENTINEL_CLIENT_CERTIFICATE_PATHS', tenantId, 'certificate path');
  const choice =
    ownSecret ? { secret: ownSecret, from: 'SENTINEL_CLIENT_SECRET_VARS' } :
    ownCertificate ? { certificate: ownCertificate, from: 'SENTINEL_CLIENT_CERTIFICATE_PATHS' } :
    env.AZURE_CLIENT_SECRET ? { secret: env.AZURE_CLIENT_SECRET, from: 'AZURE_CLIENT_SECRET' } :
    env.AZURE_CLIENT_CERTIFICATE_PATH ? { certificate: env.AZURE_CLIENT_CERTIFICATE_PATH, from: 'AZURE_CLIENT_CERTIFICATE_PATH' } :
    undefined;
  if (!choice) return undefined;
  const clientId = clientIdFor(env, tenantId);
  if (!clientId) throw new AuthConfigError(`${choice.from} is set for tenant ${tenantId} but no client id is: set AZURE_CLIENT_ID, or the tenant's entry in SENTINEL_CLIENT_IDS`);
  if ('secret' in choice && choice.secret) return { kind: 'client-secret', tenantId, clientId, clientSecret: choice.secret, from: choice.from };
  const certificatePath = choice.certificate!;
  if (!existsSync(certificatePath)) throw new AuthConfigError(`${choice.from}: the certificate for tenant ${tenantId} (${certificatePath}) does not exist`);
  const certificatePassword = namedSecret(env, 'SENTINEL_CLIENT_CERTIFICATE_PASSWORD_VARS', tenantId) ?? (env.AZURE_CLIENT_CERTIFICATE_PASSWORD || undefined);
  return { kind: 'client-certificate', tenantId, clientId, certificatePath, ...(certificatePassword ? { certificatePassword } : {}), from: choice.from };
}

/** The `--auth default` chain for one tenant, in order (throws AuthConfigError for a misconfigured piece). */
export function defaultChainPlan(env: NodeJS.ProcessEnv, tenantId: string): CredentialStep[] {
  if (!GUIDISH.test(tenantId)) throw new AuthConfigError(`tenant id ${JSON.stringify(tenantId)} is not a tenant id (a GUID or a domain name)`);
  const steps: CredentialStep[] = [];
  const environment = environmentStep(env, tenantId);
  if (environment) steps.push(environment);
  if (env.AZURE_FEDERATED_TOKEN_FILE) {
    const clientId = clientIdFor(env, tenantId);
    if (!clientId) throw new AuthConfigError(`AZURE_FEDERATED_TOKEN_FILE is set but tenant ${tenantId} has no client id: set AZURE_CLIENT_ID, or the tenant's entry in SENTINEL_CLIENT_IDS`);
    steps.push({ kind: 'workload-identity', tenantId, clientId, tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE });
  }
  if (managedIdentityServes(env, tenantId)) {
    const clientId = clientIdFor(env, tenantId);
    steps.push({ kind: 'managed-identity', ...(clientId ? { clientId } : {}) });
  }
  steps.push({ kind: 'azure-cli', tenantId });
  return steps;
}

/** A managed identity belongs to the tenant of its Azure resource: `AZURE_TENANT_ID` says which (unset: any, a single-tenant run). */
export function managedIdentityServes(env: NodeJS.ProcessEnv, tenantId: string): boolean {
  return !env.AZURE_TENANT_ID || env.AZURE_TENANT_ID.toLowerCase() === tenantId.toLowerCase();
}

/** Options every Entra-facing credential gets: the run's authority host, discovery off for a loopback one. */
export function authorityOptions(env: NodeJS.ProcessEnv): { authorityHost?: string; disableInstanceDiscovery?: boolean } {
  const authorityHost = env.AZURE_AUTHORITY_HOST || undefined;
  if (!authorityHost) return {};
  if (!/^https:\/\//i.test(authorityHost)) throw new AuthConfigError(`AZURE_AUTHORITY_HOST must be an https URL, got ${authorityHost}`);
  return { authorityHost, ...(isLoopbackUrl(authorityHost) ? { disableInstanceDiscovery: true } : {}) };
}

/** The @azure/identity credential of one step. */
export function credentialOfStep(step: CredentialStep, env: NodeJS.ProcessEnv): TokenCredential {
  const authority = authorityOptions(env);
  switch (step.kind) {
    case 'client-secret':
      return new ClientSecretCredential(step.tenantId, step.clientId, step.clientSecret, authority);
    case 'client-certificate':
      return new ClientCertificateCredential(
        step.tenantId, step.clientId,
        { certificatePath: step.certificatePath, ...(step.certificatePassword ? { certificatePassword: step.certificatePassword } : {}) },
        authority,
      );
    case 'workload-identity':
      return new WorkloadIdentityCredential({ tenantId: step.tenantId, clientId: step.clientId, tokenFilePath: step.tokenFilePath, ...authority });
    case 'managed-identity':
      // DefaultAzureCredential's retry settings for the IMDS endpoint.
      return new ManagedIdentityCredential({ ...(step.clientId ? { clientId: step.clientId } : {}), retryOptions: { maxRetries: 5, retryDelayInMs: 800 } });
    case 'azure-cli':
      return new AzureCliCredential({ tenantId: step.tenantId });
  }
}

/** The chain of a plan: the first source that can sign in wins (ChainedTokenCredential). */
export function credentialFromPlan(steps: readonly CredentialStep[], env: NodeJS.ProcessEnv): TokenCredential {
  const credentials = steps.map((s) => credentialOfStep(s, env));
  return credentials.length === 1 ? credentials[0]! : new ChainedTokenCredential(...credentials);
}

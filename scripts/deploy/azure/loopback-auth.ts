/**
 * Bearer auth over plain HTTP to a loopback ARM endpoint (a local emulator), and an OAuth2
 * client-credentials TokenCredential for a loopback token endpoint. Generic: nothing here knows
 * which server listens; the CLI chooses the endpoint and the client credentials.
 *
 * The Azure SDK's bearerTokenAuthenticationPolicy refuses to send tokens to non-https URLs. For a
 * plain-http endpoint `useLoopbackBearer` swaps it for `loopbackBearerPolicy`: the same job (take a
 * token from a real TokenCredential, set `Authorization: Bearer …`) but it accepts plain http and
 * refuses every URL that is not loopback, so a token can never leave the machine unencrypted.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';

export const ARM_SCOPE = 'https://management.azure.com/.default';
export const LOOPBACK_BEARER_POLICY = 'loopbackBearerPolicy';
const BEARER_POLICY = 'bearerTokenAuthenticationPolicy';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

export interface LoopbackClientSecretOptions {
  /** Base URL of the token endpoint's server (http://127.0.0.1:port). */
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Client-credentials TokenCredential against `POST {url}/{tenantId}/oauth2/v2.0/token` on loopback. */
export class LoopbackClientSecretCredential implements TokenCredential {
  private readonly cache = new Map<string, AccessToken>();

  private readonly options: LoopbackClientSecretOptions;
  constructor(options: LoopbackClientSecretOptions) {
    this.options = options;
    if (!isLoopbackUrl(options.url)) throw new Error(`LoopbackClientSecretCredential only talks to a loopback token endpoint, not ${options.url}.`);
  }

  get tenantId(): string {
    return this.options.tenantId;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const scope = (Array.isArray(scopes) ? scopes : [scopes]).join(' ');
    const cached = this.cache.get(scope);
    if (cached && cached.expiresOnTimestamp - 300_000 > Date.now()) return cached;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope,
    });
    const url = `${this.options.url}/${encodeURIComponent(this.options.tenantId)}/oauth2/v2.0/token`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      ...(options?.abortSignal ? { signal: options.abortSignal as AbortSignal } : {}),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) {
      throw new Error(`LoopbackClientSecretCredential: token request for tenant ${this.options.tenantId} failed: ${body.error ?? res.status}: ${body.error_description ?? ''}`.trim());
    }
    const token: AccessToken = { token: body.access_token, expiresOnTimestamp: Date.now() + (body.expires_in ?? 3600) * 1000, tokenType: 'Bearer' };
    this.cache.set(scope, token);
    return token;
  }
}

/** Sets `Authorization: Bearer <token from credential>` on loopback requests; throws for any other URL. */
export function loopbackBearerPolicy(credential: TokenCredential, scopes: string | string[] = ARM_SCOPE): PipelinePolicy {
  return {
    name: LOOPBACK_BEARER_POLICY,
    async sendRequest(request, next) {
      if (!isLoopbackUrl(request.url)) {
        throw new Error(`loopbackBearerPolicy refuses to send a token to ${new URL(request.url).origin}: it is for a local (loopback) endpoint only.`);
      }
      const token = await credential.getToken(scopes, { abortSignal: request.abortSignal });
      if (!token) throw new Error('loopbackBearerPolicy: the credential returned no token.');
      request.headers.set('Authorization', `Bearer ${token.token}`);
      request.allowInsecureConnection = true;
      return next(request);
    },
  };
}

/** Replaces the client's bearer-token policy with the loopback-only one. Returns the client. */
export function useLoopbackBearer<T extends { pipeline: Pipeline }>(client: T, credential: TokenCredential, scopes: string | string[] = ARM_SCOPE): T {
  client.pipeline.removePolicy({ name: BEARER_POLICY });
  client.pipeline.removePolicy({ name: LOOPBACK_BEARER_POLICY });
  client.pipeline.addPolicy(loopbackBearerPolicy(credential, scopes));
  return client;
}

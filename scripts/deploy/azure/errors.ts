/** Turns SDK, identity and network failures into one line naming the tenant / workspace. */
import type { WorkspaceRef } from '../desired/model.ts';

interface ErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  cause?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

function networkCode(e: ErrorLike | undefined, depth = 0): string | undefined {
  if (!e || depth > 4) return undefined;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  return networkCode(e.cause as ErrorLike | undefined, depth + 1);
}

/**
 * A credential chain's failure (`AggregateAuthenticationError`, message "ChainedTokenCredential
 * authentication failed.") says why in its `errors`: each source's first line, in chain order.
 */
function credentialDetail(e: unknown): string | undefined {
  const errors = (e as { name?: unknown; errors?: unknown } | null)?.errors;
  if ((e as ErrorLike | null)?.name !== 'AggregateAuthenticationError' || !Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((x) => firstLine((x as ErrorLike | null)?.message)).filter(Boolean).join('; ');
}

/** Status code of an SDK error, if any. */
export const statusOf = (e: unknown): number | undefined => (e as ErrorLike | undefined)?.statusCode;

/** One line: what failed, where, and what to do. Never a stack trace. */
export function describeError(e: unknown, ws: WorkspaceRef, endpoint: string): string {
  const err = (e ?? {}) as ErrorLike;
  const where = `workspace ${ws.workspaceName} (subscription ${ws.subscriptionId}, resource group ${ws.resourceGroup})`;
  // The SDK puts a non-JSON error body (a gateway's HTML page) into the message: say what it was.
  const raw = credentialDetail(e) ?? firstLine(err.message);
  const detail = /^\s*<(!doctype|html|head|body)/i.test(raw) ? 'the service answered with an HTML page (a gateway or proxy error), not an ARM error' : raw;
  if (err.statusCode === 401 && err.code === 'InvalidAuthenticationTokenTenant') {
    return `tenant ${ws.tenantId}: the token is from another tenant (401 InvalidAuthenticationTokenTenant) for ${where} — sign in to tenant ${ws.tenantId} (the target's tenantId), or delegate the subscription with Azure Lighthouse and use --auth-tenant`;
  }
  if (err.statusCode === 401) {
    return `tenant ${ws.tenantId}: authentication failed (401) for ${where}: ${detail} — sign in to this tenant or fix --auth`;
  }
  if (err.statusCode === 403) {
    return `tenant ${ws.tenantId}: not authorised (403) on ${where}: ${detail} — grant the identity Microsoft Sentinel Contributor on the workspace`;
  }
  if (err.statusCode === 404) {
    return `${where} not found (404) in tenant ${ws.tenantId}: ${detail} — check the target's subscriptionId/resourceGroup/workspaceName and that Sentinel is enabled`;
  }
  if (err.name === 'AbortError') return `${where}: cancelled (Ctrl-C, or the run's --timeout) — resume with \`sentinel apply --resume\``;
  if (err.code === 'ETIMEDOUT' && /^no answer within/.test(detail)) {
    return `${endpoint} gave ${where} ${detail.replace(' (request timed out)', '')}, retried — the endpoint accepts connections but does not answer; check it, or raise --request-timeout`;
  }
  const net = networkCode(err) ?? (err.name === 'TypeError' && detail === 'fetch failed' ? firstLine((err.cause as ErrorLike | undefined)?.message) || 'fetch failed' : undefined);
  if (net) return `cannot reach ${endpoint} (${net}) for ${where} — check the network or the emulator`;
  if (isCredentialUnavailable(e)) return `tenant ${ws.tenantId}: no credential available (${detail}) — run \`az login --tenant ${ws.tenantId}\` or choose --auth`;
  if (err.statusCode) return `${where}: HTTP ${err.statusCode} ${err.code ?? ''}: ${detail}`.replace(/\s+:/, ':');
  return `${where}: ${detail || String(e)}`;
}

/** No sign-in for the tenant (`@azure/identity` found no usable credential): an environment problem, not the target's. */
export function isCredentialUnavailable(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^(CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError|AuthenticationRequiredError)$/.test(name);
}

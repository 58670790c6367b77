/**
 * The emulator's identity provider and ARM's token checks.
 *
 * Tokens are JWTs signed with HMAC-SHA256 and a per-emulator secret; they carry `tid`, `oid`,
 * `appid`, `aud` (https://management.azure.com/) and `exp` like Entra ID app tokens. The token
 * endpoint mimics `POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`
 * (client-credentials grant) including its AADSTS error bodies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ArmError } from './errors.ts';
import type { Topology } from './config.ts';

export const ARM_AUDIENCES = ['https://management.azure.com/', 'https://management.azure.com', 'https://management.core.windows.net/', 'https://management.core.windows.net'];

export interface Principal {
  tid: string;
  oid: string;
  appid: string;
}

interface Claims extends Principal {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  sub: string;
  idtyp: 'app';
  ver: '1.0';
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function sign(secret: string, headerAndPayload: string): string {
  return createHmac('sha256', secret).update(headerAndPayload).digest('base64url');
}

export function issueToken(secret: string, principal: Principal, audience: string, nowSeconds: number, lifetimeSeconds: number): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sentinel-emulator' }));
  const claims: Claims = {
    ...principal,
    aud: audience,
    iss: `https://sts.windows.net/${principal.tid}/`,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
    sub: principal.oid,
    idtyp: 'app',
    ver: '1.0',
  };
  const payload = b64url(JSON.stringify(claims));
  return `${header}.${payload}.${sign(secret, `${header}.${payload}`)}`;
}

const invalidToken = (message: string) => new ArmError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token"' });

/** ARM's checks on the Authorization header; returns who is calling. */
export function verifyBearer(secret: string, authorization: string | undefined, nowSeconds: number): Principal {
  if (!authorization) {
    throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {
      'WWW-Authenticate': 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
    });
  }
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  const parts = m[1]!.split('.');
  if (parts.length !== 3) throw invalidToken('The access token is invalid: it is not a JWT (header.payload.signature).');
  const [header, payload, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(secret, `${header}.${payload}`));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw invalidToken('The access token is invalid: its signature was not issued by this emulator.');
  }
  let claims: Partial<Claims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims>;
  } catch {
    throw invalidToken('The access token is invalid: the payload is not JSON.');
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
    const when = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'unknown';
    throw new ArmError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${when}' is earlier than current UTC time '${new Date(nowSeconds * 1000).toISOString()}'.`);
  }
  if (typeof claims.aud !== 'string' || !ARM_AUDIENCES.includes(claims.aud)) {
    throw invalidToken(`The access token has been obtained for wrong audience or resource '${String(claims.aud)}'. It should exactly match with one of the allowed audiences '${ARM_AUDIENCES.join("','")}'.`);
  }
  if (typeof claims.tid !== 'string' || typeof claims.oid !== 'string') throw invalidToken('The access token is invalid: tid and oid claims are required.');
  return { tid: claims.tid, oid: claims.oid, appid: String(claims.appid ?? '') };
}

/**
 * ARM answers a token from another tenant than the subscription's with 401 Unauthorized and code
 * InvalidAuthenticationTokenTenant ("The access token is from the wrong issuer …", as reported in
 * Azure/azure-sdk-for-net#49391 and its AzureAD/microsoft-identity-web twin), unless the subscription
 * is delegated to the token's tenant through Azure Lighthouse.
 */
export function checkTenant(principal: Principal, subscriptionId: string, subscriptionTenant: string, delegatedTo: ReadonlySet<string> = new Set()): void {
  if (principal.tid.toLowerCase() === subscriptionTenant.toLowerCase() || delegatedTo.has(principal.tid.toLowerCase())) return;
  throw new ArmError(
    401,
    'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer 'https://sts.windows.net/${principal.tid}/'. It must match the tenant ` +
      `'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription '${subscriptionId}'. ` +
      `Please use the authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token.`,
  );
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

function aadError(status: number, error: string, description: string): TokenResponse {
  return { status, body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString() } };
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How a token request authenticated its client (what the emulator's token log records; never the secret itself). */
export type ClientAuthKind = 'secret' | 'assertion' | 'none';

export function clientAuthOf(form: URLSearchParams): ClientAuthKind {
  if (form.has('client_secret')) return 'secret';
  if (form.get('client_assertion_type') === JWT_BEARER && form.has('client_assertion')) return 'assertion';
  return 'none';
}

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`: the tenant's OpenID configuration document
 * ("OpenID Connect on the Microsoft identity platform", "Fetch the OpenID configuration document": the
 * authority `https://login.microsoftonline.com/{tenant}/v2.0` + `/.well-known/openid-configuration`, with
 * `authorization_endpoint`, `token_endpoint`, `token_endpoint_auth_methods_supported`, `jwks_uri`, `userinfo_endpoint`, `subject_types_supported`;
 * `issuer` is required by OpenID Connect Discovery 1.0 §3). The docs show the `common` document with a `{tenant}`
 * placeholder and are silent on a tenant's own document: the emulator names the tenant id in every URL,
 * and answers an unknown tenant like its token endpoint (400 AADSTS90002). `base` is the origin the
 * request came in on (the HTTPS listener when MSAL asks), so the document points back at the emulator.
 */
export function openidConfiguration(topology: Topology, tenantId: string, base: string): TokenResponse {
  const tenant = topology.tenants.get(tenantId.toLowerCase());
  if (!tenant) return aadError(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  const authority = `${base}/${tenant.tenantId}`;
  return {
    status: 200,
    body: {
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      subject_types_supported: ['pairwise'],
      issuer: `${authority}/v2.0`,
    },
  };
}

/** The client-credentials grant of `POST /{tenantId}/oauth2/v2.0/token` (form-encoded body). */
export function tokenGrant(
  topology: Topology,
  secret: string,
  tenantId: string,
  form: URLSearchParams,
  nowSeconds: number,
  lifetimeSeconds: number,
): TokenResponse {
  const tenant = topology.tenants.get(tenantId.toLowerCase());
  if (!tenant) return aadError(400, 'invalid_request', `AADSTS90002: Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'. The emulator supports client_credentials.`);
  }
  const clientId = form.get('client_id') ?? '';
  const client = tenant.clients.get(clientId);
  if (!client) return aadError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant.tenantId}'.`);
  // A certificate or federated credential signs in with `client_assertion` (JWT bearer; "Microsoft identity
  // platform and the OAuth 2.0 client credentials flow", second and third cases). The emulator registers
  // client secrets only, so no assertion can match a registered key: Entra's answer to such an assertion is
  // 401 invalid_client AADSTS700027 (Entra "authentication and authorization error codes").
  if (form.get('client_assertion_type') === JWT_BEARER && !form.has('client_secret')) {
    return aadError(401, 'invalid_client', `AADSTS700027: Client assertion failed signature validation: application '${clientId}' in tenant '${tenant.tenantId}' has no certificate or federated credential registered in the emulator (it accepts client secrets only).`);
  }
  if (form.get('client_secret') !== client.clientSecret) {
    return aadError(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided for application '${clientId}' in tenant '${tenant.tenantId}'.`);
  }
  const scope = (form.get('scope') ?? '').split(/\s+/).find((s) => s.endsWith('/.default'));
  if (!scope) return aadError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope '${form.get('scope') ?? ''}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
  const audience = scope.slice(0, -'.default'.length);
  const token = issueToken(secret, { tid: tenant.tenantId, oid: client.objectId, appid: clientId }, audience, nowSeconds, lifetimeSeconds);
  return { status: 200, body: { token_type: 'Bearer', expires_in: lifetimeSeconds, ext_expires_in: lifetimeSeconds, access_token: token } };
}

/**
 * "Managing watchlists across workspaces using Azure Lighthouse isn't supported" (Microsoft Sentinel
 * docs, "Watchlists in Microsoft Sentinel", limitations). The docs do not say how the service
 * answers; the emulator refuses a watchlist write by a delegated (managing-tenant) identity with
 * 403 and says why, so a rollout learns it the way a user would.
 */
export function checkWatchlistDelegation(principal: Principal, subscriptionTenant: string, isWatchlistWrite: boolean): void {
  if (!isWatchlistWrite || principal.tid.toLowerCase() === subscriptionTenant.toLowerCase()) return;
  throw new ArmError(
    403,
    'LighthouseWatchlistNotSupported',
    `Managing watchlists across workspaces using Azure Lighthouse isn't supported: this token is from the managing tenant ${principal.tid}, ` +
      `not the workspace's tenant ${subscriptionTenant}. Use an identity of tenant ${subscriptionTenant} for watchlists.`,
  );
}

/**
 * The emulator's identity side for @azure/identity (MSAL): the optional HTTPS listener, the tenant's
 * OpenID configuration document, the token-request log, and the refusal of client assertions.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { selfSignedLoopbackCertificate, type TestCertificate } from '../helpers/tls.ts';

const A = '00000000-0000-0000-0000-0000000000a1';
const UNKNOWN = '00000000-0000-0000-0000-0000000000ee';

let em: EmulatorHandle;
let tls: TestCertificate;

/** GET over the HTTPS listener, trusting the per-run certificate for this request only. */
function getTls(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca: tls.cert }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    }).on('error', reject);
  });
}

const token = (form: Record<string, string>, tenant = A) =>
  fetch(`${em.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) })
    .then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

beforeAll(async () => {
  tls = selfSignedLoopbackCertificate();
  em = await startEmulator({ https: { cert: tls.cert, key: tls.key }, tenants: [{ tenantId: A, clients: [{ clientId: 'app', clientSecret: 's3cret' }] }] });
});
afterAll(async () => {
  await em?.stop();
  tls?.cleanup();
});

describe('identity endpoints for MSAL', () => {
  it('serves the tenant\'s OpenID configuration on the HTTPS listener, every URL on that listener and naming the tenant', async () => {
    expect(em.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { status, body } = await getTls(`${em.httpsUrl}/${A}/v2.0/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(body.token_endpoint).toBe(`${em.httpsUrl}/${A}/oauth2/v2.0/token`);
    expect(body.authorization_endpoint).toBe(`${em.httpsUrl}/${A}/oauth2/v2.0/authorize`);
    expect(body.issuer).toBe(`${em.httpsUrl}/${A}/v2.0`);
    expect(body.jwks_uri).toBe(`${em.httpsUrl}/${A}/discovery/v2.0/keys`);
    expect(body.token_endpoint_auth_methods_supported).toEqual(['client_secret_post', 'private_key_jwt']);
  });

  it('answers an unknown tenant\'s document with 400 AADSTS90002', async () => {
    const { status, body } = await getTls(`${em.httpsUrl}/${UNKNOWN}/v2.0/.well-known/openid-configuration`);
    expect(status).toBe(400);
    expect(String(body.error_description)).toContain(`AADSTS90002: Tenant '${UNKNOWN}' not found`);
  });

  it('logs each token request (tenant, client, how it authenticated, status) and never the secret', async () => {
    em.resetStats();
    expect((await token({ grant_type: 'client_credentials', client_id: 'app', client_secret: 's3cret', scope: 'https://management.azure.com/.default' })).status).toBe(200);
    expect((await token({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'wrong', scope: 'https://management.azure.com/.default' })).status).toBe(401);
    const assertion = await token({
      grant_type: 'client_credentials', client_id: 'app', scope: 'https://management.azure.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'a.b.c',
    });
    expect(assertion.status).toBe(401);
    expect(assertion.body.error).toBe('invalid_client');
    expect(String(assertion.body.error_description)).toMatch(/^AADSTS700027: /);
    expect(em.stats().tokenRequests).toEqual([
      { tenantId: A, clientId: 'app', clientAuth: 'secret', status: 200 },
      { tenantId: A, clientId: 'app', clientAuth: 'secret', status: 401 },
      { tenantId: A, clientId: 'app', clientAuth: 'assertion', status: 401 },
    ]);
    expect(JSON.stringify(em.stats())).not.toContain('s3cret');
    em.resetStats();
    expect(em.stats().tokenRequests).toEqual([]);
  });

  it('refuses an https config that is not PEM', async () => {
    await expect(startEmulator({ https: { cert: 'nope', key: tls.key } })).rejects.toThrow('https.cert must be a PEM certificate');
  });
});

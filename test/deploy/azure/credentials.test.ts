/**
 * `--auth default` per tenant (deploy/azure/credentials.ts): the chain each tenant gets, its
 * configuration errors, and — over real HTTP with real @azure/identity — that the credential
 * createCredential builds for each source sends its token request to the requested tenant.
 * The HTTP half runs in a child process (credential-probe.ts) that trusts the emulator's per-run
 * self-signed HTTPS listener through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError, authorityOptions, defaultChainPlan, managedIdentityServes } from '../../../scripts/deploy/azure/credentials.ts';
import { startEmulator, type EmulatorHandle } from '../../../scripts/emulator/index.ts';
import { selfSignedLoopbackCertificate, type TestCertificate } from '../../helpers/tls.ts';

const A = '00000000-0000-0000-0000-0000000000a1';
const B = '00000000-0000-0000-0000-0000000000a2';
const kinds = (env: NodeJS.ProcessEnv, tenant: string) => defaultChainPlan(env, tenant).map((s) => ('from' in s ? `${s.kind}:${s.from}` : s.kind));

describe('defaultChainPlan: the sources a tenant gets, in DefaultAzureCredential\'s order', () => {
  it('with nothing configured: managed identity (AZURE_TENANT_ID unset) then the Azure CLI for that tenant', () => {
    expect(kinds({}, A)).toEqual(['managed-identity', 'azure-cli']);
    expect(defaultChainPlan({}, B).at(-1)).toEqual({ kind: 'azure-cli', tenantId: B });
  });

  it('environment secret, workload identity, managed identity, Azure CLI — every Entra source names the tenant', () => {
    const env = { AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's', AZURE_FEDERATED_TOKEN_FILE: '/var/run/token', AZURE_TENANT_ID: A };
    expect(kinds(env, A)).toEqual(['client-secret:AZURE_CLIENT_SECRET', 'workload-identity', 'managed-identity', 'azure-cli']);
    for (const step of defaultChainPlan(env, B)) if ('tenantId' in step) expect(step.tenantId).toBe(B);
  });

  it('a tenant\'s own secret or certificate wins over the shared ones; its own client id too', () => {
    const cert = fileURLToPath(import.meta.url); // any existing file stands for a certificate path here
    const env = {
      AZURE_CLIENT_ID: 'shared-app', AZURE_CLIENT_SECRET: 'shared-secret',
      SENTINEL_CLIENT_IDS: JSON.stringify({ [A]: 'a-app', [B]: 'b-app' }),
      SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A.toUpperCase()]: 'A_SECRET' }), A_SECRET: 'a-secret',
      SENTINEL_CLIENT_CERTIFICATE_PATHS: JSON.stringify({ [B]: cert }),
    };
    expect(defaultChainPlan(env, A)[0]).toMatchObject({ kind: 'client-secret', tenantId: A, clientId: 'a-app', clientSecret: 'a-secret', from: 'SENTINEL_CLIENT_SECRET_VARS' });
    expect(defaultChainPlan(env, B)[0]).toMatchObject({ kind: 'client-certificate', tenantId: B, clientId: 'b-app', certificatePath: cert, from: 'SENTINEL_CLIENT_CERTIFICATE_PATHS' });
    const other = '00000000-0000-0000-0000-0000000000a3';
    expect(defaultChainPlan(env, other)[0]).toMatchObject({ kind: 'client-secret', tenantId: other, clientId: 'shared-app', from: 'AZURE_CLIENT_SECRET' });
  });

  it('a managed identity serves only the tenant AZURE_TENANT_ID names', () => {
    expect(managedIdentityServes({ AZURE_TENANT_ID: A }, A.toUpperCase())).toBe(true);
    expect(managedIdentityServes({ AZURE_TENANT_ID: A }, B)).toBe(false);
    expect(kinds({ AZURE_TENANT_ID: A }, B)).toEqual(['azure-cli']);
    expect(defaultChainPlan({ AZURE_TENANT_ID: A, AZURE_CLIENT_ID: 'uami' }, A)).toContainEqual({ kind: 'managed-identity', clientId: 'uami' });
  });

  it('misconfiguration is an AuthConfigError of one line that never holds a secret', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ AZURE_CLIENT_SECRET: 'top-secret' }, `AZURE_CLIENT_SECRET is set for tenant ${A} but no client id is`],
      [{ AZURE_CLIENT_ID: 'app', SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'MISSING' }) }, `SENTINEL_CLIENT_SECRET_VARS names MISSING for tenant ${A}, but MISSING is not set`],
      [{ AZURE_CLIENT_ID: 'app', SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'top-secret!' }) }, `SENTINEL_CLIENT_SECRET_VARS: tenant ${A} must name an environment variable (letters, digits, _), not a value`],
      [{ AZURE_CLIENT_ID: 'app', SENTINEL_CLIENT_SECRET_VARS: '{oops' }, 'SENTINEL_CLIENT_SECRET_VARS must be JSON like {"<tenantId>": "<ENV_VAR_NAME>"}'],
      [{ AZURE_CLIENT_ID: 'app', AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent/cert.pem' }, `AZURE_CLIENT_CERTIFICATE_PATH: the certificate for tenant ${A} (/nonexistent/cert.pem) does not exist`],
      [{ AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' }, `AZURE_FEDERATED_TOKEN_FILE is set but tenant ${A} has no client id`],
    ];
    for (const [env, message] of cases) {
      let error: unknown;
      try {
        defaultChainPlan(env, A);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AuthConfigError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain('top-secret');
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('AZURE_AUTHORITY_HOST: https only; instance discovery off for a loopback authority only', () => {
    expect(authorityOptions({})).toEqual({});
    expect(authorityOptions({ AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' })).toEqual({ authorityHost: 'https://login.microsoftonline.us' });
    expect(authorityOptions({ AZURE_AUTHORITY_HOST: 'https://127.0.0.1:8443' })).toEqual({ authorityHost: 'https://127.0.0.1:8443', disableInstanceDiscovery: true });
    expect(() => authorityOptions({ AZURE_AUTHORITY_HOST: 'http://127.0.0.1:8443' })).toThrow('AZURE_AUTHORITY_HOST must be an https URL');
  });
});

describe('createCredential for --auth default: each source asks the requested tenant (real HTTP)', () => {
  let em: EmulatorHandle;
  let tls: TestCertificate;
  let clientCert: TestCertificate;
  let combinedPem = '';
  let tokenFile = '';

  beforeAll(async () => {
    tls = selfSignedLoopbackCertificate();
    clientCert = selfSignedLoopbackCertificate();
    combinedPem = join(clientCert.dir, 'client.pem');
    writeFileSync(combinedPem, clientCert.key + clientCert.cert);
    tokenFile = join(clientCert.dir, 'federated-token');
    // What a platform writes there: an ID token of its own issuer (the emulator never verifies it).
    writeFileSync(tokenFile, `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"system:serviceaccount:soc:deployer"}').toString('base64url')}.c2ln`);
    em = await startEmulator({
      https: { cert: tls.cert, key: tls.key },
      tenants: [
        { tenantId: A, clients: [{ clientId: 'a-app', clientSecret: 'a-secret' }] },
        { tenantId: B, clients: [{ clientId: 'b-app', clientSecret: 'b-secret' }] },
      ],
    });
  });
  afterAll(async () => {
    await em?.stop();
    tls?.cleanup();
    clientCert?.cleanup();
  });

  function probe(cases: Array<{ name: string; tenantId: string; env: NodeJS.ProcessEnv }>): Promise<Array<{ name: string; tid?: string; error?: string }>> {
    const script = fileURLToPath(new URL('./credential-probe.ts', import.meta.url));
    // AZURE_TENANT_ID names a third tenant so no managed identity joins these chains; the parent's Azure variables are blanked.
    const base = { AZURE_AUTHORITY_HOST: em.httpsUrl, AZURE_TENANT_ID: '00000000-0000-0000-0000-0000000000ff' };
    const withBase = cases.map((c) => ({ ...c, env: { ...base, ...c.env } }));
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_EXTRA_CA_CERTS: tls.certPath, PROBE_CASES: JSON.stringify(withBase) },
        timeout: 60_000,
      }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
    });
  }

  it('client secret (the tenant\'s own, and a shared one), certificate and workload identity name the tenant in the token request', async () => {
    em.resetStats();
    const ids = JSON.stringify({ [A]: 'a-app', [B]: 'b-app' });
    const results = await probe([
      { name: 'own secret A', tenantId: A, env: { SENTINEL_CLIENT_IDS: ids, SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'A_SECRET', [B]: 'B_SECRET' }), A_SECRET: 'a-secret', B_SECRET: 'b-secret' } },
      { name: 'own secret B', tenantId: B, env: { SENTINEL_CLIENT_IDS: ids, SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'A_SECRET', [B]: 'B_SECRET' }), A_SECRET: 'a-secret', B_SECRET: 'b-secret' } },
      { name: 'shared secret B', tenantId: B, env: { AZURE_CLIENT_ID: 'b-app', AZURE_CLIENT_SECRET: 'b-secret' } },
      { name: 'own certificate A', tenantId: A, env: { SENTINEL_CLIENT_IDS: ids, SENTINEL_CLIENT_CERTIFICATE_PATHS: JSON.stringify({ [A]: combinedPem }) } },
      { name: 'shared certificate B', tenantId: B, env: { AZURE_CLIENT_ID: 'b-app', AZURE_CLIENT_CERTIFICATE_PATH: combinedPem } },
      { name: 'workload identity B', tenantId: B, env: { SENTINEL_CLIENT_IDS: ids, AZURE_FEDERATED_TOKEN_FILE: tokenFile } },
    ]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    // Secrets: a token of the requested tenant.
    expect(byName['own secret A']).toEqual({ name: 'own secret A', tid: A });
    expect(byName['own secret B']).toEqual({ name: 'own secret B', tid: B });
    expect(byName['shared secret B']).toEqual({ name: 'shared secret B', tid: B });
    // Certificate and federated token: MSAL posts a client assertion to the requested tenant; the
    // emulator registers no certificates or federated credentials and refuses it as Entra would.
    for (const name of ['own certificate A', 'shared certificate B', 'workload identity B']) expect(byName[name]?.error).toContain('AADSTS700027');
    expect(em.stats().tokenRequests.map((t) => `${t.tenantId} ${t.clientId} ${t.clientAuth} ${t.status}`)).toEqual([
      `${A} a-app secret 200`,
      `${B} b-app secret 200`,
      `${B} b-app secret 200`,
      `${A} a-app assertion 401`,
      `${B} b-app assertion 401`,
      `${B} b-app assertion 401`,
    ]);
  });
});

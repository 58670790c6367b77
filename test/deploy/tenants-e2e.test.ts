/**
 * Issue 12 item 3, end to end: `--auth default` signs in to each target's own tenant. The real CLI as
 * a child process, real @azure/identity (MSAL) against the emulator's token endpoint on its HTTPS
 * listener (AZURE_AUTHORITY_HOST; the child trusts the per-run self-signed certificate through
 * NODE_EXTRA_CA_CERTS), ARM requests on the emulator's plain-http loopback endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { GOOD_RULE, targetYaml, tempRepo, type TempRepo } from '../helpers/repo.ts';
import { selfSignedLoopbackCertificate, type TestCertificate } from '../helpers/tls.ts';

const A = '00000000-0000-0000-0000-0000000000a1';
const B = '00000000-0000-0000-0000-0000000000a2';
const SUB_A = '00000000-0000-0000-0000-0000000000b1';
const SUB_B = '00000000-0000-0000-0000-0000000000b2';
const RULE_ID = '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const ruleIn = (sub: string) => `/subscriptions/${sub}/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc/providers/Microsoft.SecurityInsights/alertRules/${RULE_ID}`;

/** Every variable @azure/identity or our chain would read from the parent's environment, blanked. */
const CLEAN_ENV: NodeJS.ProcessEnv = Object.fromEntries([
  'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_AUTHORITY_HOST', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET',
  'SENTINEL_CLIENT_IDS', 'SENTINEL_CLIENT_SECRET_VARS', 'SENTINEL_CLIENT_CERTIFICATE_PATHS', 'SENTINEL_AUTH_TENANT_ID',
  'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
].map((k) => [k, '']));

let em: EmulatorHandle;
let tls: TestCertificate;
let repo: TempRepo;

beforeAll(async () => {
  tls = selfSignedLoopbackCertificate();
  em = await startEmulator({
    https: { cert: tls.cert, key: tls.key },
    throttling: { enabled: false },
    tenants: [
      // Contoso: its own app; Fabrikam: its own app. Both also consented the MSSP's multi-tenant app.
      { tenantId: A, clients: [{ clientId: 'contoso-app', clientSecret: 'contoso-secret' }, { clientId: 'mssp-app', clientSecret: 'mssp-secret' }] },
      { tenantId: B, clients: [{ clientId: 'fabrikam-app', clientSecret: 'fabrikam-secret' }, { clientId: 'mssp-app', clientSecret: 'mssp-secret' }] },
    ],
    workspaces: [
      { tenantId: A, subscriptionId: SUB_A, resourceGroup: 'rg-soc', workspace: 'law-soc' },
      { tenantId: B, subscriptionId: SUB_B, resourceGroup: 'rg-soc', workspace: 'law-soc' },
    ],
  });
  repo = tempRepo({
    'analytics-rules/entra/good-rule.yaml': GOOD_RULE,
    'targets/contoso.yaml': targetYaml({ tenantId: A, subscriptionId: SUB_A }),
    'targets/fabrikam.yaml': targetYaml({ tenantId: B, subscriptionId: SUB_B }),
  });
});
afterAll(async () => {
  await em?.stop();
  repo?.cleanup();
  tls?.cleanup();
});

const signIn = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...CLEAN_ENV, NODE_EXTRA_CA_CERTS: tls.certPath, AZURE_AUTHORITY_HOST: em.httpsUrl, ...env });
const deploy = (verb: 'plan' | 'apply', env: NodeJS.ProcessEnv) =>
  spawnCli([verb, '--root', repo.root, '--endpoint', em.url, '--auth', 'default', ...(verb === 'apply' ? ['--yes'] : [])], { env: signIn(env) });
/**
 * The distinct token requests since the last reset, as "tenant client auth status". (Against the
 * plain-http ARM endpoint every request asks the credential, so the first concurrent ones each reach
 * the token endpoint before MSAL's cache holds the token: how many is not the point, whose is.)
 */
const tokenRequests = () => [...new Set(em.stats().tokenRequests.map((t) => `${t.tenantId} ${t.clientId} ${t.clientAuth} ${t.status}`))].sort();

describe('--auth default signs in to each target\'s tenant', () => {
  it('two tenants, each with its own app and client secret: each token request names its own tenant', async () => {
    em.resetStats();
    const run = await deploy('apply', {
      SENTINEL_CLIENT_IDS: JSON.stringify({ [A]: 'contoso-app', [B]: 'fabrikam-app' }),
      SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'CONTOSO_SECRET', [B]: 'FABRIKAM_SECRET' }),
      CONTOSO_SECRET: 'contoso-secret',
      FABRIKAM_SECRET: 'fabrikam-secret',
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code, run.stderr).toBe(0);
    expect(tokenRequests()).toEqual([`${A} contoso-app secret 200`, `${B} fabrikam-app secret 200`]);
    // ARM accepted both tenants' tokens (no 401 InvalidAuthenticationTokenTenant) and the rule is in both workspaces.
    for (const sub of [SUB_A, SUB_B]) expect(em.stats().bySubscription[sub]?.statuses['401']).toBeUndefined();
    expect(em.get(ruleIn(SUB_A))).toBeDefined();
    expect(em.get(ruleIn(SUB_B))).toBeDefined();
  });

  it('one multi-tenant app (AZURE_CLIENT_ID + AZURE_CLIENT_SECRET) signs in to each tenant, not only AZURE_TENANT_ID\'s', async () => {
    em.resetStats();
    const run = await deploy('plan', { AZURE_TENANT_ID: A, AZURE_CLIENT_ID: 'mssp-app', AZURE_CLIENT_SECRET: 'mssp-secret' });
    expect(run.code, run.stderr).toBe(0);
    expect(tokenRequests()).toEqual([`${A} mssp-app secret 200`, `${B} mssp-app secret 200`]);
    for (const sub of [SUB_A, SUB_B]) expect(em.stats().bySubscription[sub]?.statuses['401']).toBeUndefined();
  });

  it('a wrong secret for one tenant: one line naming that tenant, no stack trace, the secret never printed', async () => {
    em.resetStats();
    const run = await deploy('plan', {
      SENTINEL_CLIENT_IDS: JSON.stringify({ [A]: 'contoso-app', [B]: 'fabrikam-app' }),
      SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'CONTOSO_SECRET', [B]: 'FABRIKAM_SECRET' }),
      CONTOSO_SECRET: 'contoso-secret',
      FABRIKAM_SECRET: 'not-fabrikams-secret',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`tenant ${B}`);
    expect(run.stderr).toContain('AADSTS7000215');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr + run.stdout).not.toContain('not-fabrikams-secret');
    expect(tokenRequests()).toContain(`${B} fabrikam-app secret 401`);
  });
});

describe('--auth default configuration problems are one line (exit 2)', () => {
  it('SENTINEL_CLIENT_SECRET_VARS naming an unset variable', async () => {
    const run = await runCli(['plan', '--root', repo.root, '--endpoint', em.url, '--auth', 'default'], {
      SENTINEL_CLIENT_IDS: JSON.stringify({ [A]: 'contoso-app', [B]: 'fabrikam-app' }),
      SENTINEL_CLIENT_SECRET_VARS: JSON.stringify({ [A]: 'CONTOSO_SECRET' }),
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`sentinel plan: SENTINEL_CLIENT_SECRET_VARS names CONTOSO_SECRET for tenant ${A}, but CONTOSO_SECRET is not set`);
  });

  it('a secret without a client id for the tenant', async () => {
    const run = await runCli(['plan', '--root', repo.root, '--endpoint', em.url, '--auth', 'default'], { AZURE_CLIENT_SECRET: 'mssp-secret' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AZURE_CLIENT_SECRET is set for tenant \S+ but no client id is: set AZURE_CLIENT_ID, or the tenant's entry in SENTINEL_CLIENT_IDS/);
    expect(run.stderr).not.toContain('mssp-secret');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

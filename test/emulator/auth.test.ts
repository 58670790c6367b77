import { describe, expect, it } from 'vitest';
import { SecurityInsights } from '@azure/arm-securityinsight';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { LoopbackClientSecretCredential, useLoopbackBearer } from '../../scripts/deploy/azure/loopback-auth.ts';
import { credentialOf, RG, SUB_A, SUB_B, TENANT_A, TENANT_B, WS, baseConfig, restError, securityInsights, withEmulator } from './helpers.ts';

const fixedToken = (token: string): TokenCredential => ({ getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) });

describe('authentication and tenant isolation', () => {
  it('answers 401 AuthenticationFailed without a token and InvalidAuthenticationToken for a forged one', async () => {
    await withEmulator(baseConfig(), async (em) => {
      // A client whose pipeline sends no Authorization header at all.
      const anonymous = new SecurityInsights(fixedToken('unused'), SUB_A, { endpoint: em.url, allowInsecureConnection: true });
      anonymous.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
      const missing = await restError(anonymous.alertRules.get(RG, WS, 'x'));
      expect([missing.statusCode, missing.code]).toEqual([401, 'AuthenticationFailed']);
      expect(missing.message).toContain("'Authorization' header is missing");
      expect(missing.message).toContain(`belongs to tenant '${TENANT_A}'`);

      const forged = useLoopbackBearer(new SecurityInsights(fixedToken('a.b.c'), SUB_A, { endpoint: em.url }), fixedToken('a.b.c'));
      const invalid = await restError(forged.alertRules.get(RG, WS, 'x'));
      expect([invalid.statusCode, invalid.code]).toEqual([401, 'InvalidAuthenticationToken']);
      expect(em.stats().total.committedWrites).toBe(0);
    });
  });

  it('answers 401 InvalidAuthenticationTokenTenant (as ARM does) naming both tenants when the token is from another tenant', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_B), SUB_A);
      const e = await restError(si.alertRules.get(RG, WS, 'x'));
      expect([e.statusCode, e.code]).toEqual([401, 'InvalidAuthenticationTokenTenant']);
      expect(e.message).toContain(TENANT_B);
      expect(e.message).toContain(TENANT_A);
      expect(e.message).toContain(SUB_A);
      // Its own subscription works.
      const own = securityInsights(em, credentialOf(em, TENANT_B), SUB_B);
      const names: string[] = [];
      for await (const r of own.alertRules.list(RG, WS)) names.push(r.name!);
      expect(names).toEqual([]);
    });
  });

  it('issues JWT-shaped tokens with tid, oid, aud and exp, and rejects a wrong client secret', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const token = await credentialOf(em, TENANT_A).getToken('https://management.azure.com/.default');
      const [header, payload, signature] = token!.token.split('.');
      expect(signature).toBeTruthy();
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      expect(claims).toMatchObject({ tid: TENANT_A, aud: 'https://management.azure.com/', appid: 'deployer-a' });
      expect(claims.exp).toBeGreaterThan(claims.iat);
      expect(claims.oid).toMatch(/^[0-9a-f-]{36}$/);

      const wrong = new LoopbackClientSecretCredential({ url: em.url, tenantId: TENANT_A, clientId: 'deployer-a', clientSecret: 'wrong' });
      await expect(wrong.getToken('https://management.azure.com/.default')).rejects.toThrow(/invalid_client: AADSTS7000215/);
      const unknownTenant = new LoopbackClientSecretCredential({ url: em.url, tenantId: 'cccccccc-0000-4000-8000-00000000000c', clientId: 'x', clientSecret: 'y' });
      await expect(unknownTenant.getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS90002: Tenant 'cccccccc/);
    });
  });

  it('loopbackBearerPolicy refuses to send a token anywhere but loopback', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const cred = credentialOf(em, TENANT_A);
      const real = useLoopbackBearer(new SecurityInsights(cred, SUB_A, { retryOptions: { maxRetries: 0 } }), cred);
      await expect(real.alertRules.get(RG, WS, 'x')).rejects.toThrow(/refuses to send a token to https:\/\/management\.azure\.com/);
      expect(() => new LoopbackClientSecretCredential({ url: 'http://example.com', tenantId: TENANT_A, clientId: 'a', clientSecret: 'b' })).toThrow(/loopback/);
    });
  });
});

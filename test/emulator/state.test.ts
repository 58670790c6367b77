import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertRule } from '@azure/arm-securityinsight';
import type { CliContext } from '../../scripts/cli/context.ts';
import { emulator, runEmulator } from '../../scripts/cli/emulator.ts';
import { DEFAULT_CLIENT } from '../../scripts/emulator/index.ts';
import { LoopbackClientSecretCredential } from '../../scripts/deploy/azure/loopback-auth.ts';
import { selfSignedLoopbackCertificate } from '../helpers/tls.ts';
import { credentialOf, RG, TENANT_A, WS, WORKSPACE_A, baseConfig, restError, scheduledRule, securityInsights, withEmulator } from './helpers.ts';

const RULE = `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/rule-1`;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'emulator-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('etags and concurrent portal edits', () => {
  it('a portal edit changes the etag; a stale body etag gets 409; If-Match / If-None-Match are not in the spec and change nothing', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const mine = await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule);
      const edited = em.portal.edit(RULE, (r) => void ((r['properties'] as Record<string, unknown>)['severity'] = 'High'));
      expect(edited['etag']).not.toBe(mine.etag);
      expect((await si.alertRules.get(RG, WS, 'rule-1')) as { severity?: string }).toMatchObject({ severity: 'High' });

      const bodyEtag = await restError(si.alertRules.createOrUpdate(RG, WS, 'rule-1', { ...scheduledRule(), etag: mine.etag } as AlertRule));
      expect([bodyEtag.statusCode, bodyEtag.code]).toEqual([409, 'Conflict']);
      const stillHigh = (await si.alertRules.get(RG, WS, 'rule-1')) as { severity?: string; etag?: string };
      expect(stillHigh.severity).toBe('High');

      // The current etag in the body is accepted.
      const ok = await si.alertRules.createOrUpdate(RG, WS, 'rule-1', { ...scheduledRule(), etag: stillHigh.etag } as AlertRule);
      expect((ok as { severity?: string }).severity).toBe('Medium');
      // A header the spec does not declare is ignored, as the service ignores it: a stale If-Match overwrites.
      const headers = { 'If-Match': mine.etag!, 'If-None-Match': '*' };
      const ignored = await si.alertRules.createOrUpdate(RG, WS, 'rule-1', { ...scheduledRule(), severity: 'Low' } as AlertRule, { requestOptions: { customHeaders: headers } });
      expect((ignored as { severity?: string }).severity).toBe('Low');
    });
  });

  it("an alert rule's kind cannot change on PUT: 409, the rule untouched", async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule);
      const { queryFrequency: _f, queryPeriod: _p, triggerOperator: _o, triggerThreshold: _t, ...nrt } = scheduledRule() as Record<string, unknown>;
      const e = await restError(si.alertRules.createOrUpdate(RG, WS, 'rule-1', { ...nrt, kind: 'NRT' } as AlertRule));
      expect([e.statusCode, e.code]).toEqual([409, 'Conflict']);
      expect(e.message).toMatch(/cannot be changed from 'Scheduled' to 'NRT'/);
      expect(em.get(RULE)!.kind).toBe('Scheduled');
    });
  });

  it('portal-created and Content-hub rules look like the service made them', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const portal = em.portal.put(`${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/portal-rule`, { kind: 'Scheduled', properties: { ...scheduledRule(), kind: undefined } });
      expect(portal['systemData']).toMatchObject({ createdByType: 'Application' });
      const hub = em.portal.installContentHubRule({
        workspaceId: WORKSPACE_A,
        ruleId: 'hub-rule',
        templateName: '0b9ae89d-8cad-461c-808f-0494f70ad5c4',
        templateVersion: '1.0.3',
        solutionName: 'Microsoft Entra ID',
        properties: scheduledRule(),
      });
      expect(hub['properties']).toMatchObject({ alertRuleTemplateName: '0b9ae89d-8cad-461c-808f-0494f70ad5c4', templateVersion: '1.0.3' });
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const meta: Array<{ source?: { kind: string }; parentId?: string }> = [];
      for await (const m of si.metadata.list(RG, WS)) meta.push(m);
      expect(meta).toEqual([expect.objectContaining({ parentId: hub['id'], source: expect.objectContaining({ kind: 'Solution' }) })]);
      expect(em.stats().total.requests).toBe(1); // portal actions are not counted as client requests
    });
  });
});

describe('stats and state', () => {
  it('exposes counters on GET /__emulator/stats and resets them', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule);
      await si.alertRules.get(RG, WS, 'rule-1');
      const stats = (await (await fetch(`${em.url}/__emulator/stats`)).json()) as ReturnType<typeof em.stats>;
      expect(stats.total).toMatchObject({ requests: 2, reads: 1, writes: 1, committedWrites: 1 });
      expect(stats.rows.map((r) => `${r.method} ${r.resourceType}`).sort()).toEqual(['GET alertRules', 'PUT alertRules']);
      expect((await fetch(`${em.url}/__emulator/stats/reset`, { method: 'POST' })).status).toBe(204);
      expect(em.stats().total.requests).toBe(0);
    });
  });

  it('round-trips the state file across restarts', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const etag = await withEmulator(baseConfig({ stateFile }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      await si.watchlists.createOrUpdate(RG, WS, 'Allow', { displayName: 'Allow', provider: 'p', source: 'Local file', itemsSearchKey: 'IP' });
      return (await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule)).etag;
    });
    const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(saved.resources).toHaveLength(2);
    await withEmulator(baseConfig({ stateFile }), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      expect((await si.alertRules.get(RG, WS, 'rule-1')).etag).toBe(etag);
      expect((await si.watchlists.get(RG, WS, 'Allow')).itemsSearchKey).toBe('IP');
    });
  });
});

describe('sentinel emulator (CLI verb)', () => {
  const ctx = (root: string, out: string[], err: string[]): CliContext => ({ root, out: (t) => void out.push(t), err: (t) => void err.push(t), env: {}, isTTY: false });

  it('serves the workspaces of targets/*.yaml until stopped, then saves --state', async () => {
    const root = tempDir();
    const targets = join(root, 'targets');
    mkdirSync(targets);
    writeFileSync(join(targets, 'canary.yaml'), `tenantId: ${TENANT_A}\nsubscriptionId: 11111111-0000-4000-8000-000000000001\nresourceGroup: ${RG}\nworkspaceName: ${WS}\nlocation: westeurope\nwave: 0\n`);
    const out: string[] = [];
    const err: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const running = runEmulator({ state: 'state.json' }, ctx(root, out, err), until);
    await expect.poll(() => out.join('\n')).toContain('listening on http://127.0.0.1:');
    const url = /listening on (\S+)/.exec(out.join('\n'))![1]!;
    const cred = new LoopbackClientSecretCredential({ url, tenantId: TENANT_A, ...DEFAULT_CLIENT });
    const si = securityInsights({ url }, cred);
    await si.alertRules.createOrUpdate(RG, WS, 'rule-1', scheduledRule() as AlertRule);
    stop();
    expect(await running).toBe(0);
    expect(err).toEqual([]);
    expect(JSON.parse(readFileSync(join(root, 'state.json'), 'utf8')).resources).toHaveLength(1);
  });

  it('reports a bad config file at file:line:col and exits 2', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'emulator.yaml'), `tenants:\n  - tenantId: ${TENANT_A}\n    subscriptions:\n      - subscriptionId: 42\nfaults:\n  error500: 2\n`);
    const out: string[] = [];
    const err: string[] = [];
    expect(await emulator(['--config', 'emulator.yaml'], ctx(root, out, err))).toBe(2);
    expect(err).toEqual(['sentinel emulator: emulator.yaml:4:25: tenants[0].subscriptions[0].subscriptionId must be a non-empty string']);
    const bad: string[] = [];
    expect(await emulator(['--port', 'abc'], ctx(root, out, bad))).toBe(2);
    expect(bad.join('\n')).toBe("sentinel emulator: option '--port <n>' argument 'abc' is invalid. Expected a whole number 0..65535.\nrun 'sentinel emulator --help'");
  });

  it('serves HTTPS from a config file (https.certFile/keyFile, relative to the file) and prints its URL', async () => {
    const root = tempDir();
    const tls = selfSignedLoopbackCertificate();
    try {
      writeFileSync(join(root, 'cert.pem'), tls.cert);
      writeFileSync(join(root, 'key.pem'), tls.key);
      const ws = `workspaces:\n  - { tenantId: ${TENANT_A}, subscriptionId: 11111111-0000-4000-8000-000000000001, resourceGroup: ${RG}, workspace: ${WS} }\n`;
      writeFileSync(join(root, 'tls.yaml'), `${ws}https:\n  certFile: cert.pem\n  keyFile: key.pem\n`);
      const out: string[] = [];
      const err: string[] = [];
      let stop!: () => void;
      const until = new Promise<void>((r) => (stop = r));
      const running = runEmulator({ config: 'tls.yaml' }, ctx(root, out, err), until);
      await expect.poll(() => out.join('\n')).toContain('AZURE_AUTHORITY_HOST=https://127.0.0.1:');
      const httpsUrl = /AZURE_AUTHORITY_HOST=(\S+)\)/.exec(out.join('\n'))![1]!;
      const discovery = await new Promise<{ status: number; body: string }>((resolveGet, reject) => {
        httpsGet(`${httpsUrl}/${TENANT_A}/v2.0/.well-known/openid-configuration`, { ca: tls.cert }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
      expect(discovery.status).toBe(200);
      expect(JSON.parse(discovery.body).token_endpoint).toBe(`${httpsUrl}/${TENANT_A}/oauth2/v2.0/token`);
      stop();
      expect(await running).toBe(0);

      writeFileSync(join(root, 'missing.yaml'), `${ws}https:\n  certFile: nope.pem\n  keyFile: key.pem\n`);
      const bad: string[] = [];
      expect(await emulator(['--config', 'missing.yaml'], ctx(root, [], bad))).toBe(2);
      expect(bad).toEqual(['sentinel emulator: missing.yaml:4:13: https.certFile: nope.pem not found']);
    } finally {
      tls.cleanup();
    }
  });

  it('reads config files with the safe content loader: an alias bomb is an error at its line', async () => {
    const root = tempDir();
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n' + Array.from({ length: 12 }, (_, i) => `k${i}: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]`).join('\n') + '\n';
    writeFileSync(join(root, 'bomb.yaml'), bomb);
    const err: string[] = [];
    expect(await emulator(['--config', 'bomb.yaml'], ctx(root, [], err))).toBe(2);
    expect(err[0]).toMatch(/^sentinel emulator: bomb\.yaml:2:\d+: too many alias expansions \(limit 100\)/);
  });

  it('accepts Azure Lighthouse delegations in a config file', async () => {
    const root = tempDir();
    const MANAGING = '00000000-0000-0000-0000-00000000c0de';
    writeFileSync(join(root, 'lh.yaml'), `tenants:\n  - tenantId: ${MANAGING}\nworkspaces:\n  - { tenantId: ${TENANT_A}, subscriptionId: 11111111-0000-4000-8000-000000000001, resourceGroup: ${RG}, workspace: ${WS} }\ndelegations:\n  - { subscriptionId: 11111111-0000-4000-8000-000000000001, managingTenantId: ${MANAGING} }\n`);
    const out: string[] = [];
    const err: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const running = runEmulator({ config: 'lh.yaml' }, ctx(root, out, err), until);
    await expect.poll(() => out.join('\n')).toContain('listening on http://127.0.0.1:');
    stop();
    expect(await running).toBe(0);
    expect(err).toEqual([]);
  });
});

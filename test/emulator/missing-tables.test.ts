/** Alert-rule PUTs whose query reads a table or function the workspace lacks get Azure's 400. */
import { describe, expect, it } from 'vitest';
import type { AlertRule } from '@azure/arm-securityinsight';
import { querySources } from '../../scripts/emulator/querySources.ts';
import type { EmulatorConfig } from '../../scripts/emulator/index.ts';
import { baseConfig, credentialOf, operationalInsights, restError, RG, scheduledRule, securityInsights, TENANT_A, WS, withEmulator } from './helpers.ts';

const MESSAGE = 'Failed to run the analytics rule query. One of the tables does not exist.';

function config(): EmulatorConfig {
  const c = baseConfig();
  c.tenants![0]!.subscriptions![0]!.resourceGroups[0]!.workspaces = [
    { name: WS, tables: { without: ['AWSCloudTrail'], custom: [{ name: 'Vendor_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }] }] } },
    'ws-other',
  ];
  return c;
}

describe('querySources (the emulator\'s token scan)', () => {
  it.each([
    ['SigninLogs | where ResultType != "0"', ['SigninLogs']],
    ['let t = AuditLogs | take 1; t | join kind=inner (SigninLogs | project A) on A', ['AuditLogs', 'SigninLogs']],
    ['SecurityEvent | lookup kind=leftouter IdentityInfo on AccountUPN', ['SecurityEvent', 'IdentityInfo']],
    ['union AWSCloudTrail, (Syslog | where true), Vendor_CL', ['AWSCloudTrail', 'Vendor_CL', 'Syslog']],
    ['union isfuzzy=true AWSCloudTrail, Vendor_CL', []],
    ['// AWSCloudTrail\nprint "AWSCloudTrail"', []],
    ["let allow = dynamic(['a']); let since = ago(1d); CommonSecurityLog | where DeviceVendor in (allow)", ['CommonSecurityLog']],
    ['let f = (T:(IPAddress:string)) { T | where true }; f(SigninLogs)', []],
    ['_Im_Dns(starttime=ago(1d)) | where true', ['_Im_Dns']],
    ['workspace("other").AWSCloudTrail | take 1', []],
    ['AuditLogs | where X !in (materialize(OfficeActivity | distinct X)) | project-away Y', ['AuditLogs', 'OfficeActivity']],
  ])('%s', (query, expected) => {
    expect(querySources(query)).toEqual(expected);
  });
});

describe('alert-rule PUT against the workspace table set', () => {
  it('a query reading a table the workspace lacks → 400 BadRequest with the service message; nothing stored', async () => {
    await withEmulator(config(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const rule = scheduledRule({ query: 'AWSCloudTrail | where EventName == "ConsoleLogin"' }) as AlertRule;
      const err = await restError(si.alertRules.createOrUpdate(RG, WS, 'aws-1', rule));
      expect(err.statusCode).toBe(400);
      expect(err.code).toBe('BadRequest');
      expect(err.message).toBe(MESSAGE);
      expect((await restError(si.alertRules.get(RG, WS, 'aws-1'))).statusCode).toBe(404);
      // The same rule is accepted where the table exists (default: the whole catalogue).
      const ok = await si.alertRules.createOrUpdate(RG, 'ws-other', 'aws-1', rule);
      expect(ok.name).toBe('aws-1');
    });
  });

  it('custom tables, ASIM parsers, _GetWatchlist and fuzzy unions resolve; an unknown _CL table does not', async () => {
    await withEmulator(config(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      for (const [id, query] of [
        ['custom', 'Vendor_CL | take 1'],
        ['asim', '_Im_Authentication(starttime=ago(1h)) | where EventResult == "Failure"'],
        ['watchlist', "_GetWatchlist('NetworkAllowlist') | take 1"],
        ['fuzzy', 'union isfuzzy=true AWSCloudTrail, SigninLogs | take 1'],
      ]) {
        await si.alertRules.createOrUpdate(RG, WS, id!, scheduledRule({ query }) as AlertRule);
      }
      const err = await restError(si.alertRules.createOrUpdate(RG, WS, 'other', scheduledRule({ query: 'Other_CL | take 1' }) as AlertRule));
      expect(err.message).toBe(MESSAGE);
    });
  });

  it('a function exists once a saved search with that functionAlias does', async () => {
    await withEmulator(config(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const oi = operationalInsights(em, credentialOf(em, TENANT_A));
      const rule = scheduledRule({ query: 'SuspiciousSignins(1d) | project UserPrincipalName' }) as AlertRule;
      expect((await restError(si.alertRules.createOrUpdate(RG, WS, 'fn-rule', rule))).message).toBe(MESSAGE);
      await oi.savedSearches.createOrUpdate(RG, WS, 'suspicious-signins', {
        category: 'Functions', displayName: 'SuspiciousSignins', query: 'SigninLogs | where TimeGenerated > ago(window)',
        functionAlias: 'SuspiciousSignins', functionParameters: 'window:timespan = 1d',
      });
      expect((await si.alertRules.createOrUpdate(RG, WS, 'fn-rule', rule)).name).toBe('fn-rule');
    });
  });

  it('NRT rules are checked too; field errors come first', async () => {
    await withEmulator(config(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const { queryFrequency: _f, queryPeriod: _p, triggerOperator: _o, triggerThreshold: _t, ...nrt } = scheduledRule({ query: 'AWSCloudTrail | take 1' });
      const err = await restError(si.alertRules.createOrUpdate(RG, WS, 'nrt', { ...nrt, kind: 'NRT' } as AlertRule));
      expect(err.message).toBe(MESSAGE);
      const bad = await restError(si.alertRules.createOrUpdate(RG, WS, 's', scheduledRule({ query: 'AWSCloudTrail', queryFrequency: 'PT1M' }) as AlertRule));
      expect(bad.message).toContain('queryFrequency');
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { AlertRule } from '@azure/arm-securityinsight';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import type { SecurityInsights } from '@azure/arm-securityinsight';
import { credentialOf, RG, TENANT_A, WS, WORKSPACE_A, baseConfig, restError, scheduledRule, securityInsights, withEmulator } from './helpers.ts';

async function rejects(si: SecurityInsights, overrides: Record<string, unknown>) {
  const e = await restError(si.alertRules.createOrUpdate(RG, WS, 'rule-v', scheduledRule(overrides) as AlertRule));
  expect(e.statusCode).toBe(400);
  expect(e.code).toBe('BadRequest');
  return e.message;
}

describe('alert-rule validation like the service (400 naming the field)', () => {
  it('checks durations, bounds, enums and required fields', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      expect(await rejects(si, { queryFrequency: 'PT1M' })).toMatch(/properties\.queryFrequency.*between 5 minutes and 14 days/);
      expect(await rejects(si, { queryPeriod: 'P15D', queryFrequency: 'P1D' })).toMatch(/properties\.queryPeriod.*between 5 minutes and 14 days/);
      expect(await rejects(si, { queryFrequency: 'PT2H', queryPeriod: 'PT1H' })).toMatch(/properties\.queryPeriod.*greater than or equal to the query frequency/);
      expect(await rejects(si, { severity: 'Critical' })).toMatch(/properties\.severity\. Allowed values: High, Medium, Low, Informational/);
      // The SDK itself refuses these before sending; the service's own check, through the client's pipeline:
      const rawPut = async (overrides: Record<string, unknown>) => {
        const { kind: _k, ...props } = scheduledRule(overrides);
        const url = `${em.url}${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/rule-v?api-version=2022-09-01-preview`;
        const res = await si.sendRequest(createPipelineRequest({ method: 'PUT', url, body: JSON.stringify({ kind: 'Scheduled', properties: props }) }));
        expect(res.status).toBe(400);
        return JSON.parse(res.bodyAsText!).error.message as string;
      };
      expect(await rawPut({ triggerOperator: 'gt' })).toMatch(/properties\.triggerOperator\. Allowed values: GreaterThan, LessThan, Equal, NotEqual/);
      expect(await rawPut({ queryFrequency: '1h' })).toMatch(/properties\.queryFrequency: expected an ISO 8601 duration/);
      expect(await rawPut({ enabled: 'yes' })).toMatch(/properties\.enabled: expected true or false/);
      expect(await rejects(si, { triggerThreshold: -1 })).toMatch(/properties\.triggerThreshold/);
      expect(await rejects(si, { tactics: ['Persistence', 'Hacking'] })).toMatch(/properties\.tactics\[1\]/);
      expect(await rejects(si, { techniques: ['T1098.001'] })).toMatch(/properties\.techniques\[0\].*subTechniques/);
      expect(await rejects(si, { suppressionEnabled: true, suppressionDuration: 'P2D' })).toMatch(/properties\.suppressionDuration.*between 5 minutes and 24 hours/);
      expect(await rejects(si, { entityMappings: [{ entityType: 'Person', fieldMappings: [{ identifier: 'Name', columnName: 'User' }] }] })).toMatch(/properties\.entityMappings\[0\]\.entityType/);
      expect(await rejects(si, { incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'Selected' } } })).toMatch(/matchingMethod is Selected/);
      expect(await rejects(si, { query: undefined })).toMatch(/properties\.query field is required/);
      expect(await rejects(si, { displayName: undefined })).toMatch(/properties\.displayName field is required/);
      expect(await rejects(si, { triggerThreshold: undefined })).toMatch(/properties\.triggerThreshold field is required/);
      expect(em.list(WORKSPACE_A)).toEqual([]);
    });
  });

  it('accepts every entity type validate accepts, IoTDevice included (regression: validate passed it, the emulator refused it)', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const entityMappings = [{ entityType: 'IoTDevice', fieldMappings: [{ identifier: 'DeviceId', columnName: 'TargetId' }] }];
      const r = await si.alertRules.createOrUpdate(RG, WS, 'rule-iot', scheduledRule({ entityMappings }) as AlertRule);
      expect((r as { entityMappings?: unknown }).entityMappings).toEqual(entityMappings);
    });
  });

  it('stores kinds no served api-version defines as given, and models the spec-defined ThreatIntelligence kind', async () => {
    await withEmulator(baseConfig(), async (em) => {
      // 'Anomaly' is in no AlertRuleKindEnum of the served versions (the enum is modelAsString: open).
      const anomaly = `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/anomaly-1`;
      em.portal.put(anomaly, { kind: 'Anomaly', properties: { alertRuleTemplateName: 'tpl', enabled: true, custom: 1 } });
      expect(em.get(anomaly)).toMatchObject({ kind: 'Anomaly', properties: { alertRuleTemplateName: 'tpl', enabled: true, custom: 1 } });
      // ThreatIntelligenceAlertRuleProperties (preview AlertRules.json): only the template and enabled are writable.
      const ti = `${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/ti-1`;
      em.portal.put(ti, { kind: 'ThreatIntelligence', properties: { alertRuleTemplateName: 'tpl', enabled: true, custom: 1 } });
      const props = em.get(ti)!['properties'] as Record<string, unknown>;
      expect(props).toMatchObject({ alertRuleTemplateName: 'tpl', enabled: true });
      expect(props).not.toHaveProperty('custom');
    });
  });
});

describe('api-versions', () => {
  const ruleUrl = (url: string, apiVersion: string) => `${url}${WORKSPACE_A}/providers/Microsoft.SecurityInsights/alertRules/rule-n?api-version=${apiVersion}`;

  async function raw(si: SecurityInsights, method: 'GET' | 'PUT', url: string, body?: unknown) {
    const res = await si.sendRequest(createPipelineRequest({ url, method, ...(body ? { body: JSON.stringify(body) } : {}) }));
    return { status: res.status, body: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
  }

  it('rejects an unknown api-version like ARM', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const r = await raw(si, 'GET', ruleUrl(em.url, '2021-13-01'));
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('NoRegisteredProviderFound');
      expect(r.body.error.message).toContain("'2021-13-01'");
      expect(r.body.error.message).toContain('2022-09-01-preview');
    });
  });

  it('stores subTechniques and sentinelEntitiesMappings with 2025-01-01-preview; 2022-09-01-preview neither stores nor shows them', async () => {
    await withEmulator(baseConfig(), async (em) => {
      const si = securityInsights(em, credentialOf(em, TENANT_A));
      const props = { ...scheduledRule(), subTechniques: ['T1098.001'], sentinelEntitiesMappings: [{ columnName: 'Entities' }] } as Record<string, unknown>;
      delete props['kind'];
      const body = { kind: 'Scheduled', properties: props };

      const old = await raw(si, 'PUT', ruleUrl(em.url, '2022-09-01-preview'), body);
      expect(old.status).toBe(201);
      expect(old.body.properties.subTechniques).toBeUndefined();
      const stored = await raw(si, 'GET', ruleUrl(em.url, '2025-01-01-preview'));
      expect(stored.body.properties.subTechniques).toEqual([]);
      expect(stored.body.properties.sentinelEntitiesMappings).toBeNull();

      const newer = await raw(si, 'PUT', ruleUrl(em.url, '2025-01-01-preview'), body);
      expect(newer.status).toBe(200);
      expect(newer.body.properties).toMatchObject({ subTechniques: ['T1098.001'], sentinelEntitiesMappings: [{ columnName: 'Entities' }] });
      // The old api-version hides them on reads, and its PUTs do not wipe them.
      const oldView = await si.alertRules.get(RG, WS, 'rule-n');
      expect((oldView as unknown as Record<string, unknown>)['subTechniques']).toBeUndefined();
      await si.alertRules.createOrUpdate(RG, WS, 'rule-n', scheduledRule({ severity: 'Low' }) as AlertRule);
      const after = await raw(si, 'GET', ruleUrl(em.url, '2025-01-01-preview'));
      expect(after.body.properties).toMatchObject({ severity: 'Low', subTechniques: ['T1098.001'] });

      const badSub = await raw(si, 'PUT', ruleUrl(em.url, '2025-01-01-preview'), { kind: 'Scheduled', properties: { ...props, subTechniques: ['T1098'] } });
      expect(badSub.status).toBe(400);
      expect(badSub.body.error.message).toContain('properties.subTechniques[0]');
    });
  });
});

import { describe, expect, it } from 'vitest';
import { diffFields } from '../../scripts/deploy/plan/diff.ts';
import { ruleToArm, splitTechniques, watchlistItemsToArm } from '../../scripts/deploy/desired/mapping.ts';
import { watchlistItemId } from '../../scripts/model/watchlist.ts';
import { normaliseRule, normaliseWatchlist, normaliseWorkbook } from '../../scripts/deploy/desired/normalise.ts';
import { isOwnRecord, metadataBody } from '../../scripts/deploy/plan/ownership.ts';
import { workspaceOf } from '../../scripts/deploy/desired/model.ts';
import { fingerprint, uuidV5 } from '../../scripts/deploy/desired/util.ts';
import { allowlist, rule, target } from './fixtures.ts';

describe('rule → ARM', () => {
  const body = ruleToArm(rule(1).rule);
  const p = body.properties as Record<string, unknown>;

  it('maps operators, durations, techniques and sub-techniques', () => {
    expect(body.kind).toBe('Scheduled');
    expect(p.triggerOperator).toBe('GreaterThan');
    expect(p.queryFrequency).toBe('PT1H');
    expect(p.techniques).toEqual(['T1078', 'T1098']);
    expect(p.subTechniques).toEqual(['T1098.001']);
    expect(p.sentinelEntitiesMappings).toEqual([{ columnName: 'InitiatedBy' }]);
    expect(splitTechniques(['t1098.001', 'T1098.004'])).toEqual({ techniques: ['T1098'], subTechniques: ['T1098.001', 'T1098.004'] });
    expect((p.incidentConfiguration as { groupingConfiguration: { lookbackDuration: string } }).groupingConfiguration.lookbackDuration).toBe('PT5H');
    expect((p.alertDetailsOverride as { alertDynamicProperties: unknown[] }).alertDynamicProperties).toHaveLength(1);
  });

  it('never sends extension or YAML-only fields', () => {
    const text = JSON.stringify(body);
    for (const f of ['investigationGuide', 'falsePositives', 'references', 'parameters', 'lineage', 'requiredDataConnectors', 'relevantTechniques', '"version"', '"id"']) {
      expect(text).not.toContain(f);
    }
  });

  it('NRT rules carry no schedule fields', () => {
    const nrt = ruleToArm(rule(2, { kind: 'NRT', queryFrequency: undefined, queryPeriod: undefined }).rule).properties as Record<string, unknown>;
    expect(nrt.queryFrequency).toBeUndefined();
    expect(nrt.triggerOperator).toBeUndefined();
  });
});

describe('normaliser', () => {
  it('makes server-filled fields and defaults invisible', () => {
    const sent = ruleToArm(rule(1, { incidentConfiguration: undefined, eventGroupingSettings: undefined, sentinelEntitiesMappings: undefined }).rule);
    const props = sent.properties as Record<string, unknown>;
    // What a GET returns: server bookkeeping, nulls for unset fields, PT60M spelling, defaults filled, other order.
    const returned = {
      kind: 'Scheduled',
      properties: {
        ...props,
        queryFrequency: 'PT60M',
        tactics: [...(props.tactics as string[])].reverse(),
        lastModifiedUtc: '2026-01-01T00:00:00Z',
        alertRuleTemplateName: null,
        templateVersion: null,
        sentinelEntitiesMappings: null,
        suppressionDuration: 'PT5H',
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities', groupByEntities: [], groupByAlertDetails: [], groupByCustomDetails: [] },
        },
        eventGroupingSettings: { aggregationKind: 'SingleAlert' },
      },
    };
    expect(diffFields(normaliseRule(returned), normaliseRule(sent))).toEqual([]);
    expect(fingerprint(normaliseRule(returned))).toBe(fingerprint(normaliseRule(sent)));
  });

  it('shows a field changed outside, and an unknown non-empty field the service holds', () => {
    const sent = ruleToArm(rule(1).rule);
    const changed = structuredClone(sent) as { properties: Record<string, unknown> };
    changed.properties.severity = 'Low';
    changed.properties.startTimeUtc = '2026-02-01T00:00:00Z';
    const d = diffFields(normaliseRule(changed), normaliseRule(sent));
    expect(d).toEqual([
      { path: 'severity', before: 'Low', after: 'Medium' },
      { path: 'startTimeUtc', before: '2026-02-01T00:00:00Z' },
    ]);
  });

  it('compares watchlists and workbooks by meaning, not by spelling', () => {
    expect(normaliseWatchlist({ properties: { displayName: 'x', labels: ['b', 'a'], defaultDuration: 'P365D', watchlistId: 'server', created: new Date() } }))
      .toEqual({ displayName: 'x', labels: ['a', 'b'], defaultDuration: 'P365D' });
    const a = normaliseWorkbook({ kind: 'shared', location: 'West Europe', properties: { serializedData: '{"b":1,"a":2}', sourceId: '/SUBSCRIPTIONS/X' } }, []);
    const b = normaliseWorkbook({ kind: 'shared', location: 'westeurope', properties: { serializedData: '{ "a": 2, "b": 1 }', sourceId: '/subscriptions/x', timeModified: 'now' } }, []);
    expect(diffFields(a, b)).toEqual([]);
  });
});

describe('watchlist items and ids', () => {
  it('derives stable item ids from the search key, case- and space-insensitive', () => {
    expect(watchlistItemId('NetworkAllowlist', '10.0.0.0/8')).toBe(watchlistItemId('networkallowlist', ' 10.0.0.0/8 '));
    expect(watchlistItemId('NetworkAllowlist', '10.0.0.0/8')).not.toBe(watchlistItemId('NetworkAllowlist', '10.0.0.0/9'));
    expect(uuidV5('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('lets a later item with the same key replace an earlier one', () => {
    const w = allowlist(2).watchlist;
    const items = watchlistItemsToArm(w, [...w.items, { IPOrRange: '192.0.2.1/32', Description: 'target override' }]);
    expect(items).toHaveLength(2);
    expect(JSON.stringify(items)).toContain('target override');
  });
});

describe('ownership', () => {
  const ws = workspaceOf(target(0));
  const body = metadataBody('alertRule', 'abc', '1.0.0', ws, 'repo-a', 'sha256:1');
  const record = { id: 'm', name: 'analyticsrule-abc', properties: body.properties as Record<string, unknown> };
  it('recognises only this repo\'s record of exactly that item', () => {
    expect(isOwnRecord(record, 'alertRule', 'abc', ws, 'repo-a')).toBe(true);
    expect(isOwnRecord(record, 'alertRule', 'abc', ws, 'repo-b')).toBe(false);
    expect(isOwnRecord(record, 'alertRule', 'other', ws, 'repo-a')).toBe(false);
    expect(isOwnRecord(record, 'workbook', 'abc', ws, 'repo-a')).toBe(false);
    expect(isOwnRecord(record, 'alertRule', 'abc', workspaceOf(target(1)), 'repo-a')).toBe(false);
    const solution = { ...record, properties: { ...record.properties, source: { kind: 'Solution', name: 'repo-a' } } };
    expect(isOwnRecord(solution, 'alertRule', 'abc', ws, 'repo-a')).toBe(false);
  });
});

describe('client id per tenant (one identity per customer tenant)', async () => {
  const { clientIdFor, AuthConfigError } = await import('../../scripts/deploy/azure/clients.ts');
  const A = '00000000-0000-0000-0000-0000000000a1';
  it('prefers SENTINEL_CLIENT_IDS, falls back to AZURE_CLIENT_ID', () => {
    const env = { SENTINEL_CLIENT_IDS: JSON.stringify({ [A.toUpperCase()]: 'client-a' }), AZURE_CLIENT_ID: 'fallback' };
    expect(clientIdFor(env, A)).toBe('client-a');
    expect(clientIdFor(env, '00000000-0000-0000-0000-0000000000b1')).toBe('fallback');
    expect(clientIdFor({}, A)).toBeUndefined();
  });
  it('rejects a malformed map with a clear message', () => {
    expect(() => clientIdFor({ SENTINEL_CLIENT_IDS: '{nope' }, A)).toThrow(AuthConfigError);
    expect(() => clientIdFor({ SENTINEL_CLIENT_IDS: '[]' }, A)).toThrow('SENTINEL_CLIENT_IDS must be a JSON object of tenantId → clientId');
  });
});

describe('no rule field is lost without a word', () => {
  it('every field of the rule schema is sent to ARM or deliberately kept in the repo', async () => {
    const { readFileSync } = await import('node:fs');
    const schema = JSON.parse(readFileSync(new URL('../../scripts/content/schemas/rule.schema.json', import.meta.url), 'utf8')) as { properties: Record<string, unknown> };
    // Fields that are not ARM properties, and why.
    const repoOnly: Record<string, string> = {
      id: 'the resource name', version: 'ownership metadata', kind: 'the resource kind', name: 'sent as displayName',
      relevantTechniques: 'sent as techniques + subTechniques', status: 'Azure-Sentinel catalogue field',
      requiredDataConnectors: 'Azure-Sentinel catalogue field', tags: 'Azure-Sentinel catalogue field', metadata: 'Azure-Sentinel catalogue field',
      investigationGuide: 'extension', falsePositives: 'extension', references: 'extension', parameters: 'extension (substituted into the query)', lineage: 'extension',
    };
    const sent = JSON.stringify(ruleToArm(rule(1, {
      suppressionEnabled: true, suppressionDuration: '2h', eventGroupingSettings: { aggregationKind: 'AlertPerResult' }, enabled: false,
    }).rule).properties);
    for (const field of Object.keys(schema.properties)) {
      if (field in repoOnly) continue;
      expect(sent, `schema field "${field}" is neither mapped to ARM nor listed as repo-only`).toContain(`"${field}"`);
    }
  });
});

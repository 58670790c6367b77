/**
 * The emulator's alert-rule validation (resources/ruleValidation.ts), rule by rule: for each thing
 * it enforces, one body it accepts and one it rejects with a 400 naming the field.
 */
import { describe, expect, it } from 'vitest';
import { ArmError } from '../../scripts/emulator/errors.ts';
import type { Json } from '../../scripts/emulator/resources/common.ts';
import { validateRule } from '../../scripts/emulator/resources/ruleValidation.ts';

const scheduled = (): Json => ({
  displayName: 'Credential added',
  description: 'A credential was added.',
  enabled: true,
  query: 'AuditLogs | take 1',
  severity: 'Medium',
  queryFrequency: 'PT1H',
  queryPeriod: 'PT1H',
  triggerOperator: 'GreaterThan',
  triggerThreshold: 0,
});

/** The 400 a body gets, or undefined when it is accepted. */
function rejection(kind: string, props: Json): string | undefined {
  try {
    validateRule(kind, props);
    return undefined;
  } catch (e) {
    if (!(e instanceof ArmError)) throw e;
    expect([e.status, e.code]).toEqual([400, 'BadRequest']);
    return e.message;
  }
}

interface Case {
  rule: string;
  kind?: string;
  base?: () => Json;
  accept: Json;
  reject: Json;
  message: RegExp;
}

const grouping = { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities' };

const CASES: Case[] = [
  { rule: 'displayName is required', accept: { displayName: 'x' }, reject: { displayName: undefined }, message: /^The properties\.displayName field is required\.$/ },
  { rule: 'displayName is not empty', accept: { displayName: ' a ' }, reject: { displayName: '  ' }, message: /properties\.displayName field must not be empty/ },
  { rule: 'displayName is at most 256 characters', accept: { displayName: 'a'.repeat(256) }, reject: { displayName: 'a'.repeat(257) }, message: /properties\.displayName is 257 characters long; the maximum is 256/ },
  { rule: 'description is a string of at most 5000 characters', accept: { description: 'a'.repeat(5000) }, reject: { description: 'a'.repeat(5001) }, message: /properties\.description is 5001 characters long/ },
  { rule: 'description is a string', accept: { description: undefined }, reject: { description: 42 }, message: /properties\.description: expected a string, got 42/ },
  { rule: 'enabled is a required boolean', accept: { enabled: false }, reject: { enabled: 'yes' }, message: /properties\.enabled: expected true or false/ },
  { rule: 'enabled is required', accept: { enabled: true }, reject: { enabled: undefined }, message: /The properties\.enabled field is required/ },
  { rule: 'query is required', accept: { query: 'SigninLogs' }, reject: { query: undefined }, message: /The properties\.query field is required/ },
  { rule: 'query is not empty', accept: { query: 'SigninLogs' }, reject: { query: ' \n ' }, message: /properties\.query field must not be empty/ },
  { rule: 'query is at most 10000 characters', accept: { query: 'a'.repeat(10000) }, reject: { query: 'a'.repeat(10001) }, message: /properties\.query is 10001 characters long; the maximum is 10000/ },
  { rule: 'severity is one of the four', accept: { severity: 'Informational' }, reject: { severity: 'Critical' }, message: /Invalid value "Critical" for properties\.severity\. Allowed values: High, Medium, Low, Informational/ },
  { rule: 'tactics are ATT&CK tactic names', accept: { tactics: ['Persistence', 'PrivilegeEscalation'] }, reject: { tactics: ['Persistance'] }, message: /Invalid value "Persistance" for properties\.tactics\[0\]/ },
  { rule: 'tactics is an array', accept: { tactics: [] }, reject: { tactics: 'Persistence' }, message: /properties\.tactics: expected an array/ },
  { rule: 'techniques are T#### ids', accept: { techniques: ['T1098'] }, reject: { techniques: ['T1098.001'] }, message: /properties\.techniques\[0\]: expected a MITRE ATT&CK technique id like T1098/ },
  { rule: 'subTechniques are T####.### ids', accept: { subTechniques: ['T1098.001'] }, reject: { subTechniques: ['T1098'] }, message: /properties\.subTechniques\[0\]: expected a MITRE ATT&CK sub-technique id/ },
  { rule: 'suppressionEnabled is a boolean', accept: { suppressionEnabled: true }, reject: { suppressionEnabled: 1 }, message: /properties\.suppressionEnabled: expected true or false/ },
  { rule: 'suppressionDuration is 5 minutes to 24 hours', accept: { suppressionDuration: 'PT24H' }, reject: { suppressionDuration: 'P2D' }, message: /'P2D' for properties\.suppressionDuration: the suppression duration must be between/ },
  { rule: 'suppressionDuration is an ISO 8601 duration', accept: { suppressionDuration: 'PT5M' }, reject: { suppressionDuration: '5m' }, message: /"5m" for properties\.suppressionDuration: expected an ISO 8601 duration/ },
  {
    rule: 'entity mappings: at most 10',
    accept: { entityMappings: Array.from({ length: 10 }, () => ({ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'Ip' }] })) },
    reject: { entityMappings: Array.from({ length: 11 }, () => ({ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'Ip' }] })) },
    message: /properties\.entityMappings has 11 entries; at most 10/,
  },
  { rule: 'entity mappings: known entity type', accept: { entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'User' }] }] }, reject: { entityMappings: [{ entityType: 'User', fieldMappings: [{ identifier: 'Name', columnName: 'User' }] }] }, message: /Invalid value "User" for properties\.entityMappings\[0\]\.entityType/ },
  { rule: 'entity mappings: an object each', accept: { entityMappings: [] }, reject: { entityMappings: ['IP'] }, message: /properties\.entityMappings\[0\]: expected an object/ },
  {
    rule: 'entity mappings: 1 to 3 field mappings',
    accept: { entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'A' }, { identifier: 'Name', columnName: 'B' }, { identifier: 'UPNSuffix', columnName: 'C' }] }] },
    reject: { entityMappings: [{ entityType: 'Account', fieldMappings: [] }] },
    message: /properties\.entityMappings\[0\]\.fieldMappings must have between 1 and 3 identifiers, got 0/,
  },
  { rule: 'entity mappings: identifier and columnName are required', accept: { entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'Ip' }] }] }, reject: { entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: '' }] }] }, message: /The properties\.entityMappings\[0\]\.fieldMappings\[0\]\.columnName field is required/ },
  { rule: 'custom details: an object', accept: { customDetails: { Targets: 'Targets' } }, reject: { customDetails: ['Targets'] }, message: /properties\.customDetails: expected an object of key → column name/ },
  {
    rule: 'custom details: at most 20',
    accept: { customDetails: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`K${i}`, 'C'])) },
    reject: { customDetails: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`K${i}`, 'C'])) },
    message: /properties\.customDetails has 21 entries; at most 20/,
  },
  { rule: 'custom details: identifier-like keys', accept: { customDetails: { _Key1: 'C' } }, reject: { customDetails: { '1Key': 'C' } }, message: /Invalid key '1Key' in properties\.customDetails/ },
  { rule: 'custom details: a column name per key', accept: { customDetails: { K: 'C' } }, reject: { customDetails: { K: '' } }, message: /properties\.customDetails\.K: expected a column name/ },
  { rule: 'incident configuration: an object', accept: { incidentConfiguration: { createIncident: true } }, reject: { incidentConfiguration: true }, message: /properties\.incidentConfiguration: expected an object/ },
  { rule: 'incident configuration: createIncident is required', accept: { incidentConfiguration: { createIncident: false } }, reject: { incidentConfiguration: {} }, message: /properties\.incidentConfiguration\.createIncident field is required/ },
  { rule: 'grouping: enabled and reopenClosedIncident are booleans', accept: { incidentConfiguration: { createIncident: true, groupingConfiguration: grouping } }, reject: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, reopenClosedIncident: undefined } } }, message: /groupingConfiguration\.reopenClosedIncident field is required/ },
  { rule: 'grouping: lookback is 5 minutes to 7 days', accept: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, lookbackDuration: 'P7D' } } }, reject: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, lookbackDuration: 'P8D' } } }, message: /groupingConfiguration\.lookbackDuration: the grouping lookback duration must be between/ },
  { rule: 'grouping: known matching method', accept: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, matchingMethod: 'AnyAlert' } } }, reject: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, matchingMethod: 'Some' } } }, message: /Invalid value "Some" for properties\.incidentConfiguration\.groupingConfiguration\.matchingMethod/ },
  { rule: 'grouping: groupByEntities are entity types', accept: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, groupByEntities: ['Account'] } } }, reject: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, groupByEntities: ['User'] } } }, message: /groupingConfiguration\.groupByEntities\[0\]/ },
  { rule: 'grouping: groupByAlertDetails are DisplayName/Severity', accept: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, groupByAlertDetails: ['Severity'] } } }, reject: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, groupByAlertDetails: ['Name'] } } }, message: /groupingConfiguration\.groupByAlertDetails\[0\]/ },
  { rule: 'grouping: Selected needs something to group by', accept: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, matchingMethod: 'Selected', groupByCustomDetails: ['Targets'] } } }, reject: { incidentConfiguration: { createIncident: true, groupingConfiguration: { ...grouping, matchingMethod: 'Selected' } } }, message: /when matchingMethod is Selected, at least one of groupByEntities/ },
  { rule: 'event grouping: known aggregation kind', accept: { eventGroupingSettings: { aggregationKind: 'AlertPerResult' } }, reject: { eventGroupingSettings: { aggregationKind: 'PerRow' } }, message: /Invalid value "PerRow" for properties\.eventGroupingSettings\.aggregationKind/ },
  { rule: 'sentinelEntitiesMappings: columnName each', accept: { sentinelEntitiesMappings: [{ columnName: 'Entities' }] }, reject: { sentinelEntitiesMappings: [{}] }, message: /properties\.sentinelEntitiesMappings\[0\]\.columnName field is required/ },
  { rule: 'queryFrequency is 5 minutes to 14 days', accept: { queryFrequency: 'PT5M', queryPeriod: 'PT5M' }, reject: { queryFrequency: 'PT4M', queryPeriod: 'PT5M' }, message: /'PT4M' for properties\.queryFrequency: the query frequency must be between/ },
  { rule: 'queryPeriod is 5 minutes to 14 days', accept: { queryPeriod: 'P14D' }, reject: { queryPeriod: 'P15D' }, message: /'P15D' for properties\.queryPeriod: the query period must be between/ },
  { rule: 'queryPeriod ≥ queryFrequency', accept: { queryFrequency: 'PT1H', queryPeriod: 'PT1H' }, reject: { queryFrequency: 'PT2H', queryPeriod: 'PT1H' }, message: /the query period must be greater than or equal to the query frequency 'PT2H'/ },
  { rule: 'queryFrequency is required', accept: { queryFrequency: 'PT1H' }, reject: { queryFrequency: undefined }, message: /The properties\.queryFrequency field is required/ },
  { rule: 'triggerOperator is one of four', accept: { triggerOperator: 'NotEqual' }, reject: { triggerOperator: 'gt' }, message: /Invalid value "gt" for properties\.triggerOperator/ },
  { rule: 'triggerThreshold is an integer 0..10000', accept: { triggerThreshold: 10000 }, reject: { triggerThreshold: 10001 }, message: /Invalid value 10001 for properties\.triggerThreshold: expected an integer between 0 and 10000/ },
  { rule: 'triggerThreshold is an integer', accept: { triggerThreshold: 0 }, reject: { triggerThreshold: 1.5 }, message: /Invalid value 1\.5 for properties\.triggerThreshold/ },
  // NRT: the query rule checks without the schedule.
  { rule: 'NRT: no schedule needed, query still checked', kind: 'NRT', base: () => ({ ...scheduled(), queryFrequency: undefined, queryPeriod: undefined, triggerOperator: undefined, triggerThreshold: undefined }), accept: {}, reject: { query: '' }, message: /properties\.query field must not be empty/ },
  // Fusion
  { rule: 'Fusion: alertRuleTemplateName is required', kind: 'Fusion', base: () => ({ alertRuleTemplateName: 'f71aba3d-28fb-450b-b192-4e76a83015c8', enabled: true }), accept: {}, reject: { alertRuleTemplateName: '' }, message: /properties\.alertRuleTemplateName field must not be empty/ },
  { rule: 'Fusion: enabled is required', kind: 'Fusion', base: () => ({ alertRuleTemplateName: 'f71aba3d-28fb-450b-b192-4e76a83015c8', enabled: true }), accept: { enabled: false }, reject: { enabled: undefined }, message: /The properties\.enabled field is required/ },
  // Microsoft security incident creation
  ...((): Case[] => {
    const base = () => ({ displayName: 'Create incidents', enabled: true, productFilter: 'Azure Security Center' });
    const kind = 'MicrosoftSecurityIncidentCreation';
    return [
      { rule: 'incident creation: known product filter', kind, base, accept: { productFilter: 'Microsoft Defender Advanced Threat Protection' }, reject: { productFilter: 'Defender' }, message: /Invalid value "Defender" for properties\.productFilter/ },
      { rule: 'incident creation: severities filter', kind, base, accept: { severitiesFilter: ['High', 'Low'] }, reject: { severitiesFilter: ['Severe'] }, message: /Invalid value "Severe" for properties\.severitiesFilter\[0\]/ },
      { rule: 'incident creation: display name filters are arrays', kind, base, accept: { displayNamesFilter: ['x'] }, reject: { displayNamesExcludeFilter: 'x' }, message: /properties\.displayNamesExcludeFilter: expected an array/ },
      { rule: 'incident creation: displayName is required', kind, base, accept: { displayName: 'x' }, reject: { displayName: undefined }, message: /The properties\.displayName field is required/ },
    ];
  })(),
];

const withChange = (base: Json, change: Json): Json => {
  const out = { ...base, ...change };
  for (const [k, v] of Object.entries(change)) if (v === undefined) delete out[k];
  return out;
};

describe('emulator alert-rule validation (the service rules it enforces)', () => {
  it('accepts a complete Scheduled rule', () => {
    expect(rejection('Scheduled', scheduled())).toBeUndefined();
  });

  it('leaves kinds it does not validate alone', () => {
    expect(rejection('ThreatIntelligence', {})).toBeUndefined();
  });

  describe.each(CASES)('$rule', ({ kind = 'Scheduled', base = scheduled, accept, reject, message }) => {
    it('accepts', () => {
      expect(rejection(kind, withChange(base(), accept))).toBeUndefined();
    });
    it('rejects with a 400 naming the field', () => {
      expect(rejection(kind, withChange(base(), reject))).toMatch(message);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../scripts/kusto/catalogue.ts';

const TYPES = ['string', 'int', 'long', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid'];
const REQUIRED = [
  'AuditLogs',
  'SigninLogs',
  'AADNonInteractiveUserSignInLogs',
  'AADServicePrincipalSignInLogs',
  'AADManagedIdentitySignInLogs',
  'AzureActivity',
  'AWSCloudTrail',
  'GCPAuditLogs',
  'SecurityAlert',
  'SecurityIncident',
  'Watchlist',
];

describe('table catalogue', () => {
  const cat = loadCatalogue();
  const type = (table: string, column: string): string | undefined => cat.get(table)?.columns.find((c) => c.name === column)?.type;

  it('has every required table with valid, unique, described columns and the standard columns', () => {
    for (const name of REQUIRED) {
      const t = cat.get(name);
      expect(t, name).toBeDefined();
      const names = t!.columns.map((c) => c.name);
      expect(new Set(names).size, name).toBe(names.length);
      for (const c of t!.columns) {
        expect(TYPES, `${name}.${c.name}`).toContain(c.type);
        expect(c.description, `${name}.${c.name}`).toBeTruthy();
      }
      for (const std of ['TenantId', 'TimeGenerated', 'Type', '_ResourceId']) expect(names, name).toContain(std);
    }
  });
  it('types the columns detections depend on as documented', () => {
    expect(type('AuditLogs', 'InitiatedBy')).toBe('dynamic');
    expect(type('AuditLogs', 'TargetResources')).toBe('dynamic');
    expect(type('AuditLogs', 'AdditionalDetails')).toBe('dynamic');
    expect(type('AuditLogs', 'Result')).toBe('string');
    expect(type('SigninLogs', 'ResultType')).toBe('string');
    expect(type('SigninLogs', 'LocationDetails')).toBe('dynamic');
    expect(type('AADNonInteractiveUserSignInLogs', 'LocationDetails')).toBe('string');
    for (const t of ['AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs']) {
      for (const c of ['ServicePrincipalId', 'ServicePrincipalName', 'AppId', 'IPAddress', 'ResultType', 'ResourceDisplayName', 'ServicePrincipalCredentialKeyId']) {
        expect(type(t, c), `${t}.${c}`).toBe('string');
      }
    }
    expect(type('AWSCloudTrail', 'RequestParameters')).toBe('string');
    expect(type('AWSCloudTrail', 'SessionMfaAuthenticated')).toBe('bool');
    expect(type('GCPAuditLogs', 'Request')).toBe('dynamic');
    expect(type('GCPAuditLogs', 'GCPResourceName')).toBe('string');
    expect(type('AzureActivity', 'Properties_d')).toBe('dynamic');
    expect(type('AzureActivity', 'OperationNameValue')).toBe('string');
    expect(type('SecurityIncident', 'IncidentNumber')).toBe('int');
    expect(type('Watchlist', 'WatchlistItem')).toBe('dynamic');
  });
});

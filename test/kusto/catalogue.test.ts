import { describe, expect, it } from 'vitest';
import { loadAsimFunctions, loadCatalogue } from '../../scripts/kusto/catalogue.ts';

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

  it('has every required table with valid, unique columns and the standard columns', () => {
    for (const name of REQUIRED) {
      const t = cat.get(name);
      expect(t, name).toBeDefined();
      const names = t!.columns.map((c) => c.name);
      expect(new Set(names).size, name).toBe(names.length);
      for (const c of t!.columns) {
        expect(TYPES, `${name}.${c.name}`).toContain(c.type);
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
  it('holds the full Log Analytics catalogue, not only the pack\'s tables', () => {
    expect(cat.size).toBeGreaterThanOrEqual(400);
    for (const name of ['SecurityEvent', 'CommonSecurityLog', 'OfficeActivity', 'ThreatIntelligenceIndicator', 'DeviceProcessEvents', 'AzureDiagnostics', 'Event', 'Syslog', 'Heartbeat', 'SentinelHealth']) {
      expect(cat.has(name), name).toBe(true);
    }
  });
  it('gives the ASIM parsers their parameters and the columns of their ASim*Logs table', () => {
    const asim = loadAsimFunctions();
    const dns = asim.get('_Im_Dns');
    expect(dns?.parameters.map((p) => p.name)).toContain('starttime');
    expect(dns?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['TimeGenerated', 'DnsQuery', 'SrcIpAddr']));
    for (const f of asim.values()) expect(f.columns.length, f.name).toBeGreaterThan(10);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { createKqlAnalyzer, type KqlAnalyzer } from '../../../scripts/validate/kql/analyzer.ts';

// Production-style queries over tables outside the rule pack resolve against the built-in catalogue,
// and the ASIM parsers are typed functions: documented parameters, documented output columns.
let kql: KqlAnalyzer;
beforeAll(() => {
  kql = createKqlAnalyzer({ watchlists: [] });
});

const errors = (q: string) => kql.analyze(q).diagnostics.filter((d) => d.severity === 'error');

describe('the built-in catalogue in validation', () => {
  it.each([
    'SecurityEvent | where EventID == 4624 | summarize count() by Account, Computer',
    'CommonSecurityLog | where DeviceVendor == "Palo Alto Networks" | project SourceIP, DestinationIP, Activity',
    'OfficeActivity | where Operation == "New-InboxRule" | project UserId, ClientIP',
    'DeviceProcessEvents | where FileName =~ "rundll32.exe" | project DeviceName, ProcessCommandLine, InitiatingProcessFileName',
    'Syslog | where Facility == "auth" | project HostName, SyslogMessage',
    'ThreatIntelligenceIndicator | where isnotempty(NetworkIP) | project NetworkIP, ExpirationDateTime',
    'AzureDiagnostics | where ResourceType == "VAULTS" | project OperationName, CallerIPAddress',
    'Heartbeat | summarize arg_max(TimeGenerated, *) by Computer',
  ])('resolves %s', (q) => {
    expect(errors(q)).toEqual([]);
  });

  it('types the ASIM parsers: documented parameters and output columns', () => {
    expect(errors("_Im_Dns(starttime=ago(1h), domain_has_any=dynamic(['example.com'])) | project DnsQuery, SrcIpAddr, EventResult")).toEqual([]);
    expect(errors('imAuthentication | where EventResult == "Failure" | summarize count() by TargetUsername')).toEqual([]);
    expect(errors('_Im_NetworkSession(starttime=ago(1d)) | project SrcIpAddr, DstIpAddr, DstPortNumber')).toEqual([]);
    const wrongColumn = errors('_Im_Dns(starttime=ago(1h)) | project NoSuchDnsColumn');
    expect(wrongColumn.map((d) => d.code)).toEqual(['KS142']);
  });
});

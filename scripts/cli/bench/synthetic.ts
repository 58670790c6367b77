/**
 * Deterministic synthetic Sentinel-style queries (20–60 lines over the catalogue tables) for
 * benchmarks. Each query is different (ids, thresholds, lookbacks, optional stages), like a
 * large rule repository would be.
 */

interface Source {
  table: string;
  actor: string;
  ip: string;
  filter: string;
}

const SOURCES: readonly Source[] = [
  { table: 'AuditLogs', actor: 'tostring(InitiatedBy.user.userPrincipalName)', ip: 'tostring(InitiatedBy.user.ipAddress)', filter: 'OperationName has_any ("Add service principal credentials", "Update application - Certificates and secrets management")' },
  { table: 'SigninLogs', actor: 'UserPrincipalName', ip: 'IPAddress', filter: 'ResultType == "0" and AppDisplayName !has "Azure Portal"' },
  { table: 'AADServicePrincipalSignInLogs', actor: 'ServicePrincipalName', ip: 'IPAddress', filter: 'ResultType == "0" and isnotempty(ServicePrincipalCredentialKeyId)' },
  { table: 'AADManagedIdentitySignInLogs', actor: 'ServicePrincipalName', ip: 'IPAddress', filter: 'ResultType != "0"' },
  { table: 'AADNonInteractiveUserSignInLogs', actor: 'UserPrincipalName', ip: 'IPAddress', filter: 'ResultType in ("50126", "50053")' },
  { table: 'AzureActivity', actor: 'Caller', ip: 'CallerIpAddress', filter: 'OperationNameValue =~ "Microsoft.Authorization/roleAssignments/write" and ActivityStatusValue == "Success"' },
  { table: 'AWSCloudTrail', actor: 'UserIdentityArn', ip: 'SourceIpAddress', filter: 'EventName in ("CreateAccessKey", "UpdateAccessKey") and isempty(ErrorCode)' },
  { table: 'GCPAuditLogs', actor: 'PrincipalEmail', ip: 'tostring(RequestMetadata.callerIp)', filter: 'MethodName has "CreateServiceAccountKey" and ServiceName == "iam.googleapis.com"' },
];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

export function syntheticQuery(i: number): string {
  const s = pick(SOURCES, i);
  const other = pick(SOURCES, i + 3);
  const lookback = 1 + (i % 14);
  const lines = [
    `// synthetic rule ${i}: ${s.table}`,
    `let lookback = ${lookback}d;`,
    `let threshold = ${2 + (i % 17)};`,
    `let window = ${1 + (i % 6)}h;`,
    `let trusted = _GetWatchlist('NetworkAllowlist') | project IPOrRange;`,
    `let baseline = ${s.table}`,
    `  | where TimeGenerated between (ago(lookback) .. ago(window))`,
    `  | where ${s.filter}`,
    `  | extend Actor = ${s.actor}, SourceIp = ${s.ip}`,
    `  | summarize KnownIps = make_set(SourceIp, 100) by Actor;`,
    `${s.table}`,
    `| where TimeGenerated > ago(window)`,
    `| where ${s.filter}`,
    `| extend Actor = ${s.actor}, SourceIp = ${s.ip}`,
    `| where isnotempty(Actor) and isnotempty(SourceIp)`,
    `| where not(ipv4_is_in_any_range(SourceIp, toscalar(trusted | summarize make_list(IPOrRange))))`,
    `| join kind=leftouter baseline on Actor`,
    `| where isnull(KnownIps) or not(set_has_element(KnownIps, SourceIp))`,
    `| summarize StartTime = min(TimeGenerated), EndTime = max(TimeGenerated), Count = count(), Ips = make_set(SourceIp, 20) by Actor, bin(TimeGenerated, window)`,
    `| where Count >= threshold`,
  ];
  // Optional stages make the queries 20–60 lines and different from each other.
  const extra = i % 5;
  for (let k = 0; k < extra; k++) {
    lines.push(
      `| join kind=leftouter (`,
      `    ${other.table}`,
      `    | where TimeGenerated > ago(lookback)`,
      `    | extend Actor = ${other.actor}`,
      `    | summarize Related${k} = count(), RelatedIps${k} = make_set(${other.ip}, 10) by Actor`,
      `  ) on Actor`,
      `| extend Related${k} = coalesce(Related${k}, 0)`,
      `| where Related${k} >= 0 or array_length(RelatedIps${k}) > ${k}`,
    );
  }
  lines.push(
    `| extend AccountName = tostring(split(Actor, "@")[0]), AccountUPNSuffix = tostring(split(Actor, "@")[1])`,
    `| extend Severity = iff(Count > threshold * 3, "High", "Medium")`,
    `| project StartTime, EndTime, Actor, AccountName, AccountUPNSuffix, Ips, Count, Severity`,
    `| order by Count desc`,
  );
  return lines.join('\n');
}

/** Sentinel entity types and their identifiers (Microsoft Sentinel entities reference). */
export const ENTITY_IDENTIFIERS: Record<string, readonly string[]> = {
  Account: ['Name', 'FullName', 'NTDomain', 'DnsDomain', 'UPNSuffix', 'Sid', 'AadTenantId', 'AadUserId', 'PUID', 'IsDomainJoined', 'DisplayName', 'ObjectGuid', 'CloudAppAccountId'],
  AzureResource: ['ResourceId'],
  CloudApplication: ['AppId', 'Name', 'InstanceName'],
  DNS: ['DomainName'],
  File: ['Directory', 'Name'],
  FileHash: ['Algorithm', 'Value'],
  Host: ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily', 'OSVersion', 'IsDomainJoined'],
  IoTDevice: ['IoTHub', 'DeviceId', 'DeviceName', 'IoTSecurityAgentId', 'DeviceType', 'Source', 'SourceRef', 'Manufacturer', 'Model', 'OperatingSystem', 'IpAddress', 'MacAddress', 'Protocols', 'SerialNumber'],
  IP: ['Address', 'AddressScope'],
  MailCluster: ['NetworkMessageIds', 'CountByDeliveryStatus', 'CountByThreatType', 'CountByProtectionStatus', 'Threats', 'Query', 'QueryTime', 'MailCount', 'IsVolumeAnomaly', 'Source', 'ClusterSourceIdentifier', 'ClusterSourceType', 'ClusterQueryStartTime', 'ClusterQueryEndTime', 'ClusterGroup'],
  MailMessage: ['Recipient', 'Urls', 'Threats', 'Sender', 'P1Sender', 'P1SenderDisplayName', 'P1SenderDomain', 'SenderIP', 'P2Sender', 'P2SenderDisplayName', 'P2SenderDomain', 'ReceivedDate', 'NetworkMessageId', 'InternetMessageId', 'Subject', 'BodyFingerprintBin1', 'BodyFingerprintBin2', 'BodyFingerprintBin3', 'BodyFingerprintBin4', 'BodyFingerprintBin5', 'AntispamDirection', 'DeliveryAction', 'DeliveryLocation', 'Language', 'ThreatDetectionMethods'],
  Mailbox: ['MailboxPrimaryAddress', 'DisplayName', 'Upn', 'ExternalDirectoryObjectId', 'RiskLevel'],
  Malware: ['Name', 'Category'],
  Process: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
  RegistryKey: ['Hive', 'Key'],
  RegistryValue: ['Name', 'Value', 'ValueType'],
  SecurityGroup: ['DistinguishedName', 'SID', 'ObjectGuid'],
  SubmissionMail: ['SubmissionId', 'SubmissionDate', 'Submitter', 'NetworkMessageId', 'Timestamp', 'Recipient', 'Sender', 'SenderIp', 'Subject', 'ReportType'],
  URL: ['Url'],
};

/** Sentinel limits for analytic rules (Microsoft Sentinel service limits). */
export const LIMITS = {
  maxEntityMappings: 10,
  maxIdentifiersPerMapping: 3,
  maxCustomDetails: 20,
  maxPlaceholdersPerField: 3,
  maxQueryLength: 10_000,
  minFrequencyMs: 5 * 60_000,
  maxFrequencyMs: 14 * 86_400_000,
  minPeriodMs: 5 * 60_000,
  maxPeriodMs: 14 * 86_400_000,
  /** A period longer than 2 days needs a frequency of at least 1 hour. */
  longPeriodMs: 2 * 86_400_000,
  longPeriodMinFrequencyMs: 3_600_000,
  minSuppressionMs: 5 * 60_000,
  maxSuppressionMs: 24 * 3_600_000,
  minGroupingLookbackMs: 5 * 60_000,
  maxGroupingLookbackMs: 7 * 86_400_000,
} as const;

/**
 * Microsoft Sentinel's vocabulary and service limits, once: validate, deploy and the emulator all
 * read these. The JSON Schema enums are generated from the arrays below.
 */

/** Rule kinds this repo writes as content (`kind:` in rule YAML). */
export const RULE_KINDS = ['Scheduled', 'NRT'] as const;

/** `status` of a rule template in the Azure-Sentinel YAML format. */
export const RULE_STATUSES = ['Available', 'Deprecated', 'Preview'] as const;

/** Alert rule kinds of the SecurityInsights alertRules API that the service validates (REST spec `AlertRuleKind`). */
export const ARM_RULE_KINDS = ['Scheduled', 'NRT', 'Fusion', 'MicrosoftSecurityIncidentCreation'] as const;

/** Alert severities in the REST spec's `AlertSeverity` order. */
export const RULE_SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;

/** `triggerOperator` in rule YAML (Azure-Sentinel YAML short forms). */
export const TRIGGER_OPERATORS = ['gt', 'lt', 'eq', 'ne'] as const;
export type TriggerOperator = (typeof TRIGGER_OPERATORS)[number];

/** The ARM `triggerOperator` of each YAML short form (REST spec `TriggerOperator`). */
export const ARM_TRIGGER_OPERATOR: Readonly<Record<TriggerOperator, string>> = {
  gt: 'GreaterThan',
  lt: 'LessThan',
  eq: 'Equal',
  ne: 'NotEqual',
};
export const ARM_TRIGGER_OPERATORS: readonly string[] = Object.values(ARM_TRIGGER_OPERATOR);

/** MITRE ATT&CK tactics as the alertRules API names them (REST spec `AttackTactic`, including the ICS tactics). */
export const TACTICS = [
  'Reconnaissance', 'ResourceDevelopment', 'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation',
  'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'Exfiltration',
  'CommandAndControl', 'Impact', 'PreAttack', 'ImpairProcessControl', 'InhibitResponseFunction',
] as const;

/** `alertDetailsOverride.alertDynamicProperties[].alertProperty` (REST spec `AlertProperty`). */
export const ALERT_PROPERTIES = [
  'AlertLink', 'ConfidenceLevel', 'ConfidenceScore', 'ExtendedLinks', 'ProductComponentName', 'ProductName',
  'ProviderName', 'RemediationSteps', 'Techniques', 'SubTechniques',
] as const;

/** `eventGroupingSettings.aggregationKind` (REST spec `EventGroupingAggregationKind`). */
export const AGGREGATION_KINDS = ['SingleAlert', 'AlertPerResult'] as const;
/** `incidentConfiguration.groupingConfiguration.matchingMethod` (REST spec `MatchingMethod`). */
export const MATCHING_METHODS = ['AllEntities', 'AnyAlert', 'Selected'] as const;
/** `groupingConfiguration.groupByAlertDetails` (REST spec `AlertDetail`). */
export const ALERT_DETAILS = ['DisplayName', 'Severity'] as const;

/**
 * Sentinel entity types and their identifiers (Microsoft Sentinel entities reference,
 * learn.microsoft.com/azure/sentinel/entities-reference; the entity type list also matches the
 * Azure-Sentinel repository's rule validation `EntityType` enum, which includes IoTDevice).
 */
export const ENTITY_TYPES = [
  'Account', 'AzureResource', 'CloudApplication', 'DNS', 'File', 'FileHash', 'Host', 'IoTDevice', 'IP', 'MailCluster',
  'MailMessage', 'Mailbox', 'Malware', 'Process', 'RegistryKey', 'RegistryValue', 'SecurityGroup', 'SubmissionMail', 'URL',
] as const;
export type EntityTypeName = (typeof ENTITY_TYPES)[number];

export const ENTITY_IDENTIFIERS: Readonly<Record<EntityTypeName, readonly string[]>> = {
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
  minTriggerThreshold: 0,
  maxTriggerThreshold: 10_000,
  maxNrtRulesPerWorkspace: 50,
  maxRulesPerWorkspace: 512,
} as const;

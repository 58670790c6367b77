/** A rule written for the compatibility tests (not taken from any other project). */
export const QUIRKY_RULE_PATH = 'analytics-rules/imported/role-member-added.yaml';

/**
 * A rule in the shape older Azure-Sentinel content and ARM exports have (written for these tests):
 * no header, no kind, lower-case enum values and keys, ARM names and spellings, empty fields.
 */
export const QUIRKY_RULE = `# Brought in from an older export
id: 4f3e2d1c-0b9a-4876-a543-210fedcba987
name: Member added to a privileged role
description: A user was added to a directory role.
severity: medium
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    datatypes:
      - AuditLogs
queryFrequency: PT1H
queryPeriod: 1h
triggerOperator: GreaterThan
triggerThreshold: 0
tactics:
  - Persistence
techniques:
  - T1098
query: |
  AuditLogs
  | where OperationName == "Add member to role"
  | extend Actor = tostring(InitiatedBy.user.userPrincipalName)
  | project TimeGenerated, Actor, OperationName
entityMappings:   # none yet
customDetails:
alertRuleTemplateName: 4f3e2d1c-0b9a-4876-a543-210fedcba987
version: 1.0.0
`;


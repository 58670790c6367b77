/** A small, valid content repository in a temp dir, for tests that need files on disk. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const RULE_HEADER = '# yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json\n';

export const GOOD_RULE = `${RULE_HEADER}id: 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6
name: Service principal credential added
description: A certificate or secret was added to a service principal.
severity: Medium
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - Persistence
  - PrivilegeEscalation
relevantTechniques:
  - T1098.001
query: |
  AuditLogs
  | where TimeGenerated > ago(1h)
  | where OperationName has "Add service principal credentials"
  | extend Initiator = tostring(InitiatedBy.user.userPrincipalName)
  | extend TargetId = tostring(TargetResources[0].id)
  | project TimeGenerated, Initiator, TargetId, OperationName
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Initiator
customDetails:
  TargetId: TargetId
alertDetailsOverride:
  alertDisplayNameFormat: Credential added by {{Initiator}}
version: 1.0.0
`;

export const WATCHLIST = `# yaml-language-server: $schema=../scripts/content/schemas/watchlist.schema.json
alias: NetworkAllowlist
displayName: Network allowlist
description: Trusted networks
provider: SOC
source: repo
itemsSearchKey: IPOrRange
columns:
  - name: IPOrRange
    type: ipOrRange
    required: true
  - name: Description
    type: string
  - name: Expires
    type: datetime
items:
  - IPOrRange: 192.0.2.0/24
    Description: Office
  - IPOrRange: 198.51.100.10-198.51.100.20
    Description: VPN
  - IPOrRange: 2001:db8::/32
    Description: IPv6 lab
`;

export interface TempRepo {
  root: string;
  write(rel: string, text: string | Uint8Array): void;
  remove(rel: string): void;
  cleanup(): void;
}

/** The repository identity every temp repo carries unless asked not to (plan/apply refuse without one). */
/** The test workspace's tenant and subscription (target files made by `targetYaml`). */
export const TEST_TENANT = '00000000-0000-0000-0000-0000000000a1';
export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000b1';

/** A target file for one test workspace (rg-soc, westeurope, wave 0); `tail` is appended YAML. */
export function targetYaml(o: { tenantId?: string; subscriptionId?: string; workspaceName?: string; tail?: string } = {}): string {
  return '# yaml-language-server: $schema=../scripts/content/schemas/target.schema.json\n' +
    `tenantId: ${o.tenantId ?? TEST_TENANT}\nsubscriptionId: ${o.subscriptionId ?? TEST_SUBSCRIPTION}\nresourceGroup: rg-soc\n` +
    `workspaceName: ${o.workspaceName ?? 'law-soc'}\nlocation: westeurope\nwave: 0\n${o.tail ?? ''}`;
}

export const TEST_IDENTITY = `repository:\n  id: 0e5f3a1c-7b2d-4c8e-9f10-a2b3c4d5e6f7\n  name: test-repo\n`;

export function tempRepo(files: Record<string, string | Uint8Array> = {}, opts: { identity?: boolean } = {}): TempRepo {
  const root = mkdtempSync(join(tmpdir(), 'sentinel-test-'));
  if (opts.identity !== false) files = { 'sentinel.config.yaml': TEST_IDENTITY, ...files };
  const write = (rel: string, text: string | Uint8Array) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return {
    root,
    write,
    remove: (rel) => rmSync(join(root, rel), { force: true }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A repo with the good rule and the watchlist. */
export function goodRepo(extra: Record<string, string | Uint8Array> = {}): TempRepo {
  return tempRepo({
    'analytics-rules/entra/good-rule.yaml': GOOD_RULE,
    'watchlists/NetworkAllowlist.yaml': WATCHLIST,
    ...extra,
  });
}

/** Writes the generated docs for the repo's current content, so `validate` sees them up to date. */
export async function writeDocs(repo: TempRepo): Promise<void> {
  const { loadRepo } = await import('../../scripts/content/load.ts');
  const { generateDocs } = await import('../../scripts/cli/docs.ts');
  const loaded = await loadRepo(repo.root);
  for (const f of generateDocs(loaded.rules)) repo.write(f.path, f.text);
}

export const FUNCTION_HEADER = '# yaml-language-server: $schema=../scripts/content/schemas/function.schema.json\n';

/** A function in functions/SpCredentialChanges.yaml: credential additions, one row per change. */
export const GOOD_FUNCTION = `${FUNCTION_HEADER}alias: SpCredentialChanges
displayName: Service principal credential changes
category: Detection helpers
description: Credential additions to service principals in the last lookback, one row per change.
parameters:
  - name: lookback
    type: timespan
    default: 1h
  - name: operation
    type: string
    default: Add service principal credentials
body: |
  AuditLogs
  | where TimeGenerated > ago(lookback)
  | where OperationName has operation
  | extend Initiator = tostring(InitiatedBy.user.userPrincipalName)
  | extend TargetId = tostring(TargetResources[0].id)
  | project TimeGenerated, Initiator, TargetId, OperationName
version: 1.0.0
`;

/** A rule (analytics-rules/entra/uses-function.yaml) whose query calls SpCredentialChanges. */
export const RULE_USING_FUNCTION = GOOD_RULE
  .replace('id: 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'id: 0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b')
  .replace('name: Service principal credential added', 'name: Service principal credential added (function)')
  .replace(/query: \|\n(  .*\n)+/, 'query: |\n  SpCredentialChanges(2h)\n  | where isnotempty(Initiator)\n');

/** In-memory content for the deploy tests (the real rule pack is written in parallel). */
import type {
  AnalyticRule, RuleFile, SourceFile, Target, Watchlist, WatchlistFile, Workbook, WorkbookFile,
} from '../../scripts/model/types.ts';
import type { DeployContent } from '../../scripts/deploy/desired/resolve.ts';
import { uuidV5 } from '../../scripts/deploy/desired/util.ts';

/** A loaded file's position handle; deploy never needs real positions. */
export function sourceFile(file: string): SourceFile {
  const at = { line: 1, col: 1 };
  return { file, text: '', pos: () => at, keyPos: () => at, offsetPos: () => at };
}

export const TENANT_A = '00000000-0000-0000-0000-0000000000a1';
export const TENANT_B = '00000000-0000-0000-0000-0000000000b1';

export function ruleId(i: number): string {
  return uuidV5(`test-rule-${i}`);
}

export function rule(i: number, extra: Partial<AnalyticRule> = {}): RuleFile {
  const r: AnalyticRule = {
    id: ruleId(i),
    name: `Test rule ${i}`,
    description: `Detects test condition ${i}.`,
    kind: 'Scheduled',
    severity: 'Medium',
    queryFrequency: '1h',
    queryPeriod: '1h',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: ['Persistence', 'PrivilegeEscalation'],
    relevantTechniques: ['T1098.001', 'T1078'],
    query: `let threshold = 5;\nAuditLogs\n| where OperationName == "Add service principal credentials ${i}"\n| summarize n = count() by InitiatedBy = tostring(InitiatedBy.user.userPrincipalName)\n| where n > threshold\n`,
    entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'InitiatedBy' }] }],
    sentinelEntitiesMappings: [{ columnName: 'InitiatedBy' }],
    customDetails: { Count: 'n' },
    alertDetailsOverride: {
      alertDisplayNameFormat: 'Credential added by {{InitiatedBy}}',
      alertDynamicProperties: [{ alertProperty: 'ProductName', value: 'InitiatedBy' }],
    },
    incidentConfiguration: {
      createIncident: true,
      groupingConfiguration: { enabled: true, lookbackDuration: '5h', matchingMethod: 'AllEntities' },
    },
    version: '1.0.0',
    parameters: { threshold: { description: 'Events before alerting', type: 'int', default: 5 } },
    investigationGuide: 'Look at the actor.',
    falsePositives: ['Automation accounts'],
    references: ['https://attack.mitre.org/techniques/T1098/001/'],
    lineage: 'written for the tests',
    ...extra,
  };
  const slug = `test-rule-${i}`;
  return { kind: 'rule', slug, area: 'entra', rule: r, source: sourceFile(`analytics-rules/entra/${slug}.yaml`) };
}

export function allowlist(items = 3): WatchlistFile {
  const w: Watchlist = {
    alias: 'NetworkAllowlist',
    displayName: 'Network allowlist',
    description: 'Known egress ranges',
    provider: 'SOC',
    source: 'NetworkAllowlist.csv',
    itemsSearchKey: 'IPOrRange',
    columns: [
      { name: 'IPOrRange', type: 'ipOrRange' },
      { name: 'Description', type: 'string' },
    ],
    items: Array.from({ length: items }, (_, i) => ({ IPOrRange: `192.0.2.${i}/32`, Description: `office ${i}` })),
  };
  return { kind: 'watchlist', watchlist: w, source: sourceFile('watchlists/NetworkAllowlist.yaml') };
}

export function workbook(): WorkbookFile {
  const wb: Workbook = {
    id: '6a3f1d2c-0000-4000-8000-00000000c0de',
    displayName: 'Credential abuse overview',
    description: 'Counts of credential changes',
    version: '1.0.0',
    template: { version: 'Notebook/1.0', items: [{ type: 1, content: { json: '# Overview' } }], isLocked: false },
  };
  return { kind: 'workbook', slug: 'credential-overview', workbook: wb, source: sourceFile('workbooks/credential-overview.yaml') };
}

export function content(rules = 3, items = 3): DeployContent & { rules: RuleFile[]; watchlists: WatchlistFile[]; workbooks: WorkbookFile[] } {
  return { rules: Array.from({ length: rules }, (_, i) => rule(i)), watchlists: [allowlist(items)], workbooks: [workbook()] };
}

export function target(i: number, extra: Partial<Target> = {}): Target {
  const tenant = i % 2 === 0 ? TENANT_A : TENANT_B;
  const hex = i.toString(16).padStart(4, '0');
  return {
    name: `t${i}`,
    tenantId: tenant,
    subscriptionId: `00000000-0000-0000-${tenant === TENANT_A ? 'aaaa' : 'bbbb'}-00000000${hex}`,
    resourceGroup: 'rg-sentinel',
    workspaceName: `ws-target-${i}`,
    location: 'westeurope',
    wave: i === 0 ? 0 : 1,
    ...extra,
  };
}

export const workspacesOf = (targets: readonly Target[]) =>
  targets.map((t) => ({ tenantId: t.tenantId, subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspace: t.workspaceName, location: t.location }));

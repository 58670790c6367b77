/**
 * The one synthetic content generator of the benchmarks: deterministic Sentinel-style rules with
 * 20–60 line queries over the catalogue tables (each one different, like a large rule repository),
 * as AnalyticRule objects (deploy benchmark) or as a repository on disk (validate benchmark).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticRule } from '../../model/types.ts';

const WATCHLIST = `alias: NetworkAllowlist
displayName: Network allowlist
description: Trusted networks
provider: bench
source: bench
itemsSearchKey: IPOrRange
columns:
  - { name: IPOrRange, type: ipOrRange, required: true }
  - { name: Description, type: string }
items:
  - { IPOrRange: 192.0.2.0/24, Description: office }
`;

/** Deterministic pseudo-random numbers so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const OPS = ['Add service principal credentials', 'Update application – Certificates and secrets management', 'Add owner to application', 'Consent to application', 'Add app role assignment to service principal'];

/** One synthetic rule query of roughly 20–60 lines. */
export function syntheticQuery(i: number): string {
  const r = rng(i + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const lookback = 1 + Math.floor(r() * 23);
  const threshold = Math.floor(r() * 20);
  const extra = Math.floor(r() * 6);
  const lines: string[] = [
    `// Synthetic benchmark rule ${i}`,
    `let Lookback = ${lookback}h;`,
    `let Threshold = ${threshold};`,
    `let Operations = dynamic(["${pick(OPS)}", "${pick(OPS)}"]);`,
    'let Trusted = _GetWatchlist(\'NetworkAllowlist\') | project IPOrRange;',
    'let Changes = AuditLogs',
    '    | where TimeGenerated > ago(Lookback)',
    '    | where OperationName in (Operations)',
    `    | where Result =~ "${pick(['success', 'failure'])}"`,
    '    | extend Initiator = tostring(InitiatedBy.user.userPrincipalName)',
    '    | extend InitiatorApp = tostring(InitiatedBy.app.displayName)',
    '    | extend InitiatorIp = tostring(InitiatedBy.user.ipAddress)',
    '    | mv-expand Target = TargetResources',
    '    | extend TargetId = tostring(Target.id), TargetName = tostring(Target.displayName)',
    `    | where TargetName !startswith "bench-${i}-"`,
    '    | project TimeGenerated, OperationName, Initiator, InitiatorApp, InitiatorIp, TargetId, TargetName, CorrelationId;',
  ];
  for (let k = 0; k < extra; k++) {
    lines.push(`let Extra${k} = Changes | where TargetName has "${pick(['prod', 'dev', 'svc', 'app'])}${k}" | summarize Count${k} = count() by TargetId;`);
  }
  const signins = pick(['AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs']);
  lines.push(
    `let SignIns = ${signins}`,
    '    | where TimeGenerated > ago(Lookback)',
    `    | where ResultType ${pick(['==', '!='])} "0"`,
    '    | summarize SignInCount = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Ips = make_set(IPAddress, 20) by ServicePrincipalId;',
    'Changes',
    '| join kind=leftouter SignIns on $left.TargetId == $right.ServicePrincipalId',
    '| extend SignInCount = coalesce(SignInCount, 0)',
    `| where SignInCount ${pick(['>', '>=', '<'])} Threshold`,
    '| summarize Operations = make_set(OperationName), Targets = dcount(TargetId), FirstChange = min(TimeGenerated), LastChange = max(TimeGenerated)',
    '    by Initiator, InitiatorApp, InitiatorIp',
    `| where Targets >= ${1 + Math.floor(r() * 3)}`,
    '| extend AccountName = tostring(split(Initiator, "@")[0]), UPNSuffix = tostring(split(Initiator, "@")[1])',
    '| project FirstChange, LastChange, Initiator, InitiatorApp, InitiatorIp, Operations, Targets, AccountName, UPNSuffix',
  );
  return lines.join('\n');
}

/** Synthetic rule `i`: a valid Scheduled rule whose entity mappings and custom details name its query's output columns. */
export function syntheticRule(i: number, query = syntheticQuery(i)): AnalyticRule {
  return {
    id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    name: `Synthetic rule ${i}`,
    description: 'Benchmark rule.',
    severity: 'Medium',
    kind: 'Scheduled',
    queryFrequency: '1d',
    queryPeriod: '1d',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: ['Persistence', 'PrivilegeEscalation'],
    relevantTechniques: ['T1098.001'],
    query,
    entityMappings: [
      { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Initiator' }, { identifier: 'Name', columnName: 'AccountName' }, { identifier: 'UPNSuffix', columnName: 'UPNSuffix' }] },
      { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'InitiatorIp' }] },
    ],
    customDetails: { Targets: 'Targets' },
    version: '1.0.0',
  };
}

/** A rule as its YAML file (the Azure-Sentinel format with the schema header). */
export function ruleYaml(rule: AnalyticRule): string {
  const flow = (o: object) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;
  return [
    '# yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json',
    `id: ${rule.id}`,
    `name: ${rule.name}`,
    `description: ${rule.description}`,
    `severity: ${rule.severity}`,
    `kind: ${rule.kind}`,
    `queryFrequency: ${rule.queryFrequency}`,
    `queryPeriod: ${rule.queryPeriod}`,
    `triggerOperator: ${rule.triggerOperator}`,
    `triggerThreshold: ${rule.triggerThreshold}`,
    `tactics: [${(rule.tactics ?? []).join(', ')}]`,
    `relevantTechniques: [${(rule.relevantTechniques ?? []).join(', ')}]`,
    'query: |',
    ...rule.query.split('\n').map((l) => `  ${l}`),
    'entityMappings:',
    ...(rule.entityMappings ?? []).flatMap((m) => [`  - entityType: ${m.entityType}`, '    fieldMappings:', ...m.fieldMappings.map((f) => `      - ${flow(f)}`)]),
    'customDetails:',
    ...Object.entries(rule.customDetails ?? {}).map(([k, v]) => `  ${k}: ${v}`),
    `version: ${rule.version}`,
    '',
  ].join('\n');
}

export const syntheticRuleFile = (root: string, i: number): string => join(root, 'analytics-rules', 'bench', `rule-${i}.yaml`);

/** A repository of `n` synthetic rules and the NetworkAllowlist watchlist in a new temp dir. */
export function syntheticRepo(n: number): string {
  const root = mkdtempSync(join(tmpdir(), `sentinel-bench-${n}-`));
  mkdirSync(join(root, 'analytics-rules', 'bench'), { recursive: true });
  mkdirSync(join(root, 'watchlists'));
  writeFileSync(join(root, 'watchlists', 'NetworkAllowlist.yaml'), '# yaml-language-server: $schema=../scripts/content/schemas/watchlist.schema.json\n' + WATCHLIST);
  for (let i = 0; i < n; i++) writeFileSync(syntheticRuleFile(root, i), ruleYaml(syntheticRule(i)));
  return root;
}

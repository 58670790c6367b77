/**
 * Validation benchmark: synthetic repositories of 100 / 1,000 / 3,000 rules with realistic 20–60 line
 * queries over the catalogue tables; full validate (cold and warm cache) and a 5-file incremental run.
 * Prints numbers; asserts nothing.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../validate/validate.ts';

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

function ruleYaml(i: number, query: string): string {
  const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  return [
    '# yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json',
    `id: ${id}`,
    `name: Synthetic rule ${i}`,
    'description: Benchmark rule.',
    'severity: Medium',
    'kind: Scheduled',
    'queryFrequency: 1d',
    'queryPeriod: 1d',
    'triggerOperator: gt',
    'triggerThreshold: 0',
    'tactics: [Persistence, PrivilegeEscalation]',
    'relevantTechniques: [T1098.001]',
    'query: |',
    ...query.split('\n').map((l) => `  ${l}`),
    'entityMappings:',
    '  - entityType: Account',
    '    fieldMappings:',
    '      - { identifier: FullName, columnName: Initiator }',
    '      - { identifier: Name, columnName: AccountName }',
    '      - { identifier: UPNSuffix, columnName: UPNSuffix }',
    '  - entityType: IP',
    '    fieldMappings:',
    '      - { identifier: Address, columnName: InitiatorIp }',
    'customDetails:',
    '  Targets: Targets',
    'version: 1.0.0',
    '',
  ].join('\n');
}

function makeRepo(n: number): string {
  const root = mkdtempSync(join(tmpdir(), `sentinel-bench-${n}-`));
  mkdirSync(join(root, 'analytics-rules', 'bench'), { recursive: true });
  mkdirSync(join(root, 'watchlists'));
  writeFileSync(join(root, 'watchlists', 'NetworkAllowlist.yaml'), '# yaml-language-server: $schema=../scripts/content/schemas/watchlist.schema.json\n' + WATCHLIST);
  for (let i = 0; i < n; i++) writeFileSync(join(root, 'analytics-rules', 'bench', `rule-${i}.yaml`), ruleYaml(i, syntheticQuery(i)));
  return root;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function benchValidate(print: (line: string) => void, sizes = [100, 1000, 3000]): Promise<void> {
  print('validate (schema + KQL + cross-checks), 2 worker threads');
  print('  rules   cold full        warm full (cache)   5-file incremental   peak RSS');
  for (const n of sizes) {
    const root = makeRepo(n);
    try {
      const cacheDir = join(root, '.sentinel', 'cache', 'kql');
      const t0 = performance.now();
      const cold = await validate(root, { cacheDir, workers: 2 });
      const t1 = performance.now();
      await validate(root, { cacheDir, workers: 2 });
      const t2 = performance.now();
      for (let i = 0; i < 5; i++) {
        writeFileSync(join(root, 'analytics-rules', 'bench', `rule-${i}.yaml`), ruleYaml(i, syntheticQuery(i + 100_000)));
      }
      const t3 = performance.now();
      await validate(root, { cacheDir, workers: 2 });
      const t4 = performance.now();
      const errors = cold.diagnostics.filter((d) => d.severity === 'error').length;
      const cell = (ms: number) => `${(ms / 1000).toFixed(2)} s (${Math.round(n / (ms / 1000))}/s)`.padEnd(20);
      print(`  ${String(n).padStart(5)}   ${cell(t1 - t0)} ${cell(t2 - t1)} ${`${((t4 - t3) / 1000).toFixed(2)} s`.padEnd(20)} ${mb(process.resourceUsage().maxRSS * 1024)}${errors ? `   (${errors} errors!)` : ''}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  print('  targets: 3,000 rules < 15 s, incremental < 2 s (2 cores)');
}

/**
 * Evaluator benchmark (`sentinel bench evaluate`): throughput of a credential-add style AuditLogs
 * rule (where / extend / mv-expand / summarize / join) over 100k generated rows, and the time to
 * run every rule-test fixture of the repository. Prints numbers; asserts nothing.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadRepo } from '../../content/load.ts';
import { evaluateQuery } from '../../evaluate/evaluate.ts';
import { buildSuite } from '../../evaluate/suite.ts';

const ROWS = 100_000;
const NOW = new Date('2026-03-10T12:00:00Z');

/** A pack-style rule: credential additions joined with recent successful service principal sign-ins. */
export const BENCH_QUERY = `let lookback = 1d;
let CredentialAdds = AuditLogs
| where TimeGenerated > ago(lookback)
| where OperationName has_any ("Add service principal credentials", "Update application – Certificates and secrets management")
| where Result =~ "success"
| extend Initiator = coalesce(tostring(InitiatedBy.user.userPrincipalName), tostring(InitiatedBy.app.displayName))
| extend InitiatorIp = tostring(InitiatedBy.user.ipAddress)
| mv-expand Target = TargetResources
| extend TargetId = tostring(Target.id), TargetName = tostring(Target.displayName)
| where isnotempty(TargetId);
let ActiveSPs = AADServicePrincipalSignInLogs
| where TimeGenerated > ago(3d) and ResultType == "0"
| summarize LastSignIn = max(TimeGenerated), SignIns = count() by ServicePrincipalId;
CredentialAdds
| summarize Adds = count(), FirstAdd = min(TimeGenerated), Initiators = make_set(Initiator, 10) by TargetId, TargetName
| join kind=inner ActiveSPs on $left.TargetId == $right.ServicePrincipalId
| extend Severity = iff(Adds > 1 or ipv4_is_private("10.0.0.1"), "High", "Medium")
| project TargetId, TargetName, Adds, FirstAdd, Initiators, LastSignIn, SignIns, Severity`;

/** Deterministic synthetic AuditLogs and sign-in rows shaped like Entra's. */
export function benchTables(rows = ROWS): Record<string, Record<string, unknown>[]> {
  const ops = ['Add service principal credentials', 'Update application – Certificates and secrets management ', 'Update user', 'Add member to group', 'Consent to application'];
  const audit: Record<string, unknown>[] = [];
  for (let i = 0; i < rows; i++) {
    const sp = `00000000-0000-4000-8000-${String(i % 2000).padStart(12, '0')}`;
    audit.push({
      TimeGenerated: new Date(NOW.getTime() - (i % 2880) * 60_000).toISOString(),
      OperationName: ops[i % ops.length],
      Result: i % 17 === 0 ? 'failure' : 'success',
      InitiatedBy: i % 3 ? { user: { userPrincipalName: `user${i % 500}@contoso.com`, ipAddress: `198.51.100.${i % 250}` } } : { app: { displayName: `pipeline-${i % 40}` } },
      TargetResources: [{ id: sp, displayName: `app-${i % 2000}`, type: 'ServicePrincipal', modifiedProperties: [{ displayName: 'KeyDescription', newValue: '[]' }] }],
    });
  }
  const signins: Record<string, unknown>[] = [];
  for (let i = 0; i < rows / 10; i++) {
    signins.push({
      TimeGenerated: new Date(NOW.getTime() - (i % 4000) * 60_000).toISOString(),
      ServicePrincipalId: `00000000-0000-4000-8000-${String(i % 3000).padStart(12, '0')}`,
      ResultType: i % 9 === 0 ? '7000215' : '0',
      IPAddress: `203.0.113.${i % 250}`,
    });
  }
  return { AuditLogs: audit, AADServicePrincipalSignInLogs: signins };
}

export async function benchEvaluator(print: (line: string) => void): Promise<void> {
  const tables = benchTables();
  const inputRows = tables.AuditLogs!.length + tables.AADServicePrincipalSignInLogs!.length;
  // Warm-up: loads the language service and JIT-compiles the interpreter on a small input.
  evaluateQuery(BENCH_QUERY, { now: NOW, tables: benchTables(1000) });
  const t0 = performance.now();
  const result = evaluateQuery(BENCH_QUERY, { now: NOW, tables });
  const ms = performance.now() - t0;
  print(`evaluator: credential-add rule over ${inputRows.toLocaleString('en-US')} rows (${ROWS.toLocaleString('en-US')} AuditLogs) → ${result.rows.length} result rows in ${ms.toFixed(0)} ms = ${Math.round(inputRows / (ms / 1000)).toLocaleString('en-US')} rows/s (includes typing the fixture rows)`);

  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const t1 = performance.now();
  const suite = buildSuite(await loadRepo(root));
  const loaded = performance.now();
  let passed = 0;
  for (const c of suite.cases) if (c.run().passed) passed++;
  const t2 = performance.now();
  print(`evaluator: all repo rule fixtures: ${suite.cases.length} cases (${passed} passed) in ${(t2 - t1).toFixed(0)} ms (load ${(loaded - t1).toFixed(0)} ms, run ${(t2 - loaded).toFixed(0)} ms)`);
}

/** AzureDiagnostics' resource-specific columns: a warning that says how to declare them; other unknown names stay errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_RULE, goodRepo, type TempRepo } from '../helpers/repo.ts';
import { validate } from '../../scripts/validate/validate.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const FILE = 'analytics-rules/entra/waf.yaml';
const ruleReading = (where: string) =>
  GOOD_RULE.replace('id: 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'id: 0b8f7c2e-2a44-4d7f-9f55-3c0a1e6d2b11')
    .replace('name: Service principal credential added', 'name: WAF blocks')
    .replace(/query: \|\n[\s\S]*?entityMappings:/, `query: |\n  AzureDiagnostics\n  | where TimeGenerated > ago(1h)\n  | where ${where}\n  | extend Initiator = clientIp_s, TargetId = requestUri_s\n  | project TimeGenerated, Initiator, TargetId\nentityMappings:`);

describe('AzureDiagnostics columns', () => {
  it('an undocumented resource-specific column (type suffix) is a warning naming the fix', async () => {
    repo = goodRepo({ [FILE]: ruleReading('hostname_s == "contoso.com" and isnotempty(ResourceId)') });
    const res = await validate(repo.root, { cacheDir: false, workers: 0 });
    const mine = res.diagnostics.filter((d) => d.file === FILE && d.code.startsWith('kql/'));
    expect(mine.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning kql/KQL-AZDIAG-COLUMN', 'warning kql/KQL-AZDIAG-COLUMN']);
    expect(mine[0]!.message).toMatch(/^'hostname_s' is not among the documented AzureDiagnostics columns; .* declare it in schemas\/tables\/AzureDiagnostics\.yaml/);
  });

  it('a name without a type suffix is still an unknown-column error', async () => {
    repo = goodRepo({ [FILE]: ruleReading('hostnam == "contoso.com"') });
    const res = await validate(repo.root, { cacheDir: false, workers: 0 });
    expect(res.diagnostics).toContainEqual(expect.objectContaining({ file: FILE, severity: 'error', code: 'kql/KS142' }));
  });
});

/** Functions as content: loaded with positions, validated like a rule, seen by the rules that call them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContentFile } from '../../scripts/content/load.ts';
import { validate } from '../../scripts/validate/validate.ts';
import { checkFunctionVersions } from '../../scripts/validate/version.ts';
import type { Diagnostic, FunctionFile } from '../../scripts/model/types.ts';
import { GOOD_FUNCTION, RULE_USING_FUNCTION, goodRepo } from '../helpers/repo.ts';

const FN = 'functions/SpCredentialChanges.yaml';
const USES = 'analytics-rules/entra/uses-function.yaml';

async function diagnostics(files: Record<string, string>): Promise<Diagnostic[]> {
  const repo = goodRepo(files);
  try {
    const res = await validate(repo.root, { cacheDir: false, workers: 0 });
    return res.diagnostics.filter((d) => d.code !== 'check/tests');
  } finally {
    repo.cleanup();
  }
}

const brief = (d: Diagnostic) => ({ file: d.file, line: d.line, col: d.col, severity: d.severity, code: d.code, message: d.message });

describe('function files', () => {
  it('load as a content kind with the document typed and positions into the file', () => {
    const { file, diagnostics: diags } = loadContentFile(FN, GOOD_FUNCTION);
    expect(diags).toEqual([]);
    const f = file as FunctionFile;
    expect(f.kind).toBe('function');
    expect(f.slug).toBe('SpCredentialChanges');
    expect(f.fn.parameters?.map((p) => [p.name, p.type, p.default])).toEqual([['lookback', 'timespan', '1h'], ['operation', 'string', 'Add service principal credentials']]);
    expect(f.source.pos(['body'])).toEqual({ line: 13, col: 7 });
    expect(f.source.pos(['parameters', 1, 'default'])).toEqual({ line: 12, col: 14 });
  });

  it('a schema error is a finding at its line', () => {
    const { file, diagnostics: diags } = loadContentFile(FN, GOOD_FUNCTION.replace('    type: string\n', '    type: text\n'));
    expect(file).toBeUndefined();
    expect(diags.map(brief)).toEqual([{
      file: FN, line: 11, col: 11, severity: 'error', code: 'schema/enum',
      message: 'parameters[1].type must be one of string, int, long, real, bool, timespan, datetime, dynamic (got "text")',
    }]);
  });

  it('a function and a rule calling it validate clean; the rule sees the inferred output columns', async () => {
    expect(await diagnostics({ [FN]: GOOD_FUNCTION, [USES]: RULE_USING_FUNCTION })).toEqual([]);
  });

  it('a rule using a column the function does not output is an error at the rule', async () => {
    const found = await diagnostics({ [FN]: GOOD_FUNCTION, [USES]: RULE_USING_FUNCTION.replace('isnotempty(Initiator)', 'isnotempty(InitiatedBy)') });
    expect(found.map(brief)).toContainEqual(expect.objectContaining({ file: USES, line: 18, col: 22, code: 'kql/KS142' }));
  });

  it('a rule calling an unknown function still errors', async () => {
    const found = await diagnostics({ [USES]: RULE_USING_FUNCTION });
    expect(found.map(brief)).toContainEqual({
      file: USES, line: 17, col: 3, severity: 'error', code: 'kql/KS211', message: "The name 'SpCredentialChanges' does not refer to any known function.",
    });
  });

  it('a syntax error in the body is reported at its file:line:col in the body', async () => {
    const broken = GOOD_FUNCTION.replace('  | where OperationName has operation\n', '  | where OperationName has operation and\n');
    const found = await diagnostics({ [FN]: broken });
    expect(found.map(brief)).toContainEqual({ file: FN, line: 16, col: 42, severity: 'error', code: 'kql/KS006', message: 'Missing expression' });
  });

  it('the body may use its parameters; an unknown name in it is an error at the body line', async () => {
    const found = await diagnostics({ [FN]: GOOD_FUNCTION.replace('ago(lookback)', 'ago(lookbak)') });
    expect(found.map(brief)).toContainEqual({ file: FN, line: 15, col: 31, severity: 'error', code: 'kql/KS142', message: "The name 'lookbak' does not refer to any known column, table, variable or function." });
    expect(found.every((d) => d.file === FN && d.line === 15)).toBe(true);
  });

  it('an alias naming a table is an error, and the table still works for every other query', async () => {
    const fn = GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: AuditLogs');
    const found = await diagnostics({ 'functions/AuditLogs.yaml': fn });
    expect(found.map(brief)).toEqual([{
      file: 'functions/AuditLogs.yaml', line: 2, col: 8, severity: 'error', code: 'check/function-name',
      message: 'function alias AuditLogs is the name of a table; queries calling AuditLogs would be ambiguous — choose another alias',
    }]);
  });

  it('an alias naming a built-in Kusto or ASIM function is an error', async () => {
    const found = await diagnostics({
      'functions/strcat.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: strcat'),
      'functions/_Im_Dns.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: _Im_Dns'),
    });
    expect(found.map((d) => [d.file, d.line, d.code, d.message])).toEqual([
      ['functions/_Im_Dns.yaml', 2, 'check/function-name', 'function alias _Im_Dns is an ASIM function; a workspace function of that name would hide or clash with it — choose another alias'],
      ['functions/strcat.yaml', 2, 'check/function-name', 'function alias strcat is a built-in Kusto function; a workspace function of that name would hide or clash with it — choose another alias'],
    ]);
  });

  it('file name, duplicate alias, parameter order and defaults are checked at their lines', async () => {
    const found = await diagnostics({
      [FN]: GOOD_FUNCTION,
      'functions/Other.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: spcredentialchanges')
        .replace('    default: 1h\n', '    default: soon\n')
        .replace('    default: Add service principal credentials\n', ''),
    });
    expect(found.map((d) => [d.file, d.line, d.col, d.code, d.message])).toEqual([
      ['functions/Other.yaml', 2, 8, 'check/function-file', 'the function spcredentialchanges must be in functions/spcredentialchanges.yaml (this file is Other.yaml); rename the file or the alias'],
      ['functions/Other.yaml', 9, 14, 'check/function-parameter', 'parameter lookback: "soon" is not a valid timespan parameter value (expected a duration such as 30m, 6h or 14d)'],
      ['functions/Other.yaml', 10, 11, 'check/function-parameter', 'parameter operation has no default but follows lookback, which has one; KQL needs parameters with defaults last'],
      ['functions/SpCredentialChanges.yaml', 2, 8, 'check/duplicate-alias', 'function alias SpCredentialChanges is already used by functions/Other.yaml (spcredentialchanges; aliases differing only in case are one saved search)'],
    ]);
  });

  it('a test file without its function is an error', async () => {
    const found = await diagnostics({ 'functions/Nothing.tests.yaml': '# yaml-language-server: $schema=../scripts/content/schemas/rule-tests.schema.json\ncases:\n  - name: x\n    now: "2026-01-01T00:00:00Z"\n    tables: {}\n    expect:\n      alert: false\n' });
    expect(found.map((d) => [d.file, d.code])).toEqual([['functions/Nothing.tests.yaml', 'check/orphan-tests']]);
  });

  it('version discipline: a changed body needs a higher version', () => {
    const fnAt = (text: string) => loadContentFile(FN, text).file as FunctionFile;
    const base = fnAt(GOOD_FUNCTION);
    const changedBody = fnAt(GOOD_FUNCTION.replace('ago(lookback)', 'ago(lookback * 2)'));
    expect(checkFunctionVersions([changedBody], [base], 'origin/main').map(brief)).toEqual([{
      file: FN, line: 20, col: 10, severity: 'error', code: 'check/version',
      message: 'body changed since origin/main but version is still 1.0.0; bump it (e.g. to 1.1.0) — every rule calling SpCredentialChanges changes with it',
    }]);
    expect(checkFunctionVersions([fnAt(GOOD_FUNCTION.replace('ago(lookback)', 'ago(lookback * 2)').replace('version: 1.0.0', 'version: 1.1.0'))], [base], 'origin/main')).toEqual([]);
    expect(checkFunctionVersions([fnAt(GOOD_FUNCTION.replace('displayName: Service', 'displayName: The service'))], [base], 'origin/main')).toEqual([]);
  });

  it('a function body may embed a shared snippet; copying its guarded constructs is an error at the line', async () => {
    const kql = readFileSync(new URL('../../watchlists/NetworkAllowlist.kql', import.meta.url), 'utf8');
    const indent = (t: string) => t.split('\n').map((l) => (l ? '  ' + l : l)).join('\n').trimEnd();
    const body = `  // BEGIN shared:trusted-networks\n${indent(kql)}\n  // END shared:trusted-networks\n  SigninLogs\n  | project IPAddress\n  | invoke WithTrustedNetworkFlag()\n`;
    const found = await diagnostics({
      'watchlists/NetworkAllowlist.kql': kql,
      'analytics-rules/shared/entra-credential-changes.kql': readFileSync(new URL('../../analytics-rules/shared/entra-credential-changes.kql', import.meta.url), 'utf8'),
      'functions/Trusted.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: Trusted').replace(/body: \|\n(  .*\n)+/, `body: |\n${body}`),
      'functions/Copy.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: Copy').replace('  AuditLogs\n', "  let x = _GetWatchlist('NetworkAllowlist');\n  AuditLogs\n"),
    });
    expect(found.map((d) => [d.file, d.line, d.col, d.code])).toEqual([['functions/Copy.yaml', 14, 11, 'check/shared-snippet']]);
  });
});

/** Declared schemas meet the catalogue (scripts/kusto/declared.ts) and resolve in the one global state. */
import { describe, expect, it } from 'vitest';
import { loadDeclaredFile } from '../../scripts/content/declared.ts';
import { loadCatalogue } from '../../scripts/kusto/catalogue.ts';
import { declaredKql } from '../../scripts/kusto/declared.ts';
import { referencedNames } from '../../scripts/kusto/references.ts';
import { resolveSchema } from '../../scripts/kusto/schema.ts';
import type { DeclaredFunctionFile, DeclaredSchemas, DeclaredTableFile } from '../../scripts/model/types.ts';
import { createKqlAnalyzer } from '../../scripts/validate/kql/analyzer.ts';

function schemas(files: Record<string, string>): DeclaredSchemas {
  const out: DeclaredSchemas = { tables: [], functions: [] };
  for (const [rel, text] of Object.entries(files)) {
    const { file, diagnostics } = loadDeclaredFile(rel, text);
    expect(diagnostics).toEqual([]);
    if (file?.kind === 'declaredTable') out.tables.push(file as DeclaredTableFile);
    else out.functions.push(file as DeclaredFunctionFile);
  }
  return out;
}

describe('declaredKql', () => {
  it('a new table gets the standard Log Analytics columns it lacks', () => {
    const d = declaredKql(schemas({ 'schemas/tables/C_CL.json': '{ "Name": "C_CL", "Properties": [ { "Name": "TimeGenerated", "Type": "datetime" }, { "Name": "Type", "Type": "string" } ] }' }));
    expect(d.diagnostics).toEqual([]);
    expect(d.tables[0]!.columns.map((c) => c.name)).toEqual(['TimeGenerated', 'Type', 'TenantId', '_ResourceId', '_SubscriptionId', '_ItemId', '_TimeReceived', '_IsBillable', '_BilledSize']);
  });

  it('a catalogue table is extended by its declared columns; a different type warns at the column and the declared type wins', () => {
    const builtIn = loadCatalogue().get('SigninLogs')!;
    const typed = builtIn.columns.find((c) => c.name === 'ResultType')!;
    expect(typed.type).toBe('string');
    const d = declaredKql(schemas({
      'schemas/tables/SigninLogs.json': '{\n  "Name": "SigninLogs",\n  "Properties": [\n    { "Name": "ResultType", "Type": "int" },\n    { "Name": "Custom_s", "Type": "string" }\n  ]\n}',
    }));
    expect(d.diagnostics).toEqual([expect.objectContaining({ file: 'schemas/tables/SigninLogs.json', line: 4, col: 5, severity: 'warning', code: 'declared/type-differs', message: expect.stringContaining('SigninLogs.ResultType is string in the built-in catalogue') })]);
    const cols = new Map(d.tables[0]!.columns.map((c) => [c.name, c.type]));
    expect(cols.get('ResultType')).toBe('int');
    expect(cols.get('Custom_s')).toBe('string');
    expect(cols.size).toBe(builtIn.columns.length + 1);
  });

  it('a vendor parser declared both as a table and a function (no _CL): the function is used, the table file warns', () => {
    const d = declaredKql(schemas({
      'schemas/tables/VendorAudit.json': '{ "Name": "VendorAudit", "Properties": [ { "Name": "TimeGenerated", "Type": "datetime" } ] }',
      'schemas/functions/VendorAudit.json': '{ "FunctionName": "VendorAudit", "FunctionResultColumns": [ { "Name": "TimeGenerated", "Type": "datetime" }, { "Name": "DstHostname", "Type": "string" } ] }',
    }));
    expect(d.diagnostics).toEqual([expect.objectContaining({ file: 'schemas/tables/VendorAudit.json', severity: 'warning', code: 'declared/table-is-function' })]);
    expect(d.tables).toEqual([]);
    expect(d.tabularFunctions.map((f) => [f.name, f.columns.map((c) => c.name)])).toEqual([['VendorAudit', ['TimeGenerated', 'DstHostname']]]);
  });

  it('a table declared twice, a function declared twice and a function named like a table are errors at the name', () => {
    const d = declaredKql(schemas({
      'schemas/tables/A_CL.json': '{ "Name": "A_CL", "Properties": [] }',
      'schemas/tables/A_CL.yaml': 'Name: A_CL\nProperties: []\n',
      'schemas/functions/F.json': '{ "FunctionName": "F", "FunctionResultColumns": [] }',
      'schemas/functions/F.yaml': 'FunctionName: F\nFunctionResultColumns: []\n',
      'schemas/functions/A_CL.json': '{ "FunctionName": "A_CL", "FunctionResultColumns": [] }',
      'schemas/functions/SigninLogs.json': '{ "FunctionName": "SigninLogs", "FunctionResultColumns": [] }',
    }));
    expect(d.diagnostics.map((x) => [x.file, x.line, x.col, x.code])).toEqual([
      ['schemas/tables/A_CL.yaml', 1, 7, 'declared/duplicate-table'],
      ['schemas/functions/F.yaml', 1, 15, 'declared/duplicate-function'],
      ['schemas/functions/A_CL.json', 1, 19, 'declared/function-is-table'],
      ['schemas/functions/SigninLogs.json', 1, 19, 'declared/function-is-table'],
    ]);
    expect(d.tables.map((t) => t.name)).toEqual(['A_CL']);
    expect(d.tabularFunctions.map((f) => f.name)).toEqual(['F']);
  });

  it('declared tables and functions resolve for the analyzer: columns, parameters and a body reading a declared table', () => {
    const d = declaredKql(schemas({
      'schemas/tables/C_CL.json': '{ "Name": "C_CL", "Properties": [ { "Name": "User_s", "Type": "string" }, { "Name": "N_d", "Type": "real" } ] }',
      'schemas/functions/P.json': '{ "FunctionName": "P", "FunctionParameters": [ { "Name": "n", "Type": "int", "Default": 1 } ], "FunctionResultColumns": [ { "Name": "Who", "Type": "string" } ] }',
      'schemas/functions/B.json': '{ "FunctionName": "B", "Query": "C_CL | where N_d > 1 | project User_s" }',
    }));
    const kql = createKqlAnalyzer({ watchlists: [], tables: d.tables, tabularFunctions: d.tabularFunctions, functions: d.functions });
    const errors = (q: string) => kql.analyze(q, { lint: false }).diagnostics.filter((x) => x.severity === 'error').map((x) => x.code);
    expect(errors('C_CL | where N_d > 2 | project User_s, TenantId')).toEqual([]);
    expect(kql.analyze('C_CL | project User_s', { lint: false }).tables).toEqual(['C_CL']);
    expect(kql.analyze('P() | project Who', { lint: false }).resultColumns).toEqual([{ name: 'Who', type: 'string' }]);
    expect(errors('P(n = 2) | project Who')).toEqual([]);
    expect(errors('P(m = 2)')).not.toEqual([]);
    expect(kql.analyze('B | project User_s', { lint: false }).resultColumns).toEqual([{ name: 'User_s', type: 'string' }]);
    expect(errors('C_CL | project Missing')).toEqual(['KS142']);
  });
});

describe('referencedNames', () => {
  const schema = resolveSchema({
    watchlists: [],
    tables: [{ name: 'Contoso_CL', columns: [{ name: 'a', type: 'string' }] }, { name: 'ContosoDns_CL', columns: [{ name: 'a', type: 'string' }] }],
    functions: [{ name: 'Wrapped', parameters: '()', body: '{ Contoso_CL }' }],
  });
  it('identifiers, table() strings, wildcards and saved-function bodies; unscoped search, find or union * read everything', () => {
    expect(referencedNames('SigninLogs | join (AuditLogs) on CorrelationId', schema)).toEqual(['AuditLogs', 'SigninLogs']);
    expect(referencedNames("table('Contoso_CL') | take 1", schema)).toEqual(['Contoso_CL']);
    expect(referencedNames('union Contoso* | take 1', schema)).toEqual(['ContosoDns_CL', 'Contoso_CL']);
    expect(referencedNames('Wrapped | take 1', schema)).toEqual(['Contoso_CL', 'Wrapped']);
    expect(referencedNames('search "x"', schema)).toBe('all');
    expect(referencedNames('SigninLogs | search "x"', schema)).toBe('all');
    expect(referencedNames('search in (SigninLogs) "x"', schema)).toEqual(['SigninLogs']);
    expect(referencedNames('union * | take 1', schema)).toBe('all');
    expect(referencedNames('SigninLogs | extend x = 2 * 3 // search everything', schema)).toEqual(['SigninLogs']);
  });
});

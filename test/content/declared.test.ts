/** Declared schema files (scripts/content/declared.ts): Azure-Sentinel shapes, the YAML form, and every malformed case as a located finding. */
import { describe, expect, it } from 'vitest';
import { declaredKindOf, defaultLiteral, loadDeclaredFile } from '../../scripts/content/declared.ts';
import type { DeclaredFunctionFile, DeclaredTableFile } from '../../scripts/model/types.ts';
import { toKqlType } from '../../scripts/model/kql-type.ts';

const table = (rel: string, text: string | Uint8Array) => loadDeclaredFile(rel, text);
const cols = (f: unknown) => (f as DeclaredTableFile).columns.map((c) => [c.name, c.type]);

describe('declared schema files', () => {
  it('only direct children of schemas/tables and schemas/functions, .json or .yaml', () => {
    expect(declaredKindOf('schemas/tables/Contoso_CL.json')).toBe('declaredTable');
    expect(declaredKindOf('schemas/functions/Parser.yaml')).toBe('declaredFunction');
    expect(declaredKindOf('schemas/tables/sub/X.json')).toBeUndefined();
    expect(declaredKindOf('schemas/workspaces/prod.json')).toBeUndefined();
    expect(declaredKindOf('schemas/tables/README.md')).toBeUndefined();
  });

  it('reads a CustomTables JSON file with PascalCase keys, camelCase column keys, tabs and .NET type names', () => {
    const r = table('schemas/tables/X_CL.json', '{\n\t"Name": "X_CL",\n\t"Properties": [\n\t\t{ "name": "TimeGenerated", "type": "DateTime" },\n\t\t{ "Name": "Count_d", "Type": "Double" },\n\t\t{ "Name": "Id_g", "Type": "Guid" },\n\t\t{ "Name": "N", "Type": "Int32" },\n\t\t{ "Name": "Big", "Type": "Int64" },\n\t\t{ "Name": "Ok", "Type": "Boolean" },\n\t\t{ "Name": "Took", "Type": "TimeSpan" },\n\t\t{ "Name": "Raw", "Type": "Dynamic" }\n\t]\n}\n');
    expect(r.diagnostics).toEqual([]);
    expect((r.file as DeclaredTableFile).name).toBe('X_CL');
    expect(cols(r.file)).toEqual([
      ['TimeGenerated', 'datetime'], ['Count_d', 'real'], ['Id_g', 'guid'], ['N', 'int'], ['Big', 'long'], ['Ok', 'bool'], ['Took', 'timespan'], ['Raw', 'dynamic'],
    ]);
  });

  it('reads the YAML form, lower-case keys too', () => {
    const r = table('schemas/tables/Y_CL.yaml', 'name: Y_CL\ndescription: Y logs\nproperties:\n  - { name: TimeGenerated, type: datetime }\n  - { name: Msg, type: string }\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.file).toMatchObject({ name: 'Y_CL', description: 'Y logs' });
    expect(cols(r.file)).toEqual([['TimeGenerated', 'datetime'], ['Msg', 'string']]);
  });

  it('reads a CustomFunctions file: parameters with defaults, result columns', () => {
    const r = loadDeclaredFile('schemas/functions/P.json', JSON.stringify({
      FunctionName: 'VendorParser',
      FunctionParameters: [{ Name: 'starttime', Type: 'datetime', Default: 'datetime(null)' }, { Name: 'user', Type: 'string', Default: '*' }, { Name: 'limit', Type: 'int', Default: 10 }, { Name: 'must', Type: 'string' }],
      FunctionResultColumns: [{ Name: 'TimeGenerated', Type: 'DateTime' }, { Name: 'User', Type: 'string' }],
    }, null, 2));
    expect(r.diagnostics).toEqual([]);
    const f = r.file as DeclaredFunctionFile;
    expect(f.parameters).toEqual([
      { name: 'starttime', type: 'datetime', default: 'datetime(null)' },
      { name: 'user', type: 'string', default: "'*'" },
      { name: 'limit', type: 'int', default: '10' },
      { name: 'must', type: 'string' },
    ]);
    expect(f.columns?.map((c) => [c.name, c.type])).toEqual([['TimeGenerated', 'datetime'], ['User', 'string']]);
  });

  it('a function with a Query and no result columns keeps the body (its output is inferred)', () => {
    const r = loadDeclaredFile('schemas/functions/Q.json', '{ "FunctionName": "Q", "FunctionParameters": [], "FunctionResultColumns": [], "Query": "SigninLogs | take 1" }');
    expect(r.diagnostics).toEqual([]);
    expect(r.file).toMatchObject({ name: 'Q', columns: null, body: 'SigninLogs | take 1' });
  });

  it('bad JSON is a json/ finding at its line and column', () => {
    const r = table('schemas/tables/X_CL.json', '{\n  "Name": "X_CL"\n  "Properties": []\n}\n');
    expect(r.file).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ file: 'schemas/tables/X_CL.json', line: 3, col: 3, severity: 'error', code: 'json/missing-char', message: expect.stringMatching(/^invalid JSON: /) })]);
  });

  it('missing Name, missing Properties, a non-object document', () => {
    expect(table('schemas/tables/A.json', '{ "Properties": [] }').diagnostics).toEqual([
      expect.objectContaining({ line: 1, col: 1, code: 'declared/missing-name', message: 'the table has no Name; add "Name": "<name>"' }),
    ]);
    expect(table('schemas/tables/A.json', '{ "Name": "A" }').diagnostics).toEqual([expect.objectContaining({ code: 'declared/missing-columns' })]);
    expect(table('schemas/tables/A.json', '[1, 2]').diagnostics).toEqual([expect.objectContaining({ code: 'declared/type' })]);
    expect(loadDeclaredFile('schemas/functions/F.json', '{ "FunctionParameters": [] }').diagnostics).toEqual([
      expect.objectContaining({ code: 'declared/missing-name', message: expect.stringContaining('no FunctionName') }),
    ]);
  });

  it('unknown type (with the closest spelling), missing type, duplicate column, both key cases, a bad name, a wrong value type', () => {
    const text = '{\n  "Name": "A_CL",\n  "Properties": [\n    { "Name": "a", "Type": "strng" },\n    { "Name": "b" },\n    { "Name": "c", "Type": "int" },\n    { "Name": "c", "Type": "long" },\n    { "Name": "d", "name": "d", "Type": "int" }\n  ]\n}\n';
    const r = table('schemas/tables/A_CL.json', text);
    expect(r.file).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.line, d.col, d.code])).toEqual([
      [4, 28, 'declared/unknown-type'],
      [5, 5, 'declared/missing-type'],
      [7, 15, 'declared/duplicate-column'],
      [8, 20, 'declared/both-cases'],
    ]);
    expect(r.diagnostics[0]!.message).toContain('did you mean string?');
    expect(table('schemas/tables/A.json', '{ "Name": "My Table", "Properties": [] }').diagnostics).toEqual([expect.objectContaining({ code: 'declared/bad-name', col: 11 })]);
    expect(table('schemas/tables/A.json', '{ "Name": "A", "Properties": { "x": 1 } }').diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: expect.stringMatching(/^schema\//) })]);
  });

  it('a repeated column (as in some of Azure-Sentinel\'s own files) is a warning: the first is used and the table loads', () => {
    const r = table('schemas/tables/B_CL.json', '{\n  "Name": "B_CL",\n  "Properties": [\n    { "Name": "c", "Type": "int" },\n    { "Name": "c", "Type": "long" }\n  ]\n}\n');
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 5, severity: 'warning', code: 'declared/duplicate-column', message: expect.stringContaining('the first is used') })]);
    expect(r.file).toBeDefined();
  });

  it('invalid UTF-8 and empty files are findings, not crashes', () => {
    expect(table('schemas/tables/A.json', new Uint8Array([0x7b, 0xff, 0x7d])).diagnostics).toEqual([expect.objectContaining({ code: 'yaml/encoding' })]);
    expect(table('schemas/tables/A.json', '').diagnostics).toEqual([expect.objectContaining({ code: 'yaml/empty' })]);
  });

  it('type spellings and default literals', () => {
    expect(['String', 'system.string', 'BigInt', 'real', 'Date', 'UUID', 'sbyte'].map(toKqlType)).toEqual(['string', 'string', 'long', 'real', 'datetime', 'guid', 'bool']);
    expect(toKqlType('hashmap')).toBeUndefined();
    expect(defaultLiteral("'x'", 'string')).toBe("'x'");
    expect(defaultLiteral("it's", 'string')).toBe("'it\\'s'");
    expect(defaultLiteral('dynamic([])', 'dynamic')).toBe('dynamic([])');
    expect(defaultLiteral(true, 'bool')).toBe('true');
  });
});

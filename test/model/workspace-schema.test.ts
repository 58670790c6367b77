import { describe, expect, it } from 'vitest';
import { checkWorkspaceSchema, formatWorkspaceSchema, kqlTypeOfApiColumn, schemaAgeDays, type WorkspaceSchema } from '../../scripts/model/workspace-schema.ts';
import { jsonErrorOffset, parseWorkspaceSchema } from '../../scripts/content/workspace-schemas.ts';

const schema: WorkspaceSchema = {
  version: 1,
  target: 'fabrikam',
  workspace: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law',
  pulledAt: '2026-11-30',
  tables: { SigninLogs: [['TimeGenerated', 'datetime'], ['UserPrincipalName', 'string']], AuditLogs: [['TimeGenerated', 'datetime']] },
  functions: { VendorParser: { parameters: 'since:timespan = 1d', body: 'Vendor_CL | where TimeGenerated > ago(since)', category: 'Parsers' } },
};

describe('pulled workspace schema format', () => {
  it('is stable: sorted tables, one per line, fixed key order; it parses back to the same data', () => {
    const text = formatWorkspaceSchema(schema);
    const lines = text.split('\n');
    expect(lines.slice(0, 5)).toEqual(['{', '  "version": 1,', '  "target": "fabrikam",', `  "workspace": "${schema.workspace}",`, '  "pulledAt": "2026-11-30",']);
    expect(lines.findIndex((l) => l.includes('"AuditLogs"'))).toBeLessThan(lines.findIndex((l) => l.includes('"SigninLogs"')));
    expect(lines.find((l) => l.includes('"SigninLogs"'))).toBe('    "SigninLogs": [["TimeGenerated","datetime"],["UserPrincipalName","string"]]');
    expect(JSON.parse(text)).toEqual(schema);
    expect(formatWorkspaceSchema(JSON.parse(text))).toBe(text);
    expect(checkWorkspaceSchema(JSON.parse(text)).problems).toEqual([]);
  });

  it('an empty workspace is valid JSON too', () => {
    const text = formatWorkspaceSchema({ ...schema, tables: {}, functions: {} });
    expect(JSON.parse(text)).toMatchObject({ tables: {}, functions: {} });
  });

  it('maps Tables API column types to Kusto types', () => {
    expect(['string', 'int', 'long', 'real', 'boolean', 'dateTime', 'guid', 'dynamic', 'timespan'].map(kqlTypeOfApiColumn))
      .toEqual(['string', 'int', 'long', 'real', 'bool', 'datetime', 'guid', 'dynamic', 'timespan']);
  });

  it('shape problems name the table or field', () => {
    const bad = { ...schema, pulledAt: 'yesterday', tables: { SigninLogs: [['TimeGenerated', 'date']] } };
    const { problems } = checkWorkspaceSchema(bad);
    expect(problems.map((p) => p.path)).toEqual(['pulledAt', 'tables.SigninLogs']);
  });

  it('age in whole days', () => {
    expect(schemaAgeDays('2026-11-01', new Date('2026-12-02T23:00:00Z'))).toBe(31);
  });
});

describe('parseWorkspaceSchema', () => {
  it('a table with bad columns is an error at its line; a file/target mismatch is a finding', () => {
    const text = formatWorkspaceSchema(schema).replace('["UserPrincipalName","string"]', '["UserPrincipalName","text"]');
    const r = parseWorkspaceSchema('schemas/workspaces/fabrikam.json', text);
    expect(r.schema).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ line: 8, severity: 'error', code: 'schema/workspace' });
    expect(r.diagnostics[0]!.message).toContain('table SigninLogs');
    const other = parseWorkspaceSchema('schemas/workspaces/contoso.json', formatWorkspaceSchema(schema));
    expect(other.schema?.target).toBe('contoso');
    expect(other.diagnostics[0]!.message).toContain('says target "fabrikam"');
  });

  it('locates JSON syntax errors', () => {
    expect(jsonErrorOffset('{\n  "a": [1,]\n}')).toBe(12);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a":1}')).toBe(7);
  });
});

/**
 * A query's cache key covers only the schemas of the tables and functions it reads: changing one
 * declared table re-analyses exactly the queries that read it (directly, through a saved function's
 * body, or through a wildcard), and every other cached result is still used.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KqlSchemaInput, TableSchema } from '../../../scripts/kusto/types.ts';
import { createKqlAnalyzer } from '../../../scripts/validate/kql/analyzer.ts';

const dir = mkdtempSync(join(tmpdir(), 'kql-declared-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contoso = (extra: { name: string; type: string }[] = []): TableSchema => ({
  name: 'Contoso_CL',
  columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'User_s', type: 'string' }, ...extra],
});
const fabrikam: TableSchema = { name: 'Fabrikam_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Host_s', type: 'string' }] };

const schemaWith = (c: TableSchema): KqlSchemaInput => ({
  watchlists: [],
  tables: [c, fabrikam],
  functions: [{ name: 'ContosoUsers', parameters: '()', body: '{ Contoso_CL | distinct User_s }' }],
});

const QUERIES = {
  direct: 'Contoso_CL | where TimeGenerated > ago(1h) | project User_s',
  viaFunction: 'ContosoUsers | take 10',
  viaWildcard: 'union Contoso* | take 10',
  otherDeclared: 'Fabrikam_CL | project Host_s',
  builtIn: 'SigninLogs | project UserPrincipalName',
  noTable: 'print x = 1',
};
const names = Object.keys(QUERIES) as (keyof typeof QUERIES)[];
const entries = () => readdirSync(dir).filter((f) => f.endsWith('.json')).length;

describe('per-query KQL cache keys', () => {
  it('changing one declared table invalidates exactly the entries of the queries reading it', async () => {
    const before = createKqlAnalyzer(schemaWith(contoso()), { cacheDir: dir });
    const first = await before.analyzeMany(Object.values(QUERIES));
    expect(first.every((a) => a.diagnostics.every((d) => d.severity !== 'error'))).toBe(true);
    expect(entries()).toBe(names.length);

    const after = createKqlAnalyzer(schemaWith(contoso([{ name: 'Country_s', type: 'string' }])), { cacheDir: dir });
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const changed = names.filter((n) => after.keyOf(QUERIES[n], true) !== before.keyOf(QUERIES[n], true));
    expect(changed).toEqual(['direct', 'viaFunction', 'viaWildcard']);

    // Re-running writes new entries for exactly those three; the other three are disk-cache hits.
    const second = await after.analyzeMany(Object.values(QUERIES));
    expect(entries()).toBe(names.length + 3);
    expect(second[names.indexOf('direct')]!.resultColumns).toEqual([{ name: 'User_s', type: 'string' }]);
    // The new column resolves for a query reading it (a result computed against the new schema).
    expect(after.analyze('Contoso_CL | project Country_s').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('declaring a table a query names changes that query\'s key, not the others', () => {
    const without = createKqlAnalyzer({ watchlists: [], tables: [fabrikam] });
    const withIt = createKqlAnalyzer({ watchlists: [], tables: [fabrikam, contoso()] });
    expect(withIt.keyOf(QUERIES.direct, true)).not.toBe(without.keyOf(QUERIES.direct, true));
    expect(withIt.keyOf(QUERIES.otherDeclared, true)).toBe(without.keyOf(QUERIES.otherDeclared, true));
    expect(withIt.keyOf(QUERIES.builtIn, true)).toBe(without.keyOf(QUERIES.builtIn, true));
    // A query reading every table (search without `in`) depends on the whole schema.
    expect(withIt.keyOf('search "alice"', true)).not.toBe(without.keyOf('search "alice"', true));
  });
});

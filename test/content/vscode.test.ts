/** The editor set-up of a clone: VS Code validates every content file against its schema without the per-file header. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { kindOf, listContentFiles } from '../../scripts/content/load.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const settings = JSON.parse(readFileSync(`${root}.vscode/settings.json`, 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
const schemas = settings['yaml.schemas'];

/** The schema VS Code applies to a repo-relative path: every positive glob matches and no negated one does. */
function schemaFor(path: string): string[] {
  return Object.entries(schemas)
    .filter(([, globs]) => {
      const pos = globs.filter((g) => !g.startsWith('!'));
      const neg = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
      return pos.some((g) => picomatch(g)(path)) && !neg.some((g) => picomatch(g)(path));
    })
    .map(([schema]) => schema.replace(/^\.\/scripts\/content\/schemas\//, '').replace(/\.schema\.json$/, ''));
}

describe('.vscode', () => {
  it('recommends the YAML extension that reads yaml.schemas', () => {
    const ext = JSON.parse(readFileSync(`${root}.vscode/extensions.json`, 'utf8')) as { recommendations: string[] };
    expect(ext.recommendations).toContain('redhat.vscode-yaml');
  });

  it('associates every generated schema (except the shared definitions) with its files', () => {
    const generated = readdirSync(`${root}scripts/content/schemas`).filter((f) => f.endsWith('.schema.json') && f !== 'common.schema.json');
    expect(Object.keys(schemas).map((s) => s.replace('./scripts/content/schemas/', '')).sort()).toEqual(generated.sort());
  });

  it('gives each content file of this repo exactly the schema the loader validates it with', async () => {
    const expected: Record<string, string> = {
      rule: 'rule', ruleTests: 'rule-tests', watchlist: 'watchlist', workbook: 'workbook', target: 'target', function: 'function', functionTests: 'rule-tests',
    };
    const files = await listContentFiles(root);
    // The pack has no functions/ yet: the globs must still pick the loader's schema for such files.
    for (const f of ['functions/SpCredentialChanges.yaml', 'functions/SpCredentialChanges.tests.yaml']) expect([f, schemaFor(f)]).toEqual([f, [expected[kindOf(f)!]]]);
    // Declared schemas in their YAML form (the JSON form is Azure-Sentinel's and carries no schema).
    expect(schemaFor('schemas/tables/Contoso_CL.yaml')).toEqual(['declared-table']);
    expect(schemaFor('schemas/functions/ContosoParser.yaml')).toEqual(['declared-function']);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect([f, schemaFor(f)]).toEqual([f, [expected[kindOf(f)!]]]);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContentFile, loadRepo } from '../../scripts/content/load.ts';
import type { RuleFile, WorkbookFile } from '../../scripts/model/types.ts';
import {
  checkSharedSnippets,
  checkSharedSnippetsInContent,
  fixSharedSnippets,
  readSharedSnippets,
  type SharedSnippet,
} from '../../scripts/content/shared-snippets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SNIPPET: SharedSnippet = {
  name: 'trusted-networks',
  file: 'watchlists/NetworkAllowlist.kql',
  text: "let Trusted = _GetWatchlist('NetworkAllowlist') | project IPOrRange;\nlet Flag = (T:(IPAddress:string)) { T | extend IsTrustedNetwork = false };\n",
  guards: [/_GetWatchlist\s*\(\s*(['"])NetworkAllowlist\1\s*\)/g],
};

function rule(query: string): RuleFile {
  const body = query.split('\n').map((l) => (l ? `  ${l}` : '')).join('\n');
  const text = [
    '# yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json',
    'id: 0f4e2b8a-7c1d-4e3f-9a5b-6c7d8e9f0a1b',
    'name: Test rule',
    'description: d',
    'severity: Low',
    'kind: Scheduled',
    'queryFrequency: 1h',
    'queryPeriod: 1h',
    'triggerOperator: gt',
    'triggerThreshold: 0',
    'version: 1.0.0',
    'query: |',
    body,
  ].join('\n');
  const { file } = loadContentFile('analytics-rules/entra/test-rule.yaml', text);
  expect(file?.kind).toBe('rule');
  return file as RuleFile;
}

const GOOD = [
  'let Threshold = 3;',
  '// BEGIN shared:trusted-networks',
  "let Trusted = _GetWatchlist('NetworkAllowlist') | project IPOrRange;",
  'let Flag = (T:(IPAddress:string)) { T | extend IsTrustedNetwork = false };',
  '// END shared:trusted-networks',
  'SigninLogs | invoke Flag() | where not(IsTrustedNetwork)',
  '',
].join('\n');

describe('checkSharedSnippets', () => {
  it('accepts a block identical to the canonical text', () => {
    expect(checkSharedSnippets([rule(GOOD)], SNIPPET)).toEqual([]);
  });

  it('reports the first differing line of a drifted block at its file line:col', () => {
    const drifted = GOOD.replace('project IPOrRange', 'project IPOrRange, Owner');
    const [d, ...rest] = checkSharedSnippets([rule(drifted)], SNIPPET);
    expect(rest).toEqual([]);
    // query starts on file line 13; the drifted line is the 3rd query line, indented by 2.
    expect(d).toMatchObject({ file: 'analytics-rules/entra/test-rule.yaml', line: 15, col: 3, severity: 'error', code: 'check/shared-snippet' });
    expect(d!.message).toContain('differs from line 1 of watchlists/NetworkAllowlist.kql');
    expect(d!.message).toContain('sentinel docs');
  });

  it('reports a guarded construct used outside any block (a copied variation)', () => {
    const copied = GOOD + "let Mine = _GetWatchlist('NetworkAllowlist');\n";
    const diags = checkSharedSnippets([rule(copied)], SNIPPET);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ line: 19, col: 14 });
    expect(diags[0]!.message).toContain("_GetWatchlist('NetworkAllowlist')");
    expect(diags[0]!.message).toContain('outside a shared:trusted-networks block');
  });

  it('reports unbalanced markers', () => {
    const open = GOOD.replace('// END shared:trusted-networks\n', '');
    const diags = checkSharedSnippets([rule(open)], SNIPPET);
    expect(diags.map((d) => d.message).join('\n')).toContain('is never closed');
  });

  it('the fixer rewrites drifted and empty blocks, keeping indentation, and the result passes', () => {
    const empty = GOOD.replace(/\/\/ BEGIN shared:trusted-networks\n[\s\S]*?\/\/ END/, '// BEGIN shared:trusted-networks\n// END');
    for (const broken of [GOOD.replace('IPOrRange;', 'IPOrRange, Owner;'), empty]) {
      const r = rule(broken);
      const [fix, ...more] = fixSharedSnippets([r], [SNIPPET]);
      expect(more).toEqual([]);
      expect(fix!.file).toBe(r.source.file);
      expect(fix!.text).toContain("\n  let Trusted = _GetWatchlist('NetworkAllowlist') | project IPOrRange;\n");
      const { file } = loadContentFile(r.source.file, fix!.text);
      expect(checkSharedSnippets([file as RuleFile], SNIPPET)).toEqual([]);
      expect(fixSharedSnippets([file as RuleFile], [SNIPPET])).toEqual([]);
    }
  });
});

describe('the repository content', () => {
  it('every shared snippet block in rules and workbooks matches its canonical file', async () => {
    const repo = await loadRepo(ROOT);
    const canonical = await readSharedSnippets(ROOT);
    expect(checkSharedSnippetsInContent(repo, canonical)).toEqual([]);
    expect(fixSharedSnippets([...repo.rules, ...repo.workbooks], canonical)).toEqual([]);
  });

  it('every rule that reads NetworkAllowlist does so through the shared block', async () => {
    const repo = await loadRepo(ROOT);
    const users = repo.rules.filter((r) => r.rule.query.includes('WithTrustedNetworkFlag'));
    expect(users.map((r) => r.slug).sort()).toEqual(['mi-signin-untrusted-network', 'sp-credential-first-use-new-network', 'sp-signin-failure-burst']);
    for (const r of users) expect(r.rule.query).toContain('// BEGIN shared:trusted-networks');
  });
});

describe('workbook queries', () => {
  it('a drifted block inside a workbook query item is reported at its file line', async () => {
    const { readFile } = await import('node:fs/promises');
    const rel = 'workbooks/cloud-credential-activity.yaml';
    const text = await readFile(`${ROOT}${rel}`, 'utf8');
    const marker = '| extend IsTrustedNetwork = coalesce(';
    const drifted = text.replace(marker, '| extend IsTrustedNetwork = true or coalesce(');
    expect(drifted).not.toBe(text);
    const { file } = loadContentFile(rel, drifted);
    const canonical = await readSharedSnippets(ROOT);
    const diags = checkSharedSnippetsInContent({ rules: [], workbooks: [file as WorkbookFile] }, canonical);
    expect(diags).toHaveLength(1);
    const line = drifted.slice(0, drifted.indexOf('| extend IsTrustedNetwork = true')).split('\n').length;
    expect(diags[0]).toMatchObject({ file: rel, line, code: 'check/shared-snippet' });
    const [fix] = fixSharedSnippets([file as WorkbookFile], canonical);
    expect(fix!.text).toBe(text);
  });
});

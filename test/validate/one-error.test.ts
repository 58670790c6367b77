/** One cause, one error: findings that only follow from a file failing to load are not reported again. */
import { describe, expect, it } from 'vitest';
import { validate } from '../../scripts/validate/validate.ts';
import { staleDocs } from '../../scripts/cli/docs.ts';
import { parseYamlFile } from '../../scripts/content/yaml.ts';
import { GOOD_FUNCTION, GOOD_RULE, goodRepo, writeDocs } from '../helpers/repo.ts';

const RULE = 'analytics-rules/entra/good-rule.yaml';
const TESTS = `# yaml-language-server: $schema=../../scripts/content/schemas/rule-tests.schema.json
cases:
  - name: credential added
    now: '2024-05-01T00:30:00Z'
    tables:
      AuditLogs:
        - TimeGenerated: 2024-05-01T00:00:00Z
          OperationName: Add service principal credentials
    expect:
      alert: true
  - name: other operation
    now: '2024-05-01T00:30:00Z'
    tables:
      AuditLogs:
        - TimeGenerated: 2024-05-01T00:00:00Z
          OperationName: Update user
    expect:
      alert: false
`;

async function findings(files: Record<string, string>, docsFirst = true) {
  const repo = goodRepo({ 'analytics-rules/entra/good-rule.tests.yaml': TESTS });
  try {
    if (docsFirst) await writeDocs(repo);
    for (const [rel, text] of Object.entries(files)) repo.write(rel, text);
    const res = await validate(repo.root, { cacheDir: false, workers: 0, extraChecks: [staleDocs] });
    return res.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`);
  } finally {
    repo.cleanup();
  }
}

describe('a rule that fails to load is one error', () => {
  it('the fixture repo is clean with its docs written', async () => {
    expect(await findings({})).toEqual([]);
  });

  it('a schema failure: no orphaned tests file, no stale or orphaned docs', async () => {
    expect(await findings({ [RULE]: GOOD_RULE.replace('severity: Medium', 'severity: Hgh') })).toEqual([`${RULE}:5:11 schema/enum`]);
  });

  it('target selectors naming the failed rule are not "matching no rule"', async () => {
    const target = '# yaml-language-server: $schema=../scripts/content/schemas/target.schema.json\ntenantId: 00000000-0000-0000-0000-0000000000a1\nsubscriptionId: 00000000-0000-0000-0000-0000000000b1\nresourceGroup: rg\nworkspaceName: law-soc\nlocation: westeurope\nwave: 0\ndisableRules:\n  - good-rule\noverrides:\n  - rules: entra/good-rule\n    severity: High\n';
    const repo = goodRepo({ 'targets/t.yaml': target, [RULE]: GOOD_RULE.replace('severity: Medium', 'severity: Hgh') });
    try {
      const res = await validate(repo.root, { cacheDir: false, workers: 0 });
      expect(res.diagnostics.filter((d) => d.file === 'targets/t.yaml')).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('a YAML failure: the same', async () => {
    const errors = await findings({ [RULE]: GOOD_RULE.replace('tactics:\n', 'tactics: [\n') });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((e) => !e.startsWith(`${RULE}:`))).toEqual([]);
  });

  it('a tests file that fails to load: no false "lacks a true-positive case"', async () => {
    const repo = goodRepo({ 'analytics-rules/entra/good-rule.tests.yaml': TESTS.replace('cases:', 'casez:') });
    try {
      const res = await validate(repo.root, { cacheDir: false, workers: 0 });
      expect(res.diagnostics.map((d) => d.code)).not.toContain('check/tests');
      expect(res.diagnostics.filter((d) => d.file.endsWith('.tests.yaml')).length).toBeGreaterThan(0);
    } finally {
      repo.cleanup();
    }
  });

  it('a function that fails its schema: its tests file is not "orphaned"', async () => {
    const fnTests = TESTS.replace('../../scripts', '../scripts');
    const repo = goodRepo({ 'functions/SpCredentialChanges.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: [x]'), 'functions/SpCredentialChanges.tests.yaml': fnTests });
    try {
      const res = await validate(repo.root, { cacheDir: false, workers: 0 });
      expect(res.diagnostics.map((d) => d.code)).not.toContain('check/orphan-tests');
    } finally {
      repo.cleanup();
    }
  });
});

describe('valid YAML is not an error, and deep nesting is a plain message', () => {
  it('a tab inside a block scalar is content', () => {
    const r = parseYamlFile('a.yaml', 'query: |\n  AuditLogs\n  \t| take 1\nx: 1\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({ query: 'AuditLogs\n\t| take 1\n', x: 1 });
  });

  it('a tab in indentation outside a block scalar still is', () => {
    expect(parseYamlFile('a.yaml', 'a:\n\tb: 1\n').diagnostics.map((d) => d.code)).toEqual(['yaml/tab']);
  });

  it('deeply nested flow collections', () => {
    const r = parseYamlFile('a.yaml', `a: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
    expect(r.diagnostics.map(({ line, col, code }) => ({ line, col, code }))).toEqual([{ line: 1, col: 68, code: 'yaml/too-deep' }]);
    expect(r.diagnostics[0]!.message).not.toMatch(/call stack/);
  });

  it('deeply nested block mappings', () => {
    let text = '';
    for (let i = 0; i < 1000; i++) text += `${' '.repeat(i)}k:\n`;
    const r = parseYamlFile('a.yaml', `${text}${' '.repeat(1000)}x\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml/too-deep']);
    expect(r.diagnostics[0]!.message).not.toMatch(/call stack/);
  });
});

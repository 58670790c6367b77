import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../scripts/model/types.ts';
import {
  annotation,
  annotations,
  appendStepSummary,
  escapeData,
  escapeProperty,
  isGitHubActions,
  workflowCommand,
  withActionsEnv,
  writeOutputs,
} from '../../scripts/render/github.ts';

const diag = (over: Partial<Diagnostic> = {}): Diagnostic => ({
  file: 'analytics-rules/entra/sp-credential-added.yaml',
  line: 12,
  col: 7,
  severity: 'error',
  code: 'kql/KS142',
  message: "The name 'TargetResourcez' does not refer to any known column",
  ...over,
});

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in messages and leaves : and , alone', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
  });

  it('escapes %, CR, LF, : and , in properties', () => {
    expect(escapeProperty('C:\\x,y%\n')).toBe('C%3A\\x%2Cy%25%0A');
  });

  it('escapes % first so existing escapes are not decoded by the runner', () => {
    expect(escapeData('%0A')).toBe('%250A');
    expect(escapeProperty('%2C')).toBe('%252C');
  });

  it('drops empty and undefined properties', () => {
    expect(workflowCommand('warning', [['file', 'a'], ['line', undefined], ['title', '']], 'm')).toBe('::warning file=a::m');
    expect(workflowCommand('notice', [], 'hello')).toBe('::notice::hello');
  });
});

describe('annotation', () => {
  it('renders an error with file, line, col and the code as title', () => {
    expect(annotation(diag())).toBe(
      "::error file=analytics-rules/entra/sp-credential-added.yaml,line=12,col=7,title=kql/KS142::The name 'TargetResourcez' does not refer to any known column",
    );
  });

  it('maps warning → warning and info → notice, with end positions', () => {
    expect(annotation(diag({ severity: 'warning', endLine: 12, endCol: 22 }))).toMatch(
      /^::warning file=[^:]+,line=12,col=7,endLine=12,endColumn=22,title=kql\/KS142::/,
    );
    expect(annotation(diag({ severity: 'info' }))).toMatch(/^::notice /);
  });

  it('escapes hostile file names and multi-line messages so one finding stays one line', () => {
    const line = annotation(diag({ file: 'rules/a,b:c.yaml', message: 'first\nsecond, 50%', code: 'check/x:y' }));
    expect(line).toBe('::error file=rules/a%2Cb%3Ac.yaml,line=12,col=7,title=check/x%3Ay::first%0Asecond, 50%25');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('renders one newline-terminated line per diagnostic', () => {
    expect(annotations([])).toBe('');
    const text = annotations([diag(), diag({ severity: 'warning', line: 20 })]);
    expect(text.split('\n')).toEqual([expect.stringMatching(/^::error /), expect.stringMatching(/^::warning .*line=20/), '']);
  });
});

describe('step summary and outputs (GITHUB_ACTIONS=true)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-files-'));
    env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output'),
    };
    writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
    writeFileSync(env.GITHUB_OUTPUT!, '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('detects Actions only from GITHUB_ACTIONS=true', () => {
    expect(isGitHubActions(env)).toBe(true);
    expect(isGitHubActions({})).toBe(false);
    expect(isGitHubActions({ GITHUB_ACTIONS: 'false' })).toBe(false);
  });

  it('appends Markdown to the summary file, newline-terminated, without clobbering earlier steps', () => {
    expect(appendStepSummary(env, '## one')).toBe(true);
    expect(appendStepSummary(env, '## two\n')).toBe(true);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe('## one\n## two\n');
  });

  it('writes nothing and says so outside Actions', async () => {
    expect(appendStepSummary({}, '# x')).toBe(false);
    expect(await writeOutputs({}, { a: 1 })).toBe(false);
  });

  it('writes outputs through @actions/core as heredoc records with a fresh random delimiter each', async () => {
    await writeOutputs(env, { errors: 2, clean: false });
    await writeOutputs(env, { report: 'line 1\nline 2' });
    const text = readFileSync(env.GITHUB_OUTPUT!, 'utf8');
    const record = (name: string, value: string) => `${name}<<(ghadelimiter_[0-9a-f-]{36})\\n${value}\\n\\${name === 'errors' ? 1 : name === 'clean' ? 2 : 3}\\n`;
    expect(text).toMatch(new RegExp(`^${record('errors', '2')}${record('clean', 'false')}${record('report', 'line 1\\nline 2')}$`));
    const delimiters = [...text.matchAll(/<<(\S+)/g)].map((m) => m[1]);
    expect(new Set(delimiters).size).toBe(3);
  });

  it('refuses bad output names before writing anything', async () => {
    await expect(writeOutputs(env, { ok: 1, 'bad name': 'x' })).rejects.toThrow(/invalid step output name "bad name"/);
    expect(readFileSync(env.GITHUB_OUTPUT!, 'utf8')).toBe('');
  });

  it('lends the context env to process.env only for the call, restoring what was there', () => {
    const before = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = '/outer';
    try {
      expect(withActionsEnv(env, ['GITHUB_OUTPUT'], () => process.env.GITHUB_OUTPUT)).toBe(env.GITHUB_OUTPUT);
      expect(withActionsEnv({}, ['GITHUB_OUTPUT'], () => 'GITHUB_OUTPUT' in process.env)).toBe(false);
      expect(process.env.GITHUB_OUTPUT).toBe('/outer');
    } finally {
      if (before === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = before;
    }
  });
});

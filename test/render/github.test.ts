import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../scripts/model/types.ts';
import {
  annotations,
  appendStepSummary,
  captureStdout,
  diagnosticAnnotation,
  isGitHubActions,
  renderAnnotations,
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

const one = async (d: Diagnostic): Promise<string> => (await annotations([d])).replace(/\n$/, '');

describe('annotations through @actions/core', () => {
  it('renders an error with file, line, col and the code as title', async () => {
    expect(await one(diag())).toBe(
      "::error title=kql/KS142,file=analytics-rules/entra/sp-credential-added.yaml,line=12,col=7::The name 'TargetResourcez' does not refer to any known column",
    );
  });

  it('maps warning → warning and info → notice, with end positions', async () => {
    expect(await one(diag({ severity: 'warning', endLine: 12, endCol: 22 }))).toMatch(
      /^::warning title=kql\/KS142,file=[^:]+,line=12,endLine=12,col=7,endColumn=22::/,
    );
    expect(await one(diag({ severity: 'info' }))).toMatch(/^::notice /);
  });

  it('escapes hostile file names and multi-line messages so one finding stays one line', async () => {
    const line = await one(diag({ file: 'rules/a,b:c.yaml', message: 'first\r\nsecond, 50%', code: 'check/x:y' }));
    expect(line).toBe('::error title=check/x%3Ay,file=rules/a%2Cb%3Ac.yaml,line=12,col=7::first%0D%0Asecond, 50%25');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('escapes % first so existing escapes are not decoded by the runner', async () => {
    expect(await one(diag({ message: '%0A', file: '%2C' }))).toBe('::error title=kql/KS142,file=%252C,line=12,col=7::%250A');
  });

  it('renders one newline-terminated line per diagnostic, nothing for none', async () => {
    expect(await annotations([])).toBe('');
    const text = await annotations([diag(), diag({ severity: 'warning', line: 20 })]);
    expect(text.split('\n')).toEqual([expect.stringMatching(/^::error /), expect.stringMatching(/^::warning .*line=20/), '']);
  });

  it('diagnosticAnnotation carries positions as @actions/core AnnotationProperties', () => {
    expect(diagnosticAnnotation(diag({ endLine: 13 }))).toEqual({
      command: 'error',
      message: diag().message,
      properties: { title: 'kql/KS142', file: diag().file, startLine: 12, startColumn: 7, endLine: 13 },
    });
  });

  it('captures only while the call runs and leaves process.stdout as it was', async () => {
    const before = process.stdout.write;
    const seen: string[] = [];
    expect(captureStdout((t) => seen.push(t), () => process.stdout.write('x') && 7)).toBe(7);
    expect(seen).toEqual(['x']);
    expect(process.stdout.write).toBe(before);
    expect(() => captureStdout(() => {}, () => { throw new Error('boom'); })).toThrow('boom');
    expect(process.stdout.write).toBe(before);
    expect(Object.prototype.hasOwnProperty.call(process.stdout, 'write')).toBe(false);
    await renderAnnotations([{ command: 'notice', message: 'm', properties: {} }]);
    expect(process.stdout.write).toBe(before);
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

  it('appends Markdown to the summary file through core.summary, newline-terminated, without clobbering earlier steps', async () => {
    writeFileSync(env.GITHUB_STEP_SUMMARY!, '## earlier step\n');
    expect(await appendStepSummary(env, '## one')).toBe(true);
    expect(await appendStepSummary(env, '## two\n')).toBe(true);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe('## earlier step\n## one\n## two\n');
    expect(process.env.GITHUB_STEP_SUMMARY).toBe(undefined);
  });

  it('writes each summary to the path of its own env (core.summary caches the first path it sees)', async () => {
    const other = join(dir, 'other.md');
    writeFileSync(other, '');
    expect(await appendStepSummary(env, 'first')).toBe(true);
    expect(await appendStepSummary({ ...env, GITHUB_STEP_SUMMARY: other }, 'second')).toBe(true);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe('first\n');
    expect(readFileSync(other, 'utf8')).toBe('second\n');
  });

  it('an unwritable summary file is a warning, not a failed run', async () => {
    const warnings: string[] = [];
    expect(await appendStepSummary({ ...env, GITHUB_STEP_SUMMARY: join(dir, 'missing', 'summary.md') }, 'x', (m) => warnings.push(m))).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/^warning: job summary not written: Unable to access summary file/)]);
  });

  it('writes nothing and says so outside Actions', async () => {
    expect(await appendStepSummary({}, '# x')).toBe(false);
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

/**
 * A simulated pull request, end to end through the real CLI: a tiny content repo in a temp git
 * repository, a feature branch with one commit that breaks a rule's KQL and one that fixes it.
 * After each commit the PR workflow's commands run as on GitHub (GITHUB_ACTIONS=true, a temp
 * GITHUB_STEP_SUMMARY): `validate --base main --format sarif --output …` (a real CLI process), then `summary`.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { recordingContext } from './context.ts';
import { expectValidSarif } from '../render/sarif-schema.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/sentinel.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/content-repo', import.meta.url));
const RULE = 'analytics-rules/entra/sp-secret-added.yaml';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  sarif: { runs: { results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[] }[] };
  summary: string;
}

describe('simulated PR: a commit breaking KQL, then a commit fixing it', { timeout: 180_000 }, () => {
  let repo: string;
  let out: string;

  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=PR Author', '-c', 'user.email=author@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });

  async function sentinel(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, '--root', repo, ...args], { cwd: repo, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw error;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  /** What the PR workflow's check + report jobs do for the current head. */
  async function review(step: string): Promise<Outcome> {
    const summaryFile = join(out, `${step}-summary.md`);
    const sarifFile = join(out, `${step}.sarif`);
    writeFileSync(summaryFile, '');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'contoso/sentinel-content',
      GITHUB_SHA: (await git('rev-parse', 'HEAD')).stdout.trim(),
    };
    // One file: in-process KQL analysis (--workers 0) beats starting worker threads.
    const validate = await sentinel(['validate', '--base', 'main', '--workers', '0', '--format', 'sarif', '--output', sarifFile], env);
    // The summary verb runs in-process through the CLI's dispatcher (same wiring, no second tsx start-up).
    const ctx = recordingContext(repo, env);
    const code = await main(['--root', repo, 'summary', '--findings', sarifFile, '--plan-skipped', 'no Azure identity in this test'], () => ctx);
    expect({ code, stderr: ctx.stderr.join('') }, 'summary verb').toEqual({ code: 0, stderr: '' });
    return {
      ...validate,
      sarif: JSON.parse(readFileSync(sarifFile, 'utf8')) as Outcome['sarif'],
      summary: readFileSync(summaryFile, 'utf8'),
    };
  }

  /** What the author runs before committing: regenerate the derived docs (validate checks they are current). */
  async function regenerateDocs() {
    const ctx = recordingContext(repo, {});
    expect(await main(['--root', repo, 'docs'], () => ctx), ctx.stderr.join('')).toBe(0);
  }

  function edit(from: string | RegExp, to: string) {
    const path = join(repo, RULE);
    const before = readFileSync(path, 'utf8');
    const after = before.replace(from, to);
    expect(after, `edit ${String(from)}`).not.toBe(before);
    writeFileSync(path, after);
  }

  const position = (needle: string) => {
    const lines = readFileSync(join(repo, RULE), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    return { line: line + 1, col: lines[line]!.indexOf(needle) + 1 };
  };

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'sim-pr-repo-'));
    out = mkdtempSync(join(tmpdir(), 'sim-pr-out-'));
    cpSync(fixture, repo, { recursive: true });
    await regenerateDocs();
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base: one rule');
    await git('checkout', '-q', '-b', 'feature/tune-rule');
  });
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('commit 1 (typo in a column name) is annotated on its line, in SARIF and in the summary', async () => {
    edit('| where Result == "success"', '| where Resultt == "success"');
    edit(/^version: 1\.0\.0$/m, 'version: 1.0.1');
    await regenerateDocs();
    await git('add', '-A');
    await git('commit', '-q', '-m', 'tune: only successful credential additions');
    const { line, col } = position('Resultt');

    const broken = await review('broken');
    expect(broken.code).toBe(1);
    const errors = broken.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toEqual([
      `::error title=kql/KS142,file=${RULE},line=${line},endLine=${line},col=${col},endColumn=${col + 'Resultt'.length}::The name 'Resultt' does not refer to any known column, table, variable or function (did you mean 'Result'?)`,
    ]);

    expectValidSarif(broken.sarif);
    const sarifErrors = broken.sarif.runs[0]!.results.filter((r) => r.level === 'error');
    expect(sarifErrors).toHaveLength(1);
    expect(sarifErrors[0]).toMatchObject({
      ruleId: 'kql/KS142',
      message: { text: expect.stringContaining("'Resultt'") },
      locations: [{ physicalLocation: { artifactLocation: { uri: RULE }, region: { startLine: line, startColumn: col, endLine: line, endColumn: col + 7 } } }],
    });

    expect(broken.summary).toMatch(/^## Sentinel content review\n\n❌ 1 error, \d+ warnings? in 1 file · ⏭️ rule tests not run · ⏭️ plan skipped\n/);
    expect(broken.summary).toContain(
      `| ❌ | [${RULE}:${line}:${col}](https://github.com/contoso/sentinel-content/blob/`,
    );
    expect(broken.summary).toContain(`#L${line}) | \`kql/KS142\` | The name 'Resultt' does not refer to any known column`);
    expect(broken.summary).toContain('### Plan per target\n\nno Azure identity in this test\n');
  });

  it('commit 2 (the fix) clears the error everywhere', async () => {
    edit('| where Resultt == "success"', '| where Result == "success"');
    await regenerateDocs();
    await git('add', '-A');
    await git('commit', '-q', '-m', 'fix: column name');

    const fixed = await review('fixed');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).not.toMatch(/^::error /m);
    expectValidSarif(fixed.sarif);
    expect(fixed.sarif.runs[0]!.results.filter((r) => r.level === 'error')).toEqual([]);
    expect(fixed.summary).not.toContain('kql/KS142');
    expect(fixed.summary).toMatch(/^## Sentinel content review\n\n(✅ validation clean|⚠️ 0 errors, \d+ warnings? in 1 file) · /);
  });
});

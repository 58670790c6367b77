/**
 * The sentinel-docs merge driver in a real git repository: two branches that each add a rule (and
 * regenerate the docs, as the PR check demands) conflict on the generated files with git's default
 * merge, and merge cleanly with the driver configured as docs/github-actions.md says; `sentinel docs`
 * then regenerates from the merged content. Hand-written README text still conflicts as text.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { README_BEGIN, README_END } from '../../scripts/cli/docs.ts';
import { mergeGenerated, type Merge3 } from '../../scripts/cli/merge-docs.ts';
import { BIN, runCli } from '../helpers/cli.ts';
import { GOOD_RULE, tempRepo, type TempRepo } from '../helpers/repo.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GITATTRIBUTES = readFileSync(join(ROOT, '.gitattributes'), 'utf8');

const rule = (id: string, name: string) => GOOD_RULE.replace(/^id: .*$/m, `id: ${id}`).replace(/^name: .*$/m, `name: ${name}`);

let repo: TempRepo;
const git = (...args: string[]) =>
  run('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo.root });
const gitStatus = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await git(...args);
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};
const docs = async (...args: string[]) => runCli(['--root', repo.root, 'docs', ...args]);
const configureDriver = async () => {
  // As documented, with the absolute path of this checkout's CLI (the temp repo has no bin/).
  await git('config', 'merge.sentinel-docs.name', 'sentinel docs generated files');
  await git('config', 'merge.sentinel-docs.driver', `"${process.execPath}" "${BIN}" merge-docs %O %A %B %P`);
};

beforeEach(async () => {
  repo = tempRepo({
    '.gitattributes': GITATTRIBUTES,
    'README.md': `# Pack\n\nIntro written by hand.\n\n${README_BEGIN}\n${README_END}\n\nFooter written by hand.\n`,
    'analytics-rules/entra/good-rule.yaml': GOOD_RULE,
  });
  expect((await docs()).code).toBe(0);
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'one rule, docs generated');
  // Two parallel PRs, each adding a rule and regenerating the docs.
  await git('checkout', '-q', '-b', 'pr-a');
  repo.write('analytics-rules/entra/added-a.yaml', rule('0a1b2c3d-0000-4000-8000-00000000000a', 'Credential added (variant A)'));
  expect((await docs()).code).toBe(0);
  await git('add', '-A');
  await git('commit', '-q', '-m', 'rule A');
  await git('checkout', '-q', 'main');
  await git('checkout', '-q', '-b', 'pr-b');
  repo.write('analytics-rules/entra/added-b.yaml', rule('0a1b2c3d-0000-4000-8000-00000000000b', 'Credential added (variant B)'));
  expect((await docs()).code).toBe(0);
  await git('add', '-A');
  await git('commit', '-q', '-m', 'rule B');
  await git('checkout', '-q', 'main');
  await git('merge', '-q', '--no-edit', 'pr-a');
  await git('checkout', '-q', 'pr-b');
});
afterEach(() => repo.cleanup());

describe('generated files in parallel PRs', () => {
  it('conflict with git’s default merge (what the driver is for)', async () => {
    const merged = await gitStatus('merge', '--no-edit', 'main');
    expect(merged.code).not.toBe(0);
    const { stdout } = await git('diff', '--name-only', '--diff-filter=U');
    expect(stdout.split('\n').filter(Boolean)).toEqual(expect.arrayContaining(['docs/rules/README.md', 'docs/attack-navigator-layer.json']));
  });

  it('merge without conflict through the sentinel-docs driver, and `sentinel docs` regenerates from the merged rules', async () => {
    await configureDriver();
    const merged = await gitStatus('merge', '--no-edit', 'main');
    expect(merged.out).not.toMatch(/CONFLICT/);
    expect(merged.code).toBe(0);
    expect(merged.out).toMatch(/sentinel merge-docs: docs\/\S+: generated text differs on both sides; kept ours/);
    // The rules merged as text; the generated files may be stale until `sentinel docs`.
    expect((await git('ls-files', 'analytics-rules')).stdout.split('\n').filter(Boolean).sort()).toEqual([
      'analytics-rules/entra/added-a.yaml', 'analytics-rules/entra/added-b.yaml', 'analytics-rules/entra/good-rule.yaml',
    ]);
    expect((await docs('--check')).code).toBe(1);
    expect((await docs()).code).toBe(0);
    expect((await docs('--check')).stdout).toContain('generated files are up to date');
    const index = readFileSync(join(repo.root, 'docs/rules/README.md'), 'utf8');
    expect(index).toContain('Credential added (variant A)');
    expect(index).toContain('Credential added (variant B)');
    const readme = readFileSync(join(repo.root, 'README.md'), 'utf8');
    expect(readme).toContain('variant A');
    expect(readme).toContain('variant B');
    expect(readme).not.toMatch(/^(<<<<<<<|>>>>>>>)/m);
    expect(JSON.parse(readFileSync(join(repo.root, 'docs/attack-navigator-layer.json'), 'utf8')).description).toMatch(/3 Microsoft Sentinel analytic rules/);
  });

  it('still stops on hand-written README text both sides changed, and only there', async () => {
    await configureDriver();
    repo.write('README.md', readFileSync(join(repo.root, 'README.md'), 'utf8').replace('Intro written by hand.', 'Intro, B’s wording.'));
    await git('commit', '-q', '-am', 'B edits the intro');
    await git('checkout', '-q', 'main');
    repo.write('README.md', readFileSync(join(repo.root, 'README.md'), 'utf8').replace('Intro written by hand.', 'Intro, A’s wording.'));
    await git('commit', '-q', '-am', 'A edits the intro');
    await git('checkout', '-q', 'pr-b');
    const merged = await gitStatus('merge', '--no-edit', 'main');
    expect(merged.code).not.toBe(0);
    expect((await git('diff', '--name-only', '--diff-filter=U')).stdout.trim()).toBe('README.md');
    const readme = readFileSync(join(repo.root, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(README_BEGIN), readme.indexOf(README_END));
    expect(readme.slice(0, readme.indexOf(README_BEGIN))).toMatch(/<<<<<<< ours\nIntro, B’s wording\.\n=======\nIntro, A’s wording\.\n>>>>>>> theirs/);
    expect(block).not.toMatch(/<<<<<<<|>>>>>>>/);
  });
});

describe('mergeGenerated (merge function injected)', () => {
  const conflicting: Merge3 = async (_b, o) => ({ text: `<<<<<<< ours\n${o}=======\n>>>>>>> theirs\n`, conflicts: 1 });
  const clean: Merge3 = async (_b, _o, t) => ({ text: t, conflicts: 0 });

  it('keeps a clean merge, but never a layer that is no longer JSON', async () => {
    expect(await mergeGenerated('docs/rules/README.md', 'b', 'o', 't', clean)).toEqual({ text: 't', conflicted: false, keptOurs: false });
    expect(await mergeGenerated('docs/attack-navigator-layer.json', '{}', '{"a":1}', '{"a":', clean)).toEqual({ text: '{"a":1}', conflicted: false, keptOurs: true });
  });

  it('keeps our generated text whole instead of conflict markers', async () => {
    expect(await mergeGenerated('docs/rules/README.md', 'b', 'o\n', 't\n', conflicting)).toEqual({ text: 'o\n', conflicted: false, keptOurs: true });
  });
});

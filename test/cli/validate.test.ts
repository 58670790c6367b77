import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_RULE, goodRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';

const RULE = 'analytics-rules/entra/good-rule.yaml';
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function git(root: string, ...args: string[]) {
  execFileSync('git', args, { cwd: root, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

describe('sentinel validate', () => {
  it('exits 0 on clean content and prints a summary line', async () => {
    repo = goodRepo();
    await writeDocs(repo);
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 1 warning in 2 files\n$/);
  });

  it('exits 1 with file:line:col findings grouped by file', async () => {
    repo = goodRepo({ [RULE]: GOOD_RULE.replace('severity: Medium', 'severity: Hgh') });
    await writeDocs(repo);
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${RULE}\n  ${RULE}:5:11 error severity must be one of High, Medium, Low, Informational (got "Hgh"); did you mean "High"? [schema/enum]`);
    expect(r.stdout).toMatch(/1 error, 0 warnings in 2 files\n$/);
  });

  it('--strict fails on warnings', async () => {
    repo = goodRepo();
    await writeDocs(repo);
    expect((await runCli(['--root', repo.root, 'validate', '--no-cache', '--strict'])).code).toBe(1);
  });

  it('--format json gives diagnostics and a summary', async () => {
    repo = goodRepo({ [RULE]: GOOD_RULE.replace('  AuditLogs\n', '  AuditLog\n') });
    await writeDocs(repo);
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ error: 1, warning: 1, files: 2, rules: 1, queriesAnalysed: 1 });
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ file: RULE, line: 17, col: 3, severity: 'error', code: 'kql/KS204' }));
  });

  it('prints GitHub annotations on Actions', async () => {
    repo = goodRepo({ [RULE]: GOOD_RULE.replace('severity: Medium', 'severity: Hgh') });
    await writeDocs(repo);
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache'], { GITHUB_ACTIONS: 'true' });
    expect(r.stdout).toContain(`::error title=schema/enum,file=${RULE},line=5,col=11::severity must be one of High, Medium, Low, Informational (got "Hgh"); did you mean "High"?`);
    repo.write(RULE, GOOD_RULE);
    const clean = await runCli(['--root', repo.root, 'validate', '--no-cache'], { GITHUB_ACTIONS: 'true' });
    expect(clean.stdout).toContain(`::warning title=check/tests,file=${RULE},line=2,col=5::`);
  });

  it('reports only on the given paths while cross-file checks see everything', async () => {
    repo = goodRepo({
      'analytics-rules/aws/copy.yaml': GOOD_RULE.replace('name: Service principal credential added', 'name: Copy').replace('severity: Medium', 'severity: Hgh'),
    });
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache', '--format', 'json', `${repo.root}/${RULE}`]);
    const json = JSON.parse(r.stdout);
    const files = new Set(json.diagnostics.map((d: { file: string }) => d.file));
    expect([...files]).toEqual([RULE]);
    // The copy is invalid (so not in the model), but a valid duplicate id would be seen: check with a valid copy.
    repo.write('analytics-rules/aws/copy.yaml', GOOD_RULE.replace('name: Service principal credential added', 'name: Copy'));
    const r2 = JSON.parse((await runCli(['--root', repo.root, 'validate', '--no-cache', '--format', 'json', `${repo.root}/${RULE}`])).stdout);
    expect(r2.diagnostics.map((d: { code: string }) => d.code)).toContain('check/duplicate-id');
  });

  it('usage errors exit 2 with one line', async () => {
    const r = await runCli(['validate', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sentinel validate: option '--format <f>' argument 'xml' is invalid. Allowed choices are text, json, sarif.\nrun 'sentinel validate --help'\n");
    const u = await runCli(['validate', '--bogus']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe("sentinel validate: unknown option '--bogus'\nrun 'sentinel validate --help'\n");
    const v = await runCli(['frobnicate']);
    expect(v.code).toBe(2);
    expect(v.stderr).toBe("sentinel: unknown verb 'frobnicate'\nrun 'sentinel --help'\n");
  });

  describe('--base: version discipline against git', () => {
    async function committed(): Promise<TempRepo> {
      const r = goodRepo();
      await writeDocs(r);
      git(r.root, 'init', '-q', '-b', 'main');
      git(r.root, 'add', '-A');
      git(r.root, 'commit', '-qm', 'base');
      return r;
    }

    it('a changed query without a version bump is an error; a bump fixes it', async () => {
      repo = await committed();
      repo.write(RULE, GOOD_RULE.replace('ago(1h)', 'ago(30m)'));
      const r = await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${RULE}:32:10 error query changed since main but version is still 1.0.0; bump it (e.g. to 1.1.0) [check/version]`);
      repo.write(RULE, GOOD_RULE.replace('ago(1h)', 'ago(30m)').replace('version: 1.0.0', 'version: 1.1.0'));
      await writeDocs(repo);
      expect((await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main'])).code).toBe(0);
    });

    it('a changed id is an error', async () => {
      repo = await committed();
      repo.write(RULE, GOOD_RULE.replace('6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', '0a2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6'));
      const r = await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main']);
      expect(r.stdout).toContain(`${RULE}:2:5 error id changed from 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6 (at main) to 0a2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6; an id is permanent`);
    });

    it('a removed rule is reported, a moved one is not', async () => {
      repo = await committed();
      repo.remove(RULE);
      const r = await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main']);
      expect(r.stdout).toContain(`${RULE}:1:1 warning rule "Service principal credential added" (6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6) was removed since main; \`apply --prune\` will delete it from every target [check/rule-removed]`);
      repo.write('analytics-rules/other/moved.yaml', GOOD_RULE);
      const moved = await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main']);
      expect(moved.stdout).not.toContain('rule-removed');
    });

    it('only changed files have their KQL analysed', async () => {
      repo = await committed();
      repo.write('analytics-rules/aws/new.yaml', GOOD_RULE.replace('6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', '7c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6').replace('name: Service principal credential added', 'name: New'));
      const r = JSON.parse((await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main', '--format', 'json'])).stdout);
      expect(r.summary.queriesAnalysed).toBe(1);
      const full = JSON.parse((await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main', '--full', '--format', 'json'])).stdout);
      expect(full.summary.queriesAnalysed).toBe(2);
    });

    it('an unknown base ref is an environment error (exit 2)', async () => {
      repo = await committed();
      const r = await runCli(['--root', repo.root, 'validate', '--base', 'origin/nope']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('base ref "origin/nope" not found; fetch it first');
    });
  });

  it('the real executable runs end to end', async () => {
    repo = goodRepo({ [RULE]: GOOD_RULE.replace('severity: Medium', 'severity: Hgh') });
    await writeDocs(repo);
    const r = await spawnCli(['validate', '--no-cache'], { cwd: repo.root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${RULE}:5:11 error severity must be one of`);
    expect(r.stderr).toBe('');
  });
});

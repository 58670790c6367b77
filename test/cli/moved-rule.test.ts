/** Moving a rule to another area changes which target selectors match it: validate --base and plan --base say so (issue 13, item 7). */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_RULE, goodRepo, targetYaml, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { runCli } from '../helpers/cli.ts';
import { selectorShifts } from '../../scripts/model/select.ts';

const RULE = 'analytics-rules/entra/good-rule.yaml';
const MOVED = 'analytics-rules/aws/good-rule.yaml';
const target = (ws: string, tail: string) => targetYaml({ workspaceName: ws, tail });

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function git(root: string, ...args: string[]) {
  execFileSync('git', args, { cwd: root, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

async function movedRepo(): Promise<TempRepo> {
  const r = goodRepo({
    'targets/prod.yaml': target('law-prod', 'overrides:\n  - rules: entra/*\n    severity: High\n'),
    'targets/lab.yaml': target('law-lab', 'disableRules:\n  - aws/*\n'),
    'targets/calm.yaml': target('law-calm', 'overrides:\n  - rules: 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6\n    severity: Low\n'),
    'analytics-rules/aws/keep.yaml': GOOD_RULE.replace('6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', '7c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6').replace('name: Service principal credential added', 'name: Keep'),
  });
  await writeDocs(r);
  git(r.root, 'init', '-q', '-b', 'main');
  git(r.root, 'add', '-A');
  git(r.root, 'commit', '-qm', 'base');
  r.remove(RULE);
  r.write(MOVED, GOOD_RULE);
  return r;
}

describe('a rule moved between areas', () => {
  it('selectorShifts: area/slug globs shift, id selectors do not', () => {
    const rule = { rule: { id: '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6' } };
    const before = { ...rule, area: 'entra', slug: 'x' };
    const after = { ...rule, area: 'aws', slug: 'x' };
    expect(selectorShifts(before, after, { disableRules: ['aws/*', 'x'], overrides: [{ rules: 'entra/*' }, { rules: rule.rule.id }] })).toEqual([
      { field: 'disableRules', index: 0, selector: 'aws/*', change: 'starts' },
      { field: 'overrides', index: 0, selector: 'entra/*', change: 'stops' },
    ]);
  });

  it('validate --base warns once per affected target, at the rule id', async () => {
    repo = await movedRepo();
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache', '--base', 'main', '--format', 'json']);
    const moved = JSON.parse(r.stdout).diagnostics.filter((d: { code: string }) => d.code === 'check/rule-moved');
    expect(moved.map((d: { file: string; line: number; col: number; severity: string; message: string }) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.message}`)).toEqual([
      `${MOVED}:2:5 warning moved from entra/good-rule (at main) to aws/good-rule: in targets/lab.yaml, disableRules[0] "aws/*" now matches it: it is no longer deployed there (and apply --prune deletes it) — check that is meant, or select the rule by id`,
      `${MOVED}:2:5 warning moved from entra/good-rule (at main) to aws/good-rule: in targets/prod.yaml, overrides[0] "entra/*" no longer applies to it — check that is meant, or select the rule by id`,
    ]);
  });

  it('plan --base prints a line per affected target', async () => {
    repo = await movedRepo();
    const r = await runCli(['--root', repo.root, 'plan', '--emulator', '--repo-name', 'moved-test', '--base', 'main']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain('Rules moved since main:\n');
    expect(r.stdout).toContain('  lab: entra/good-rule → aws/good-rule: disableRules[0] "aws/*" now matches it: it is no longer deployed there (and apply --prune deletes it)\n');
    expect(r.stdout).toContain('  prod: entra/good-rule → aws/good-rule: overrides[0] "entra/*" no longer applies to it');
    expect(r.stdout).not.toMatch(/ calm: /);
  });

  it('plan --base --format json keeps stdout one JSON document', async () => {
    repo = await movedRepo();
    const r = await runCli(['--root', repo.root, 'plan', '--emulator', '--repo-name', 'moved-test', '--base', 'main', '--format', 'json']);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('  lab: entra/good-rule → aws/good-rule: disableRules[0] "aws/*" now matches it');
  });

  it('plan --base with an unknown ref exits 2', async () => {
    repo = await movedRepo();
    const r = await runCli(['--root', repo.root, 'plan', '--emulator', '--repo-name', 'moved-test', '--base', 'no-such-ref']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base/);
  });
});

/** validate refuses what deploy would refuse or do wrong (issue 13, item 5): the cases the bad-input corpus cannot hold. */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from '../../scripts/validate/validate.ts';
import { GOOD_RULE, WATCHLIST, goodRepo, type TempRepo } from '../helpers/repo.ts';
import { runCli } from '../helpers/cli.ts';

let repo: TempRepo | undefined;
let outside: string | undefined;
afterEach(() => {
  repo?.cleanup();
  if (outside) rmSync(outside, { recursive: true, force: true });
  repo = outside = undefined;
});

const codes = async (root: string) => (await validate(root, { cacheDir: false, workers: 0 })).diagnostics.map((d) => `${d.file} ${d.severity} ${d.code}`);

describe('allowlists that trust everything', () => {
  it('are accepted once acknowledged in the file that holds them', async () => {
    repo = goodRepo({ 'watchlists/NetworkAllowlist.yaml': WATCHLIST.replace('192.0.2.0/24', '0.0.0.0/0').replace('items:\n', 'acknowledgeTrustAll:\n  - 0.0.0.0/0\nitems:\n') });
    expect((await codes(repo.root)).filter((c) => c.includes('error watchlist/'))).toEqual([]);
  });

  it('an acknowledgement in the watchlist does not cover a target that adds the same entry', async () => {
    repo = goodRepo({ 'watchlists/NetworkAllowlist.yaml': WATCHLIST.replace('items:\n', 'acknowledgeTrustAll:\n  - 0.0.0.0/0\nitems:\n') });
    repo.write('targets/t.yaml', '# yaml-language-server: $schema=../scripts/content/schemas/target.schema.json\ntenantId: 00000000-0000-0000-0000-0000000000a1\nsubscriptionId: 00000000-0000-0000-0000-0000000000b1\nresourceGroup: rg\nworkspaceName: law-soc\nlocation: westeurope\nwave: 0\nwatchlistItems:\n  NetworkAllowlist:\n    - IPOrRange: 0.0.0.0-255.255.255.255\n');
    expect(await codes(repo.root)).toContain('targets/t.yaml error watchlist/trusts-everything');
  });
});

describe('files the loader does not read are findings, not silence', () => {
  it('a symlink to a file outside the repository is reported and never read', async () => {
    outside = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), GOOD_RULE.replace('severity: Medium', 'severity: Hgh'));
    repo = goodRepo();
    symlinkSync(join(outside, 'secret.yaml'), join(repo.root, 'analytics-rules/entra/linked.yaml'));
    const res = await validate(repo.root, { cacheDir: false, workers: 0 });
    const found = res.diagnostics.filter((d) => d.file === 'analytics-rules/entra/linked.yaml');
    expect(found.map((d) => [d.line, d.col, d.severity, d.code])).toEqual([[1, 1, 'error', 'content/ignored']]);
    expect(found[0]!.message).toMatch(/symbolic link/);
    expect(res.repo.rules.map((r) => r.slug)).toEqual(['good-rule']);
  });

  it('symlinked declared and pulled schemas are reported and never read', async () => {
    outside = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
    writeFileSync(join(outside, 'x.json'), '{ not json');
    repo = goodRepo({ 'schemas/tables/.keep': '', 'schemas/workspaces/.keep': '' });
    symlinkSync(join(outside, 'x.json'), join(repo.root, 'schemas/tables/Linked_CL.json'));
    symlinkSync(join(outside, 'x.json'), join(repo.root, 'schemas/workspaces/prod.json'));
    const found = await codes(repo.root);
    expect(found).toContain('schemas/tables/Linked_CL.json error content/ignored');
    expect(found).toContain('schemas/workspaces/prod.json error content/ignored');
    expect(found.filter((c) => c.startsWith('schemas/'))).toHaveLength(2);
  });

  it('a symlinked folder is not walked', async () => {
    outside = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
    writeFileSync(join(outside, 'x.yaml'), GOOD_RULE);
    repo = goodRepo();
    symlinkSync(outside, join(repo.root, 'analytics-rules/linked'));
    expect(await codes(repo.root)).toContain('analytics-rules/linked error content/ignored');
  });

  it('a content folder that is a symlink is not walked', async () => {
    outside = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
    writeFileSync(join(outside, 'x.yaml'), 'not: a target\n');
    repo = goodRepo();
    symlinkSync(outside, join(repo.root, 'targets'));
    const found = await codes(repo.root);
    expect(found).toContain('targets error content/ignored');
    expect(found.filter((c) => c.startsWith('targets/'))).toEqual([]);
  });
});

describe('sentinel validate <paths> and --root', () => {
  it('a path that matches no file exits 2', async () => {
    repo = goodRepo();
    const r = await runCli(['--root', repo.root, 'validate', '--no-cache', join(repo.root, 'analytics-rules/entra/nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml does not exist/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a folder validates the files in it; a file validate does not read exits 2', async () => {
    repo = goodRepo({ 'README.md': '# x\n', 'analytics-rules/entra/good-rule.yaml': GOOD_RULE.replace('severity: Medium', 'severity: Hgh') });
    const dir = await runCli(['--root', repo.root, 'validate', '--no-cache', '--format', 'json', join(repo.root, 'analytics-rules')]);
    expect(dir.code).toBe(1);
    expect(JSON.parse(dir.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain('schema/enum');
    const readme = await runCli(['--root', repo.root, 'validate', '--no-cache', join(repo.root, 'README.md')]);
    expect(readme.code).toBe(2);
    expect(readme.stderr).toMatch(/is not a file that validate reads/);
  });

  it('--root at a folder that is not a content repository exits 2', async () => {
    outside = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
    const r = await runCli(['--root', outside, 'validate', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a content repository/);
  });
});

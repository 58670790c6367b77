/** `sentinel init`: the repository identity, the first target, the workflow checklist; never overwrites silently. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRepoConfig, repoConfigText } from '../../scripts/content/repo-config.ts';
import { isGuid } from '../../scripts/model/guid.ts';
import { runCli } from '../helpers/cli.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const TEMPLATE = { id: 'f318ad45-cff2-49ef-acfa-d026810d5f84', name: 'template', legacyOwners: ['template'], template: true };

describe('sentinel init', () => {
  it('writes a fresh identity that validates, and lists the workflows to configure', async () => {
    repo = tempRepo({ 'targets/.keep': '', '.github/workflows/deploy.yml': 'on: push\n', '.github/workflows/pr.yml': 'on: pull_request\n' }, { identity: false });
    const run = await runCli(['init', '--root', repo.root, '--name', 'contoso-soc']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const cfg = await readRepoConfig(repo.root);
    if (cfg.status !== 'ok') throw new Error(`not ok: ${JSON.stringify(cfg)}`);
    expect(isGuid(cfg.identity.id)).toBe(true);
    expect(cfg.identity).toMatchObject({ name: 'contoso-soc', legacyOwners: [], template: false });
    expect(run.stdout).toContain(`wrote sentinel.config.yaml: repository contoso-soc (${cfg.identity.id})`);
    expect(run.stdout).toContain('.github/workflows/deploy.yml: variables AZURE_PLAN_CLIENT_ID and AZURE_CLIENT_ID');
    expect(run.stdout).toContain('.github/workflows/pr.yml:');
    // A second repository gets another id.
    const other = tempRepo({ 'targets/.keep': '' }, { identity: false });
    try {
      await runCli(['init', '--root', other.root]);
      const o = await readRepoConfig(other.root);
      expect(o.status === 'ok' && o.identity.id).not.toBe(cfg.identity.id);
    } finally {
      other.cleanup();
    }
  });

  it('refuses to overwrite an identity without --force; --force writes a new one', async () => {
    repo = tempRepo({ 'targets/.keep': '' }, { identity: false });
    await runCli(['init', '--root', repo.root, '--name', 'first']);
    const before = readFileSync(join(repo.root, 'sentinel.config.yaml'), 'utf8');
    const again = await runCli(['init', '--root', repo.root, '--name', 'second']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('sentinel.config.yaml already holds this repository\'s identity first (');
    expect(readFileSync(join(repo.root, 'sentinel.config.yaml'), 'utf8')).toBe(before);
    const forced = await runCli(['init', '--root', repo.root, '--name', 'second', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('(replaced first (');
    const cfg = await readRepoConfig(repo.root);
    expect(cfg.status === 'ok' && cfg.identity.name).toBe('second');
  });

  it("replaces the template's own identity without --force (a repository made from the template)", async () => {
    repo = tempRepo({ 'targets/.keep': '', 'sentinel.config.yaml': repoConfigText(TEMPLATE) });
    const run = await runCli(['init', '--root', repo.root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(replaced the template's identity)");
    const cfg = await readRepoConfig(repo.root);
    if (cfg.status !== 'ok') throw new Error('not ok');
    expect(cfg.identity.id).not.toBe(TEMPLATE.id);
    expect(cfg.identity).toMatchObject({ template: false, legacyOwners: [] });
  });

  it('writes the first target from the flags (scaffoldTarget), and it validates', async () => {
    repo = tempRepo({ 'targets/.keep': '' }, { identity: false });
    const run = await runCli(['init', '--root', repo.root, '--target', 'contoso', '--tenant', '7a1b2c3d-0000-4000-8000-000000000001',
      '--subscription', '7a1b2c3d-0000-4000-8000-000000000002', '--resource-group', 'rg-soc', '--workspace', 'law-contoso']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created targets/contoso.yaml\n');
    const text = readFileSync(join(repo.root, 'targets/contoso.yaml'), 'utf8');
    expect(text).toContain('workspaceName: law-contoso');
    const validate = await runCli(['validate', '--root', repo.root]);
    expect(validate.stdout + validate.stderr).not.toContain('targets/contoso.yaml');
    // An existing target file is never overwritten, and then nothing at all is written.
    const twice = await runCli(['init', '--root', repo.root, '--force', '--target', 'contoso']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('targets/contoso.yaml already exists: nothing written');
  });

  it('bad flags are usage errors and write nothing', async () => {
    repo = tempRepo({ 'targets/.keep': '' }, { identity: false });
    const run = await runCli(['init', '--root', repo.root, '--tenant', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tenant must be a GUID (got "nope")');
    expect(await readRepoConfig(repo.root)).toEqual({ status: 'missing' });
  });
});

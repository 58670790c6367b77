import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { goodRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { validate } from '../../scripts/validate/validate.ts';
import { staleDocs } from '../../scripts/cli/docs.ts';
import { QUIRKY_RULE as QUIRKY, QUIRKY_RULE_PATH as IMPORTED } from '../helpers/quirky-rule.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const WL_ITEM = '  - IPOrRange: 192.0.2.0/24\n';

function quirkyRepo(): TempRepo {
  const r = goodRepo({ [IMPORTED]: QUIRKY });
  r.write('watchlists/NetworkAllowlist.yaml', readFileSync(join(r.root, 'watchlists/NetworkAllowlist.yaml'), 'utf8').replace(WL_ITEM, '  - IPOrRange: 192.0.02.0/24\n'));
  return r;
}

describe('sentinel fix', () => {
  it('--dry-run prints a unified diff, changes nothing and exits 1', async () => {
    repo = quirkyRepo();
    const r = await runCli(['--root', repo.root, 'fix', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`--- a/${IMPORTED}\n+++ b/${IMPORTED}\n@@ -1,`);
    expect(r.stdout).toContain('+# yaml-language-server: $schema=../../scripts/content/schemas/rule.schema.json\n # Brought in from an older export\n');
    expect(r.stdout).toContain('-severity: medium\n+severity: Medium\n');
    expect(r.stdout).toContain('-    datatypes:\n+    dataTypes:\n');
    expect(r.stdout).toContain('-entityMappings:   # none yet\n-customDetails:\n-alertRuleTemplateName: 4f3e2d1c-0b9a-4876-a543-210fedcba987\n+# none yet\n');
    expect(r.stdout).toContain('--- a/watchlists/NetworkAllowlist.yaml\n');
    expect(r.stdout).toContain('-  - IPOrRange: 192.0.02.0/24\n+  - IPOrRange: 192.0.2.0/24\n');
    expect(r.stdout).toMatch(/sentinel fix: 11 change\(s\) in 2 file\(s\) would be made \(dry run: nothing written\)/);
    expect(r.stderr).toContain(`${IMPORTED}:5:11 would fix severity is "medium"; write "Medium" [compat/value-case]`);
    expect(readFileSync(join(repo.root, IMPORTED), 'utf8')).toBe(QUIRKY);
  });

  it('rewrites in place and exits 0; afterwards validate has no compat warning and fix has nothing to do', async () => {
    repo = quirkyRepo();
    const r = await runCli(['--root', repo.root, 'fix']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sentinel fix: 11 change\(s\) in 2 file\(s\) made/);
    const text = readFileSync(join(repo.root, IMPORTED), 'utf8');
    expect(text).toContain('# Brought in from an older export\n');
    expect(text).toContain('\n# none yet\nversion: 1.0.0\nkind: Scheduled\n');
    expect(text).toContain('relevantTechniques:\n  - T1098\n');
    await writeDocs(repo);
    const res = await validate(repo.root, { cacheDir: false, workers: 0, extraChecks: [staleDocs] });
    expect(res.diagnostics.filter((d) => d.code.startsWith('compat/') || d.code === 'content/schema-header')).toEqual([]);
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const again = await runCli(['--root', repo.root, 'fix', '--dry-run']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/sentinel fix: 0 change\(s\) in 0 file\(s\)/);
  });

  it('fixes only the given paths', async () => {
    repo = quirkyRepo();
    const r = await runCli(['--root', repo.root, 'fix', join(repo.root, 'watchlists')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo.root, IMPORTED), 'utf8')).toBe(QUIRKY);
    expect(readFileSync(join(repo.root, 'watchlists/NetworkAllowlist.yaml'), 'utf8')).toContain(WL_ITEM);
  });

  it('exits 1 listing what needs a hand', async () => {
    repo = goodRepo({ [IMPORTED]: QUIRKY.replace('tactics:\n', 'relevantTechniques:\n  - T1078\ntactics:\n') });
    const r = await runCli(['--root', repo.root, 'fix']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${IMPORTED}:18:1 needs a hand: "techniques" is the ARM name of "relevantTechniques"; merge its values into "relevantTechniques" and remove it [compat/legacy-field]`);
    expect(r.stdout).toMatch(/1 left to fix by hand/);
  });

  it('a path that matches no content file is a usage error (exit 2)', async () => {
    repo = goodRepo();
    const r = await runCli(['--root', repo.root, 'fix', join(repo.root, 'nothing-here')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('matches no content file');
  });

  it('runs as a real process from inside the repo', async () => {
    repo = quirkyRepo();
    const r = await spawnCli(['fix', '--dry-run', 'watchlists/NetworkAllowlist.yaml'], { cwd: repo.root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('+  - IPOrRange: 192.0.2.0/24\n');
    expect(r.stdout).not.toContain(IMPORTED);
  });
});

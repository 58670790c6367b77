/**
 * Saved plans end to end, through the real CLI verbs and SDK clients against one emulator that
 * outlives each command (as a workspace outlives a CI job): the reviewed plan is the applied one.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../scripts/cli/context.ts';
import { apply, plan } from '../../scripts/cli/deploy.ts';
import { loadRepo } from '../../scripts/content/load.ts';
import { emulatorConfigFor } from '../../scripts/cli/deploy.ts';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import type { SavedPlan } from '../../scripts/deploy/plan/saved.ts';
import { TEST_IDENTITY } from '../helpers/repo.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let root: string;
let emulator: EmulatorHandle;
let conn: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'saved-plan-'));
  for (const d of ['analytics-rules', 'watchlists', 'workbooks', 'targets', 'package.json']) await cp(join(repoRoot, d), join(root, d), { recursive: true });
  // The tests' own repository identity (this repo's is the template's, refused outside an emulator).
  await writeFile(join(root, 'sentinel.config.yaml'), TEST_IDENTITY);
  const repo = await loadRepo(root);
  emulator = await startEmulator(emulatorConfigFor(repo.targets.map((t) => t.target)));
  conn = ['--auth', 'emulator', '--endpoint', emulator.url, '--targets', 'contoso-canary'];
});
afterAll(async () => {
  await emulator.stop();
  await rm(root, { recursive: true, force: true });
});

function context(extra: Partial<CliContext> = {}): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, isTTY: false, stdout, stderr, ...extra };
}

const writes = () => emulator.stats().total.writes;

describe('saved plans', () => {
  const file = () => join(root, 'plan.json');

  it('plan --detailed-exitcode: 2 while changes are pending; --out saves targets, writes, etags and the selection', async () => {
    const ctx = context();
    expect(await plan([...conn, '--out', file(), '--detailed-exitcode'], ctx)).toBe(2);
    const saved = JSON.parse(await readFile(file(), 'utf8')) as SavedPlan;
    expect(saved).toMatchObject({ kind: 'sentinel-plan', formatVersion: 2, selection: { targets: ['contoso-canary'], wave: null, prune: false } });
    expect(saved.targets.map((t) => t.target)).toEqual(['contoso-canary']);
    expect(Object.keys(saved.desired)).toEqual(['contoso-canary']);
    expect(saved.targets[0]!.changes.filter((c) => c.op === 'create').length).toBeGreaterThan(0);
    expect(ctx.stderr.join('\n')).toContain('sentinel apply');
  });

  it('a flag that changes the selection cannot be combined with a plan file (exit 2)', async () => {
    const ctx = context();
    await expect(apply(['--auth', 'emulator', '--endpoint', emulator.url, '--prune', file()], ctx)).resolves.toBe(2);
    expect(ctx.stderr.join('\n')).toContain('--prune cannot be combined with a plan file');
  });

  it('apply <plan> applies exactly it; an applied plan is then stale (the workspace changed)', async () => {
    const before = writes();
    const ctx = context();
    expect(await apply(['--auth', 'emulator', '--endpoint', emulator.url, file()], ctx)).toBe(0);
    expect(writes()).toBeGreaterThan(before);
    expect(ctx.stdout.join('\n')).toMatch(/Apply complete/);
    const again = context();
    const w = writes();
    expect(await apply(['--auth', 'emulator', '--endpoint', emulator.url, file()], again)).toBe(1);
    expect(again.stderr.join('\n')).toMatch(/plan\.json is stale for 1 target\(s\): nothing deployed/);
    expect(writes()).toBe(w);
    const noChange = context();
    expect(await plan([...conn, '--detailed-exitcode'], noChange)).toBe(0);
  });

  it('a portal edit after the plan makes it stale: refused before any write, naming the item', async () => {
    const rulePath = join(root, 'analytics-rules', 'entra', 'app-password-created.yaml');
    const original = await readFile(rulePath, 'utf8');
    await writeFile(rulePath, original.replace(/^severity: \w+/m, 'severity: Low'));
    try {
      expect(await plan([...conn, '--out', file()], context())).toBe(0);
      const saved = JSON.parse(await readFile(file(), 'utf8')) as SavedPlan;
      const change = saved.targets[0]!.changes.find((c) => c.op === 'update')!;
      expect(change).toBeDefined();
      const [put] = change.phases.flat();
      const ws = saved.targets[0]!;
      const id = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspaceName}/providers/Microsoft.SecurityInsights/alertRules/${put!.name}`;
      emulator.portal.edit(id, (r) => {
        (r.properties as Record<string, unknown>).description = 'edited in the portal after the plan';
      });
      const w = writes();
      const ctx = context();
      expect(await apply(['--auth', 'emulator', '--endpoint', emulator.url, file()], ctx)).toBe(1);
      expect(ctx.stderr.join('\n')).toContain(`contoso-canary: ${change.key}: changed in the workspace since the plan`);
      expect(writes()).toBe(w);
    } finally {
      await writeFile(rulePath, original);
    }
  });

  it('a repo change after the plan makes it stale', async () => {
    expect(await plan([...conn, '--out', file()], context())).toBe(0);
    const rulePath = join(root, 'analytics-rules', 'entra', 'app-password-created.yaml');
    const original = await readFile(rulePath, 'utf8');
    await writeFile(rulePath, original.replace(/^severity: \w+/m, 'severity: Informational'));
    try {
      const ctx = context();
      expect(await apply(['--auth', 'emulator', '--endpoint', emulator.url, file()], ctx)).toBe(1);
      expect(ctx.stderr.join('\n')).toContain('contoso-canary: the repo content for this target changed since the plan');
    } finally {
      await writeFile(rulePath, original);
    }
  });

  it('a plan made at another commit is refused', async () => {
    const saved = JSON.parse(await readFile(file(), 'utf8')) as SavedPlan;
    // The temp copy is no git work tree, so the commit check only applies when both sides have one;
    // here we check the message against a plan that names a commit and a repo that is at another.
    const { repoStaleness } = await import('../../scripts/deploy/plan/saved.ts');
    expect(repoStaleness({ ...saved, repo: { ...saved.repo, commit: 'a'.repeat(40) } }, 'b'.repeat(40))).toMatch(/made at commit aaaaaaaaaaaa, the repo is at bbbbbbbbbbbb/);
    expect(repoStaleness({ ...saved, repo: { ...saved.repo, commit: 'a'.repeat(40) } }, 'a'.repeat(40))).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['not a plan', '{"targets": []}', /not a saved plan/],
    ['another format version', '{"kind": "sentinel-plan", "formatVersion": 9}', /plan format 9, this sentinel reads 2/],
  ])('a bad plan file (%s) is a usage error, nothing deployed', async (_, text, message) => {
    const bad = join(root, 'bad-plan.json');
    await writeFile(bad, text);
    const w = writes();
    const ctx = context();
    expect(await apply(['--auth', 'emulator', '--endpoint', emulator.url, bad], ctx)).toBe(2);
    expect(ctx.stderr.join('\n')).toMatch(message);
    expect(writes()).toBe(w);
  });

  it('apply without a plan file asks on a terminal and applies what it showed; off a terminal it needs --yes', async () => {
    const rulePath = join(root, 'analytics-rules', 'entra', 'app-password-created.yaml');
    const original = await readFile(rulePath, 'utf8');
    await writeFile(rulePath, original.replace(/^severity: \w+/m, 'severity: Low'));
    try {
      const off = context();
      expect(await apply(conn, off)).toBe(2);
      expect(off.stderr.join('\n')).toContain('pass --yes');
      const questions: string[] = [];
      const no = context({ confirm: async (q) => (questions.push(q), false) });
      const w = writes();
      expect(await apply(conn, no)).toBe(1);
      expect(writes()).toBe(w);
      expect(questions).toEqual(['Apply these changes to 1 target(s)?']);
      expect(no.stdout.join('\n')).toMatch(/^Symbols: /m);
      const yes = context({ confirm: async () => true });
      expect(await apply(conn, yes)).toBe(0);
      expect(writes()).toBeGreaterThan(w);
      expect(await plan([...conn, '--detailed-exitcode'], context())).toBe(0);
    } finally {
      await writeFile(rulePath, original);
    }
    expect(await apply([...conn, '--yes'], context())).toBe(0);
  });
});

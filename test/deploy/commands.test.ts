/** The CLI verbs on a copy of this repository's content and example targets, with --emulator. */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../scripts/cli/context.ts';
import { apply, drift, plan } from '../../scripts/cli/deploy.ts';
import { TEST_IDENTITY } from '../helpers/repo.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'deploy-cli-'));
  for (const d of ['analytics-rules', 'watchlists', 'workbooks', 'targets', 'package.json']) {
    await cp(join(repoRoot, d), join(root, d), { recursive: true });
  }
  // The tests' own repository identity (this repo's is the template's, refused outside an emulator).
  await writeFile(join(root, 'sentinel.config.yaml'), TEST_IDENTITY);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function context(env: NodeJS.ProcessEnv = {}): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { root, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, isTTY: false, stdout, stderr };
}

describe('deploy verbs', () => {
  it('plan --emulator --format json plans every example target, both tenants', async () => {
    const ctx = context();
    expect(await plan(['--emulator', '--format', 'json'], ctx)).toBe(0);
    const out = JSON.parse(ctx.stdout.join('\n')) as { summary: { create: number; writes: number }; targets: { target: string; tenantId: string; error?: string }[] };
    expect(out.targets.map((t) => t.target).sort()).toEqual(['contoso-canary', 'contoso-prod', 'fabrikam']);
    expect(new Set(out.targets.map((t) => t.tenantId)).size).toBe(2);
    expect(out.targets.filter((t) => t.error)).toEqual([]);
    expect(out.summary.create).toBeGreaterThan(0);
  });

  it('apply --emulator deploys, reports per target and completes its journal', async () => {
    const ctx = context();
    expect(await apply(['--emulator', '--yes', '--targets', 'contoso-*'], ctx)).toBe(0);
    const text = ctx.stdout.join('\n');
    expect(text).toContain('── wave 0 ──');
    expect(text).toMatch(/✓ contoso-canary .*\+\d+/);
    expect(text).toMatch(/Apply complete \(run \S+\)/);
    expect(text.split('\n').filter((l) => l.startsWith('Symbols: '))).toHaveLength(1);
    // Not a terminal: each target's result on stderr as it finishes, no live line.
    expect(ctx.stderr.filter((l) => /^✓ contoso-(canary|prod) \(wave \d/.test(l))).toHaveLength(2);
    expect(ctx.stderr.join('')).not.toContain('\x1b[');
    const journals = await readdir(join(root, '.sentinel', 'journal'));
    const j = JSON.parse(await readFile(join(root, '.sentinel', 'journal', journals.sort().at(-1)!), 'utf8')) as { status: string; targets: Record<string, { status: string }> };
    expect(j.status).toBe('completed');
    expect(Object.keys(j.targets).sort()).toEqual(['contoso-canary', 'contoso-prod']);
  });

  it('drift --emulator on a fresh workspace reports no drift', async () => {
    const ctx = context();
    expect(await drift(['--emulator', '--format', 'markdown'], ctx)).toBe(0);
    expect(ctx.stdout.join('\n')).toContain('No drift');
  });

  it('plan, apply and drift JSON share formatVersion and field names', async () => {
    const docs: Record<string, unknown>[] = [];
    for (const [verb, extra] of [[plan, []], [apply, ['--yes']], [drift, []]] as const) {
      const ctx = context();
      await verb(['--emulator', '--format', 'json', '--targets', 'contoso-canary', ...extra], ctx);
      docs.push(JSON.parse(ctx.stdout.join('\n')) as Record<string, unknown>);
    }
    for (const d of docs) {
      expect(d.formatVersion).toBe(1);
      const [t] = d.targets as Record<string, unknown>[];
      expect(t).toMatchObject({ target: 'contoso-canary', resourceGroup: expect.any(String), workspaceName: expect.any(String), tenantId: expect.any(String) });
    }
    expect(Object.keys(docs[0]!.summary as object)).toEqual(expect.arrayContaining(['unchanged', 'kept']));
    expect(Object.keys(docs[1]!.summary as object)).toEqual(expect.arrayContaining(['created', 'updated', 'deleted', 'unchanged', 'failed', 'writes']));
  });

  it('bad flags are usage errors; a missing OIDC setup is one line and exit 2', async () => {
    const ctx = context();
    const cases: [() => Promise<number>, string][] = [
      [() => plan(['--format', 'xml'], ctx), "sentinel plan: option '--format <f>' argument 'xml' is invalid. Allowed choices are text, json, markdown.\nrun 'sentinel plan --help'"],
      [() => plan(['--targets', 'nope-*'], ctx), 'sentinel plan: no target matches nope-*; targets: contoso-canary, contoso-prod, fabrikam'],
      [() => plan(['--auth', 'emulator'], ctx), "sentinel plan: --auth emulator needs --endpoint <emulator url> (or use --emulator to start one)\nrun 'sentinel plan --help'"],
      [() => apply(['--resume', '--yes'], ctx), 'sentinel apply: nothing to resume: no unfinished journal in .sentinel/journal/'],
      [() => plan(['--dry-run'], ctx), "sentinel plan: unknown option '--dry-run'\nrun 'sentinel plan --help'"],
      [
        () => plan(['--auth', 'oidc'], ctx),
        'sentinel plan: --auth oidc needs AZURE_CLIENT_ID, or a client id for tenant 00000000-0000-0000-0000-0000000000a1 in SENTINEL_CLIENT_IDS (the app registration / managed identity with a federated credential)',
      ],
    ];
    for (const [run, message] of cases) {
      ctx.stderr.length = 0;
      expect(await run()).toBe(2);
      expect(ctx.stderr).toEqual([message]);
    }
  });
});

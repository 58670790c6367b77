import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli, spawnCli } from '../helpers/cli.ts';
import { goodRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { CONTENT_DIRS } from '../../scripts/content/load.ts';
import { ROOT_MARKERS } from '../../scripts/cli/root.ts';
import { VERBS } from '../../scripts/cli/verbs.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Help text with its line wrapping undone. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

let repo: TempRepo | undefined;
let scratch: string | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('sentinel help and version', () => {
  it('--help lists every verb with its summary, on stdout, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const verb of Object.keys(VERBS)) expect(r.stdout).toMatch(new RegExp(`^ {2}${verb} {2,}\\S`, 'm'));
    expect(r.stdout).toContain('--root <dir>');
  });

  it('<verb> --help / -h lists only that verb\'s flags, with descriptions and defaults', async () => {
    const plan = await runCli(['plan', '--help']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^Usage: sentinel plan \[options\]/);
    expect(flat(plan.stdout)).toContain('--targets <glob> targets by file stem or path glob (repeatable) (default: all targets/*.yaml)');
    expect(flat(plan.stdout)).toContain('--concurrency <n> requests in flight per subscription (default: 10)');
    expect(plan.stdout).toContain('--prune');
    expect(plan.stdout).toContain('--root <dir>'); // the global option, under its own heading
    for (const other of ['--resume', '--dry-run', '--failure-threshold', '--strict', '--check', '--findings']) expect(plan.stdout).not.toContain(other);

    const apply = await runCli(['apply', '-h']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/--resume \[run-id\]/);
    expect(flat(apply.stdout)).toContain('--failure-threshold <f> stop after a wave whose failed-target fraction exceeds f (default: 0)');

    const validate = await runCli(['help', 'validate']);
    expect(validate.code).toBe(0);
    expect(flat(validate.stdout)).toContain('--format <f> output format (choices: "text", "json", "sarif", default: "text")');
    expect(validate.stdout).not.toContain('--targets');

    for (const verb of Object.keys(VERBS)) {
      const r = await runCli([verb, '--help']);
      expect(r.code, verb).toBe(0);
      expect(r.stdout, verb).toMatch(new RegExp(`^Usage: sentinel ${verb} `));
    }
  });

  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('no verb prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: sentinel <verb> \[options\]/);
  });
});

describe('usage errors: one style, once, on stderr, exit 2', () => {
  it('suggests the verb that was meant', async () => {
    const r = await runCli(['valdate']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "sentinel: unknown verb 'valdate' (did you mean validate?)\nrun 'sentinel --help'\n" });
  });

  it('suggests the flag that was meant', async () => {
    const r = await runCli(['plan', '--taget', 'x']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "sentinel plan: unknown option '--taget' (did you mean --targets?)\nrun 'sentinel plan --help'\n" });
  });

  it('an unknown flag exits 2 on every verb', async () => {
    for (const verb of Object.keys(VERBS)) {
      const r = await runCli([verb, '--no-such-flag']);
      expect(r, verb).toEqual({ code: 2, stdout: '', stderr: `sentinel ${verb}: unknown option '--no-such-flag'\nrun 'sentinel ${verb} --help'\n` });
    }
  });

  it('bad values, missing values and missing operands are usage errors too', async () => {
    const cases: [string[], string][] = [
      [['plan', '--wave', 'x'], "sentinel plan: option '--wave <n>' argument 'x' is invalid. Expected a whole number ≥ 0."],
      [['validate', '--base'], "sentinel validate: option '--base <ref>' argument missing"],
      [['query'], "sentinel query: missing required argument 'kql'"],
      [['bench', 'nope'], "sentinel bench: command-argument value 'nope' is invalid for argument 'stages'. Allowed choices are global-state, validate, evaluate, deploy."],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r, argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: `${message}\nrun 'sentinel ${argv[0]} --help'\n` });
    }
  });
});

describe('the repository root', () => {
  it('the markers are the content folders and .sentinel/', () => {
    expect([...ROOT_MARKERS].sort()).toEqual([...Object.values(CONTENT_DIRS), '.sentinel'].sort());
  });

  it('is found from a subfolder, and input paths stay relative to the cwd', async () => {
    repo = goodRepo({ 'fixtures/rows.yaml': 'AuditLogs:\n  - OperationName: a\n  - OperationName: b\n' });
    await writeDocs(repo);
    const cwd = join(repo.root, 'analytics-rules', 'entra');
    const docs = await spawnCli(['docs', '--check'], { cwd });
    expect(docs).toEqual({ code: 0, stdout: 'sentinel docs: generated files are up to date\n', stderr: '' });
    const query = await spawnCli(['query', 'AuditLogs | count', '--data', 'rows.yaml', '--format', 'json'], { cwd: join(repo.root, 'fixtures') });
    expect(query.stderr).toBe('');
    expect(JSON.parse(query.stdout).rows).toEqual([[2]]);
    expect(query.code).toBe(0);
  });

  it('outside any content repository, a verb that needs one exits 2', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sentinel-norepo-'));
    mkdirSync(join(scratch, 'sub'));
    const r = await spawnCli(['docs', '--check'], { cwd: join(scratch, 'sub') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sentinel docs: not a content repository \(no analytics-rules\/, .*\) here or in any parent folder of .*; cd into one or pass --root <dir>\n$/);
  });

  it('--root at a folder that is not a content repository exits 2', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sentinel-norepo-'));
    for (const verb of ['validate', 'emulator']) {
      const r = await runCli(['--root', scratch, verb]);
      expect(r.code, verb).toBe(2);
      expect(r.stderr).toBe(`sentinel ${verb}: --root ${scratch}: not a content repository (no analytics-rules/, watchlists/, workbooks/, targets/, .sentinel/ folder)\n`);
    }
  });
});

describe('Ctrl-C', () => {
  it('SIGINT stops a long-running verb and the process exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Press Ctrl-C')) resolve();
      });
      child.on('exit', () => reject(new Error(`emulator exited before listening: ${stderr}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toContain('Emulator stopped.');
  }, 120_000);
});

describe('a missing Azure sign-in', () => {
  it('is an environment error: exit 2 with one line naming the tenant, on plan, apply, drift and import', async () => {
    const repo = goodRepo({
      'targets/fabrikam.yaml': [
        '# yaml-language-server: $schema=../scripts/content/schemas/target.schema.json',
        'tenantId: 00000000-0000-0000-0000-0000000000b1', 'subscriptionId: 00000000-0000-0000-0000-0000000001b1',
        'resourceGroup: rg-security', 'workspaceName: law-fabrikam-soc', 'location: northeurope', 'wave: 0', '',
      ].join('\n'),
    });
    try {
      // Only node on PATH: the Azure CLI cannot be found, so `--auth cli` has no credential for any tenant.
      const env = { PATH: dirname(process.execPath), AZURE_CONFIG_DIR: join(repo.root, '.no-azure') };
      for (const verb of ['plan', 'apply', 'drift', 'import']) {
        const r = await spawnCli([verb, '--auth', 'cli', '--root', repo.root], { env });
        expect(r.code, `${verb}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^sentinel ${verb}: tenant [0-9a-f-]+: no credential available`));
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
    } finally {
      repo.cleanup();
    }
  }, 240_000);
});

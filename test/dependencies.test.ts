/**
 * The dependency rules of .dependency-cruiser.cjs (cli → stages → kusto/content → model; the
 * emulator standalone behind its entry): the repo obeys them, and each rule reports a violation.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs the depcruise CLI with the repo's config in `cwd`; returns the violations it found. */
function depcruise(cwd: string, paths: string[]): Promise<{ violations: Violation[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [DEPCRUISE, ...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      try {
        const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
        resolve({ violations: result.summary.violations });
      } catch {
        reject(new Error(`depcruise did not print JSON (exit ${code}): ${err?.message ?? stdout.slice(0, 500)}`));
      }
    });
  });
}

describe('dependency rules (npm run depcheck)', () => {
  it('scripts/ and test/ have no violations', async () => {
    const { violations } = await depcruise(ROOT, ['scripts', 'test']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  describe('a tree with one import breaking each rule', () => {
    const tree = mkdtempSync(join(tmpdir(), 'depcruise-'));
    afterAll(() => rmSync(tree, { recursive: true, force: true }));
    const files: Record<string, string> = {
      'scripts/model/types.ts': 'export type Repo = { name: string };\n',
      'scripts/model/bad.ts': "import { parse } from '../content/yaml.ts';\nexport const p = parse;\n",
      'scripts/model/cycle-a.ts': "import { b } from './cycle-b.ts';\nexport const a = () => b;\n",
      'scripts/model/cycle-b.ts': "import { a } from './cycle-a.ts';\nexport const b = () => a;\n",
      'scripts/content/yaml.ts': "import type { Repo } from '../model/types.ts';\nexport const parse = (r: Repo) => r;\n",
      'scripts/content/up.ts': "import { check } from '../validate/check.ts';\nexport const c = check;\n",
      'scripts/kusto/side.ts': "import { parse } from '../content/yaml.ts';\nexport const s = parse;\n",
      'scripts/validate/check.ts': "import { parse } from '../content/yaml.ts';\nexport const check = parse;\n",
      'scripts/validate/bad.ts': "import { renderPlan } from '../render/plan.ts';\nexport const v = renderPlan;\n",
      'scripts/evaluate/bad.ts': "import { renderPlan } from '../render/plan.ts';\nexport const e = renderPlan;\n",
      'scripts/deploy/plan.ts': 'export type Plan = { n: number };\nexport const count = (p: Plan) => p.n;\n',
      'scripts/deploy/top.ts': "import { ok } from '../cli/deploy.ts';\nexport const t = ok;\n",
      'scripts/model/fixture.ts': "import { u } from '../../test/emulator/y.test.ts';\nexport const f = u;\n",
      'scripts/deploy/bad.ts': "import { DEFAULT } from '../emulator/config.ts';\nexport const d = DEFAULT;\n",
      'scripts/render/plan.ts': "import type { Plan } from '../deploy/plan.ts';\nexport const renderPlan = (p: Plan) => String(p.n);\n",
      'scripts/render/bad.ts': "import { count } from '../deploy/plan.ts';\nexport const r = count;\n",
      'scripts/emulator/config.ts': 'export const DEFAULT = 1;\n',
      'scripts/emulator/index.ts': "import { check } from '../validate/check.ts';\nexport { DEFAULT } from './config.ts';\nexport const i = check;\n",
      'scripts/cli/deploy.ts': "import { DEFAULT } from '../emulator/index.ts';\nexport const ok = DEFAULT;\n",
      'scripts/cli/validate.ts': "import { DEFAULT } from '../emulator/index.ts';\nexport const notOk = DEFAULT;\n",
      'test/deploy/x.test.ts': "import { DEFAULT } from '../../scripts/emulator/config.ts';\nexport const t = DEFAULT;\n",
      'test/emulator/y.test.ts': "import { DEFAULT } from '../../scripts/emulator/config.ts';\nexport const u = DEFAULT;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, file)), { recursive: true });
      writeFileSync(join(tree, file), text);
    }
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'));
    writeFileSync(join(tree, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, strict: true }, include: ['scripts', 'test'] }));

    it('reports every broken rule, and nothing that is allowed', async () => {
      const { violations } = await depcruise(tree, ['scripts', 'test']);
      const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
      expect(found).toEqual([
        'kusto-content-sideways: scripts/kusto/side.ts → scripts/content/yaml.ts',
        'cli-is-top: scripts/deploy/top.ts → scripts/cli/deploy.ts',
        'emulator-entry: scripts/deploy/bad.ts → scripts/emulator/config.ts',
        'emulator-entry: test/deploy/x.test.ts → scripts/emulator/config.ts',
        'emulator-importers: scripts/cli/validate.ts → scripts/emulator/index.ts',
        'emulator-importers: scripts/deploy/bad.ts → scripts/emulator/config.ts',
        'emulator-imports-model-only: scripts/emulator/index.ts → scripts/validate/check.ts',
        'evaluate-sideways: scripts/evaluate/bad.ts → scripts/render/plan.ts',
        'low-not-up: scripts/content/up.ts → scripts/validate/check.ts',
        'model-is-bottom: scripts/model/bad.ts → scripts/content/yaml.ts',
        'no-circular: scripts/model/cycle-a.ts → scripts/model/cycle-b.ts',
        'no-test-imports: scripts/model/fixture.ts → test/emulator/y.test.ts',
        'render-sideways: scripts/render/bad.ts → scripts/deploy/plan.ts',
        'validate-sideways: scripts/validate/bad.ts → scripts/render/plan.ts',
      ].sort());
    });
  });
});

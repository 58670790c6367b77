/**
 * The KQL cache fingerprint covers the code that computes analysis results and nothing else:
 * editing a benchmark, a README, a test or the cache plumbing keeps every user's cache; editing an
 * analysis module or the kusto world it uses invalidates it.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisSources } from '../../../scripts/validate/kql/fingerprint.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPTS = join(ROOT, 'scripts');

describe('KQL cache fingerprint', () => {
  it('covers the analysis modules and the kusto modules they import, not the plumbing', () => {
    const files = analysisSources().map((f) => relative(SCRIPTS, f));
    expect(files).toEqual(expect.arrayContaining(['validate/kql/analyzer.ts', 'validate/kql/core.ts', 'validate/kql/our-checks.ts', 'kusto/syntax.ts', 'kusto/extract.ts', 'kusto/globals.ts', 'kusto/bridge.ts']));
    // Besides those, only the model's catalogue loader (kusto/catalogue.ts re-exports model/tables.ts;
    // its data counts separately) and type vocabulary.
    expect(files.filter((f) => !/^(validate\/kql|kusto)\/[\w-]+\.ts$/.test(f) && f !== 'model/tables.ts' && f !== 'model/kql-type.ts')).toEqual([]);
    expect(files).not.toContain('validate/kql/disk-cache.ts');
    expect(files).not.toContain('validate/kql/pool.ts');
    expect(files).not.toContain('validate/kql/fingerprint.ts');
  });

  describe('in a copy of the repo', () => {
    const copy = mkdtempSync(join(tmpdir(), 'kql-fingerprint-'));
    afterAll(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(SCRIPTS, join(copy, 'scripts'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    writeFileSync(join(copy, 'README.md'), '# repo\n');
    mkdirSync(join(copy, 'test'));
    writeFileSync(join(copy, 'test', 'a.test.ts'), 'export {};\n');
    writeFileSync(join(copy, 'print.ts'), [
      "import { schemaFingerprint } from './scripts/validate/kql/fingerprint.ts';",
      'console.log(schemaFingerprint({ watchlists: [] }));',
    ].join('\n'));

    const fingerprint = (): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', 'print.ts'], { cwd: copy }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout.trim())));
      });

    it('stays the same when a benchmark, a README, a test or the cache plumbing changes, and changes with the analysis code', async () => {
      const before = await fingerprint();
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      appendFileSync(join(copy, 'scripts/cli/bench/validate.ts'), '\n// edited\n');
      appendFileSync(join(copy, 'scripts/kusto/README.md'), '\nedited\n');
      appendFileSync(join(copy, 'README.md'), '\nedited\n');
      appendFileSync(join(copy, 'test/a.test.ts'), '\n// edited\n');
      appendFileSync(join(copy, 'scripts/validate/kql/disk-cache.ts'), '\n// edited\n');
      appendFileSync(join(copy, 'scripts/evaluate/interpreter.ts'), '\n// edited\n');
      expect(await fingerprint()).toBe(before);
      appendFileSync(join(copy, 'scripts/kusto/syntax.ts'), '\n// edited\n');
      const afterKusto = await fingerprint();
      expect(afterKusto).not.toBe(before);
      appendFileSync(join(copy, 'scripts/validate/kql/our-checks.ts'), '\n// edited\n');
      expect(await fingerprint()).not.toBe(afterKusto);
    });
  });
});

/**
 * Every rule-test case of the repository (analytics-rules/<area>/<slug>.tests.yaml) as one vitest
 * test, run on the local evaluator exactly as `sentinel test` runs it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRepo } from '../../scripts/content/load.ts';
import { buildSuite } from '../../scripts/evaluate/suite.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const suite = buildSuite(await loadRepo(root));

describe('rule fixtures', () => {
  it('every test file loads and pairs with its rule', () => {
    expect(suite.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)).toEqual([]);
  });
  for (const c of suite.cases) {
    it(c.title, () => {
      const r = c.run();
      const where = r.location ? `${r.location.file}:${r.location.line}:${r.location.col}: ` : '';
      expect(r.passed, `${where}${r.message ?? ''}\n${r.diff ?? ''}`).toBe(true);
    });
  }
});

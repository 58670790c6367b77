import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../scripts/validate/validate.ts';
import { GOOD_RULE, goodRepo } from '../helpers/repo.ts';

const GOOD_RULE_FILE = 'analytics-rules/entra/good-rule.yaml';
import { BAD_CASES } from './bad-inputs.cases.ts';

describe('bad input yields one clear message at the right place, never an exception', () => {
  afterAll(() => {
    // No case may have polluted Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('has at least 25 cases', () => {
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(25);
  });

  it('the good repo itself is clean (apart from missing fixtures)', async () => {
    const repo = goodRepo();
    try {
      const res = await validate(repo.root, { cacheDir: false, workers: 0 });
      expect(res.diagnostics.filter((d) => d.code !== 'check/tests')).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('accepts an IoTDevice entity mapping (regression: the emulator refused what validate passed)', async () => {
    const repo = goodRepo({ [GOOD_RULE_FILE]: GOOD_RULE.replace('  - entityType: Account\n', '  - entityType: IoTDevice\n').replace('identifier: FullName', 'identifier: DeviceId') });
    try {
      const res = await validate(repo.root, { cacheDir: false, workers: 0 });
      expect(res.diagnostics.filter((d) => d.code !== 'check/tests')).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  for (const c of BAD_CASES) {
    it(c.name, async () => {
      const repo = goodRepo(c.files);
      for (const [link, to] of Object.entries(c.symlinks ?? {})) symlinkSync(to, join(repo.root, link));
      try {
        const res = await validate(repo.root, { cacheDir: false, workers: 0 });
        const found = res.diagnostics.map(({ file, line, col, severity, code, message }) => ({ file, line, col, severity, code, message }));
        expect(found).toContainEqual(c.expect);
        for (const d of res.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.col).toBeGreaterThanOrEqual(1);
          expect(d.message).not.toMatch(/\n|at Object\.|\bstack\b/);
        }
      } finally {
        repo.cleanup();
      }
    });
  }
});

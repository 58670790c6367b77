import { describe, expect, it } from 'vitest';
import { loadContentFile } from '../../scripts/content/load.ts';
import type { RuleFile } from '../../scripts/model/types.ts';
import { README_BEGIN, README_END, withPackTable } from '../../scripts/cli/docs.ts';
import { GOOD_RULE } from '../helpers/repo.ts';

const rule = loadContentFile('analytics-rules/entra/good-rule.yaml', GOOD_RULE).file as RuleFile;

describe('README rule-pack table', () => {
  it('fills the block between the markers and leaves the rest alone', () => {
    const readme = `# Title\n\nbefore\n${README_BEGIN}\nold table\n${README_END}\nafter\n`;
    const out = withPackTable(readme, [rule])!;
    expect(out.startsWith(`# Title\n\nbefore\n${README_BEGIN}\n| Rule | Area | Severity | Tables | Techniques |`)).toBe(true);
    expect(out).toContain('| [Service principal credential added](docs/rules/good-rule.md) | entra | Medium |');
    expect(out.endsWith(`${README_END}\nafter\n`)).toBe(true);
    expect(withPackTable(out, [rule])).toBe(out);
  });

  it('leaves a README without markers untouched', () => {
    expect(withPackTable('# no markers\n', [rule])).toBeUndefined();
  });
});

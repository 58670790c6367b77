import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../scripts/render/diff.ts';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('f.yaml', 'a\n', 'a\n')).toBe('');
  });

  it('prints git-style hunks with 3 lines of context, removals before additions', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].join('\n') + '\n';
    const after = before.replace('2\n', 'two\n').replace('11\n', '');
    expect(unifiedDiff('x/f.yaml', before, after)).toBe([
      '--- a/x/f.yaml', '+++ b/x/f.yaml',
      '@@ -1,5 +1,5 @@', ' 1', '-2', '+two', ' 3', ' 4', ' 5',
      '@@ -8,5 +8,4 @@', ' 8', ' 9', ' 10', '-11', ' 12', '',
    ].join('\n'));
  });

  it('joins changes closer than twice the context into one hunk, and shows an added first line', () => {
    const before = 'a\nb\nc\nd\ne\n';
    expect(unifiedDiff('f', before, `# header\n${before.replace('e\n', 'E\n')}`)).toBe([
      '--- a/f', '+++ b/f', '@@ -1,5 +1,6 @@', '+# header', ' a', ' b', ' c', ' d', '-e', '+E', '',
    ].join('\n'));
  });
});

/** A // comment in a folded query scalar swallows the lines after it: an error at the comment. */
import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../scripts/content/yaml.ts';
import { foldedCommentFindings } from '../../scripts/validate/folded-comments.ts';
import { commentStarts } from '../../scripts/kusto/lexical.ts';

function findings(yaml: string) {
  const parsed = parseYamlFile('r.yaml', yaml);
  const query = (parsed.value as { query: string }).query;
  return foldedCommentFindings(parsed.source, ['query'], query);
}

describe('folded query comments', () => {
  it('finds // outside string literals only', () => {
    expect(commentStarts('T | where Url == "http://x" // note\n| take 1 // end')).toEqual([28, 45]);
    expect(commentStarts("T | where a == 'it''s //' | take 1")).toEqual([]);
    expect(commentStarts('T | where p == @"C:\\\\x//y" | take 1')).toEqual([]);
  });

  it('a plain multi-line scalar: the comment runs over the later lines', () => {
    const d = findings(['query:', '  SigninLogs', '  // only failures', '  | where ResultType != "0"', '  | take 10', ''].join('\n'));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 3, col: 3, severity: 'error', code: 'check/folded-comment' });
    expect(d[0]!.message).toMatch(/comments out lines 3–5/);
  });

  it('a folded block (>) likewise; a literal block (|) and a one-line comment at the end are fine', () => {
    expect(findings(['query: >', '  SigninLogs', '  // only failures', '  | take 10', ''].join('\n'))).toHaveLength(1);
    expect(findings(['query: |', '  SigninLogs', '  // only failures', '  | take 10', ''].join('\n'))).toEqual([]);
    expect(findings(['query: SigninLogs | take 10 // the end', ''].join('\n'))).toEqual([]);
  });
});

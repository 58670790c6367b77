/** One scan of KQL comments and strings, shared by cache keys, the folded-comment check and the 400 explanation. */
import { describe, expect, it } from 'vitest';
import { commentStarts, withoutCommentsAndStrings } from '../../scripts/kusto/lexical.ts';
import { tablesMissingFrom } from '../../scripts/deploy/azure/workspace-schema.ts';

describe('KQL lexical scan', () => {
  it('a // inside a string is no comment; verbatim strings take no escapes', () => {
    expect(commentStarts('T | where Url == "http://x" // note')).toEqual([28]);
    expect(commentStarts('T | where p == @"C:\\" // after')).toEqual([22]);
    expect(withoutCommentsAndStrings("T | where a == 'x // y' // z")).toBe('T | where a ==    ');
  });

  it('the missing-table explanation does not lose a table after a URL string', () => {
    const known = new Set(['AWSCloudTrail']);
    expect(tablesMissingFrom('AWSCloudTrail | where Url == "http://x" | join (Contoso_CL) on Id', new Set(), known)).toEqual(['AWSCloudTrail', 'Contoso_CL']);
  });
});

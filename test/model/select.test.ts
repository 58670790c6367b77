import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAnyGlob, ruleMatches } from '../../scripts/model/select.ts';

const rf = (area: string, slug: string, id = '6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6') => ({ area, slug, rule: { id } });

describe('globs', () => {
  it('match ids and area/slug case-insensitively', () => {
    expect(globToRegExp('entra/*').test('entra/sp-credential')).toBe(true);
    expect(globToRegExp('*AWS*').test('aws/iam-key')).toBe(true);
    expect(globToRegExp('entra/?p-x').test('entra/sp-x')).toBe(true);
    expect(globToRegExp('entra/*').test('gcp/x')).toBe(false);
  });
  it('let * cross slashes, so *aws* selects aws/… rules', () => {
    expect(matchesAnyGlob('*aws*', ['aws/iam-credential-created'])).toBe(true);
    expect(matchesAnyGlob('*', ['targets/contoso-prod.yaml'])).toBe(true);
    expect(ruleMatches('*credential*', rf('aws', 'iam-credential-created'))).toBe(true);
  });
  it('support braces and character classes', () => {
    const names = ['contoso-prod', 'fabrikam', 'northwind', 'cust-7-soc', 'cust-x'];
    const pick = (g: string) => names.filter((n) => matchesAnyGlob(g, [n]));
    expect(pick('{contoso,fabrikam}*')).toEqual(['contoso-prod', 'fabrikam']);
    expect(pick('{Contoso-Prod,FABRIKAM}')).toEqual(['contoso-prod', 'fabrikam']);
    expect(pick('cust-[0-9]*')).toEqual(['cust-7-soc']);
    expect(ruleMatches('{entra,aws}/*', rf('aws', 'iam-key'))).toBe(true);
    expect(ruleMatches('{entra,aws}/*', rf('gcp', 'sa-key'))).toBe(false);
  });
  it('treat other characters literally: dots, plus, a leading !', () => {
    expect(matchesAnyGlob('a.b', ['axb'])).toBe(false);
    expect(matchesAnyGlob('a.b', ['a.b'])).toBe(true);
    expect(matchesAnyGlob('a+b', ['a+b'])).toBe(true);
    expect(matchesAnyGlob('!x', ['y'])).toBe(false);
  });
  it('select a rule by id, area/slug or slug', () => {
    const r = rf('entra', 'sp-credential-added');
    expect(ruleMatches('6C2D3F4A-*', r)).toBe(true);
    expect(ruleMatches('entra/sp-*', r)).toBe(true);
    expect(ruleMatches('sp-credential-added', r)).toBe(true);
    expect(ruleMatches('gcp/*', r)).toBe(false);
  });
});

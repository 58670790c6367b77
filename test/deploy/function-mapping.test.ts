/** Functions → saved-search bodies, their normalised form, and their place in a target's desired state. */
import { describe, expect, it } from 'vitest';
import { loadContentFile } from '../../scripts/content/load.ts';
import { functionToArm } from '../../scripts/deploy/desired/mapping.ts';
import { normaliseSavedSearch } from '../../scripts/deploy/desired/normalise.ts';
import { resolveTarget } from '../../scripts/deploy/desired/resolve.ts';
import { comparable } from '../../scripts/deploy/plan/plan.ts';
import type { FunctionFile, Target } from '../../scripts/model/types.ts';
import { GOOD_FUNCTION } from '../helpers/repo.ts';

const fnFile = (text = GOOD_FUNCTION) => loadContentFile('functions/SpCredentialChanges.yaml', text).file as FunctionFile;
const target: Target = {
  name: 'soc', tenantId: '00000000-0000-0000-0000-0000000000a1', subscriptionId: '00000000-0000-0000-0000-0000000000b1',
  resourceGroup: 'rg-soc', workspaceName: 'law-soc', location: 'westeurope', wave: 0,
};

describe('functions as saved searches', () => {
  it('maps a function to the SavedSearch properties', () => {
    expect(functionToArm(fnFile().fn, 'repo-a')).toEqual({
      properties: {
        category: 'Detection helpers',
        displayName: 'Service principal credential changes',
        query: fnFile().fn.body,
        functionAlias: 'SpCredentialChanges',
        functionParameters: 'lookback:timespan = 1h, operation:string = "Add service principal credentials"',
        version: 2,
        tags: [{ name: 'sentinel-content-repo', value: 'repo-a' }],
      },
    });
    const bare = fnFile(GOOD_FUNCTION.replace(/parameters:\n(  .*\n)+/, ''));
    expect(functionToArm(bare.fn, 'repo-a').properties).not.toHaveProperty('functionParameters');
  });

  it('normalises spacing, CRLF, the default version and foreign tags away', () => {
    const ours = functionToArm(fnFile().fn, 'repo-a');
    const p = ours.properties as Record<string, unknown>;
    const asReturned = {
      properties: {
        ...p,
        query: String(p.query).replace(/\n/g, '\r\n') + '\r\n',
        functionParameters: 'lookback : timespan=1h ,operation:string =  "Add service principal credentials"',
        version: undefined,
        tags: [{ name: 'owner', value: 'soc' }, { name: 'sentinel-content-repo', value: 'repo-a' }],
      },
    };
    expect(normaliseSavedSearch(asReturned, ['sentinel-content-repo'])).toEqual(comparable('function', ours));
    expect(comparable('function', { properties: { ...p, tags: [] } })).not.toEqual(comparable('function', ours));
  });

  it('every target gets every function; a default of the wrong type is a blocking problem naming the file', () => {
    const resolved = resolveTarget({ rules: [], watchlists: [], workbooks: [], functions: [fnFile()] }, target, { repoName: 'repo-a' });
    expect(resolved.problems).toEqual([]);
    expect(resolved.desired.items.map((i) => [i.type, i.name, i.version, i.file])).toEqual([['function', 'SpCredentialChanges', '1.0.0', 'functions/SpCredentialChanges.yaml']]);
    const bad = resolveTarget({ rules: [], watchlists: [], workbooks: [], functions: [fnFile(GOOD_FUNCTION.replace('default: 1h', 'default: soon'))] }, target, { repoName: 'repo-a' });
    expect(bad.problems).toEqual(['functions/SpCredentialChanges.yaml: parameter lookback: "soon" is not a valid timespan parameter value (expected a duration such as 30m, 6h or 14d)']);
  });
});

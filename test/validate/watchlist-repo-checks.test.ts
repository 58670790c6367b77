import { describe, expect, it } from 'vitest';
import { checkRepo } from '../../scripts/validate/repo-checks.ts';
import { cellProblem, checkWatchlistDefinition, checkWatchlistItems } from '../../scripts/validate/watchlist-checks.ts';
import { loadRepo } from '../../scripts/content/load.ts';
import type { Diagnostic, Watchlist } from '../../scripts/model/types.ts';
import { goodRepo, targetYaml, WATCHLIST } from '../helpers/repo.ts';

const WL = 'watchlists/NetworkAllowlist.yaml';
const fmt = (ds: Diagnostic[]) => ds.map((d) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.code} ${d.message}`);

async function loaded(files: Record<string, string> = {}) {
  const repo = goodRepo(files);
  try {
    return await loadRepo(repo.root);
  } finally {
    repo.cleanup();
  }
}

async function watchlistFindings(yaml: string, now = new Date('2026-01-01T00:00:00Z')) {
  const repo = await loaded({ [WL]: yaml });
  expect(fmt(repo.diagnostics)).toEqual([]);
  const w = repo.watchlists[0]!;
  return fmt([...checkWatchlistDefinition(w.watchlist, w.source), ...checkWatchlistItems(w.watchlist, [{ items: w.watchlist.items, source: w.source, path: ['items'] }], now)]);
}

describe('watchlist checks', () => {
  it('accepts the good watchlist', async () => {
    expect(await watchlistFindings(WATCHLIST)).toEqual([]);
  });

  it('checks cells against column types', () => {
    const col = (type: Watchlist['columns'][number]['type']) => ({ name: 'C', type });
    expect(cellProblem(col('datetime'), '2027-01-31')).toBeUndefined();
    expect(cellProblem(col('datetime'), 'next year')).toBe('"next year" is not an ISO 8601 date like 2027-01-31');
    expect(cellProblem(col('int'), '12')).toBeUndefined();
    expect(cellProblem(col('int'), '1.5')).toBe('"1.5" is not a whole number');
    expect(cellProblem(col('bool'), 'TRUE')).toBeUndefined();
    expect(cellProblem(col('bool'), 'yes')).toBe('"yes" is not true or false');
    expect(cellProblem(col('email'), 'soc@example.com')).toBeUndefined();
    expect(cellProblem(col('email'), 'soc')).toBe('"soc" is not an email address');
    expect(cellProblem(col('guid'), '00000000-0000-0000-0000-000000000001')).toBeUndefined();
    expect(cellProblem(col('guid'), 'x')).toBe('"x" is not a GUID');
  });

  it('flags expired items, unknown columns, missing required values and redundant ranges', async () => {
    const yaml = WATCHLIST.replace('    Description: Office\n', '    Description: Office\n    Expires: 2025-06-30\n    Owner: nobody\n')
      .replace('  - IPOrRange: 2001:db8::/32\n', '  - IPOrRange: 192.0.2.9\n  - Description: no address\n  - IPOrRange: 2001:db8::/32\n');
    expect(await watchlistFindings(yaml)).toEqual([
      `${WL}:19:14 warning watchlist/expired Expires 2025-06-30 is in the past; renew or remove this item`,
      `${WL}:20:5 error watchlist/unknown-column "Owner" is not a column of watchlist NetworkAllowlist; columns: IPOrRange, Description, Expires`,
      `${WL}:24:5 error watchlist/required item 4 is missing required column "IPOrRange"`,
      `${WL}:24:5 error watchlist/search-key item 4 has no value for the search key column "IPOrRange"`,
      `${WL}:23:16 warning watchlist/redundant 192.0.2.9 is already covered by item 1 (192.0.2.0/24)`,
    ]);
  });

  it('checks the definition: search key, duplicate and reserved columns, file name', async () => {
    const yaml = WATCHLIST.replace('itemsSearchKey: IPOrRange', 'itemsSearchKey: Address')
      .replace('  - name: Description\n', '  - name: description\n    type: string\n  - name: SearchKey\n');
    const repo = await loaded({ 'watchlists/Other.yaml': yaml });
    const w = repo.watchlists.find((x) => x.source.file === 'watchlists/Other.yaml')!;
    expect(fmt(checkWatchlistDefinition(w.watchlist, w.source))).toEqual([
      'watchlists/Other.yaml:7:17 error watchlist/search-key itemsSearchKey "Address" is not a declared column; columns: IPOrRange, description, SearchKey, Expires',
      'watchlists/Other.yaml:14:11 error watchlist/reserved-column column name "SearchKey" is reserved by Sentinel watchlists',
      'watchlists/Other.yaml:2:8 warning watchlist/file-name file is named Other.yaml but the alias is NetworkAllowlist; name the file NetworkAllowlist.yaml',
    ]);
  });
});

const target = (extra: string, ws = 'law-soc') => targetYaml({ workspaceName: ws, tail: extra });

describe('repo checks', () => {
  it('passes a clean repo with a target', async () => {
    const repo = await loaded({ 'targets/a.yaml': target('disableRules: [entra/*]\noverrides:\n  - rules: good-rule\n    severity: High\n') });
    expect(fmt(repo.diagnostics)).toEqual([]);
    expect(fmt(checkRepo(repo)).filter((d) => !d.includes('check/tests'))).toEqual([]);
  });

  it('flags duplicate workspaces, unknown parameters, unknown watchlists and orphan tests', async () => {
    const repo = await loaded({
      'targets/a.yaml': target('overrides:\n  - rules: good-rule\n    parameters:\n      Nope: 1\nwatchlistItems:\n  Missing:\n    - X: y\n'),
      'targets/b.yaml': target(''),
    });
    const found = fmt(checkRepo(repo));
    expect(found).toContain('targets/a.yaml:11:7 error check/target-parameter no rule matched by "good-rule" declares parameter "Nope"');
    expect(found).toContain('targets/a.yaml:13:3 error check/target-watchlist no watchlist with alias "Missing" in watchlists/');
    expect(found).toContain('targets/b.yaml:5:16 error check/duplicate-target workspace rg-soc/law-soc is already targeted by targets/a.yaml; one file per workspace');
  });
});

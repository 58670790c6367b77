import { beforeAll, describe, expect, it } from 'vitest';
import { createKqlAnalyzer } from '../../../scripts/validate/kql/analyzer.ts';
import type { KqlAnalyzer, KqlDiagnostic, KqlSchemaInput } from '../../../scripts/validate/kql/analyzer.ts';

const schema: KqlSchemaInput = {
  watchlists: [
    {
      alias: 'NetworkAllowlist',
      columns: [
        { name: 'IPOrRange', type: 'string' },
        { name: 'Description', type: 'string' },
        { name: 'Expires', type: 'datetime' },
      ],
    },
    { alias: 'VipUsers', columns: [{ name: 'UserPrincipalName', type: 'string' }] },
  ],
  functions: [
    {
      name: 'IsTrustedNetwork',
      parameters: '(ip:string)',
      body: "{ ipv4_is_in_any_range(ip, toscalar(_GetWatchlist('NetworkAllowlist') | summarize make_list(IPOrRange))) }",
      description: 'True when ip is inside the trusted network allowlist.',
    },
    { name: 'TrustedNetworks', parameters: '()', body: "{ _GetWatchlist('NetworkAllowlist') | project IPOrRange }" },
    { name: 'BrokenFunction', parameters: '()', body: '{ AuditLogs | where NoSuchColumn == 1 }' },
  ],
};

let kql: KqlAnalyzer;
beforeAll(() => {
  kql = createKqlAnalyzer(schema);
});

/** The single diagnostic of a query, with the offset of `at` in it. */
function only(query: string): KqlDiagnostic {
  const d = kql.analyze(query).diagnostics;
  expect(d).toHaveLength(1);
  return d[0]!;
}

describe('syntax and semantic diagnostics', () => {
  const cases: { family: string; good: string; bad: string; at: string; length: number; code: string; message: string }[] = [
    {
      family: 'syntax: dangling operator',
      good: 'AuditLogs | where Result == "failure"',
      bad: 'AuditLogs | where Result == "failure" | project OperationName,',
      at: '',
      length: 0,
      code: 'KS006',
      message: 'Missing expression',
    },
    {
      family: 'unknown table',
      good: 'AuditLogs | take 1',
      bad: 'AuditLog | take 1',
      at: 'AuditLog',
      length: 8,
      code: 'KS204',
      message: "The name 'AuditLog' does not refer to any known table, tabular variable or function.",
    },
    {
      family: 'unknown column',
      good: 'AuditLogs | where Result == "success"',
      bad: 'AuditLogs | where Reslt == "success"',
      at: 'Reslt',
      length: 5,
      code: 'KS142',
      message: "The name 'Reslt' does not refer to any known column, table, variable or function.",
    },
    {
      family: 'unknown function',
      good: 'AuditLogs | extend n = strlen(Result)',
      bad: 'AuditLogs | extend n = nosuchfn(Result)',
      at: 'nosuchfn',
      length: 8,
      code: 'KS211',
      message: "The name 'nosuchfn' does not refer to any known function.",
    },
    {
      family: 'wrong argument count',
      good: 'AuditLogs | extend n = strlen(Result)',
      bad: 'AuditLogs | extend n = strlen(Result, 2)',
      at: 'strlen',
      length: 6,
      code: 'KS119',
      message: "The function 'strlen' expects 1 argument.",
    },
    {
      family: 'join key missing on one side',
      good: 'AuditLogs | join kind=inner (SigninLogs) on CorrelationId',
      bad: 'AuditLogs | join kind=inner (SigninLogs) on UserPrincipalName',
      at: 'UserPrincipalName',
      length: 17,
      code: 'KS145',
      message: "The column 'UserPrincipalName' must exist on both sides of the join.",
    },
    {
      family: 'type error',
      good: 'AuditLogs | where TimeGenerated > ago(1d)',
      bad: 'AuditLogs | where TimeGenerated > "yesterday"',
      at: '>',
      length: 1,
      code: 'KS106',
      message: "The operator '>' is not defined for the operand types datetime and string.",
    },
  ];
  for (const c of cases) {
    it(`${c.family}: passes when correct`, () => {
      expect(kql.analyze(c.good).diagnostics).toEqual([]);
    });
    it(`${c.family}: ${c.code} at the offending token`, () => {
      const start = c.at === '' ? c.bad.length : c.bad.indexOf(c.at);
      expect(only(c.bad)).toEqual({ start, length: c.length, severity: 'error', code: c.code, message: c.message });
    });
  }
});

describe('language-service analyzer (lint) diagnostics are warnings', () => {
  it('join without kind → KS508', () => {
    const q = 'AuditLogs | join (SigninLogs) on CorrelationId';
    expect(only(q)).toEqual({
      start: q.indexOf('join'),
      length: 4,
      severity: 'warning',
      code: 'KS508',
      message: 'Avoid using joins without specifying the join kind. The default join behavior may be unexpected.',
    });
  });
  it('contains where has fits → KS500, on one line', () => {
    const q = 'AuditLogs | where Result contains "fail"';
    const d = only(q);
    expect(d).toMatchObject({ start: q.indexOf('contains'), length: 8, severity: 'warning', code: 'KS500' });
    expect(d.message).toBe(
      "Avoid using the 'contains' operator as it has a high compute price. Use the 'has' operator in cases when full term match is desired (see: https://aka.ms/kusto.stringterms).",
    );
  });
  it('no lint findings for the corrected query, and none when lint is off', () => {
    expect(kql.analyze('AuditLogs | where Result has "fail" | join kind=inner (SigninLogs) on CorrelationId').diagnostics).toEqual([]);
    expect(kql.analyze('AuditLogs | join (SigninLogs) on CorrelationId', { lint: false }).diagnostics).toEqual([]);
  });
});

describe('string column compared with a number (our check)', () => {
  it('flags ResultType == 0 with a fix hint at the literal', () => {
    const q = 'SigninLogs | where ResultType == 0';
    expect(only(q)).toEqual({
      start: q.indexOf('0'),
      length: 1,
      severity: 'error',
      code: 'KQL-STRING-NUMBER',
      message: 'ResultType is a string but is compared with the number 0; compare with "0"',
    });
  });
  it('flags numbers in an in() list against a string', () => {
    const q = 'AADServicePrincipalSignInLogs | where ResultType !in ("0", 7000215)';
    expect(only(q)).toMatchObject({ start: q.indexOf('7000215'), length: 7, code: 'KQL-STRING-NUMBER' });
  });
  it('accepts string literals and explicit conversions', () => {
    expect(kql.analyze('SigninLogs | where ResultType == "0" or toint(ResultType) == 50126').diagnostics).toEqual([]);
  });
});

describe('_GetWatchlist', () => {
  it('types each call by its alias: watchlist columns plus the standard ones', () => {
    const a = kql.analyze("_GetWatchlist('NetworkAllowlist')");
    expect(a.diagnostics).toEqual([]);
    expect(a.resultColumns).toEqual([
      { name: '_DTItemId', type: 'string' },
      { name: 'LastUpdatedTimeUTC', type: 'datetime' },
      { name: 'SearchKey', type: 'string' },
      { name: 'WatchlistItem', type: 'dynamic' },
      { name: 'IPOrRange', type: 'string' },
      { name: 'Description', type: 'string' },
      { name: 'Expires', type: 'datetime' },
    ]);
  });
  it('two aliases in one query keep their own columns', () => {
    const q = "_GetWatchlist('VipUsers') | join kind=leftouter (_GetWatchlist('NetworkAllowlist')) on SearchKey | project UserPrincipalName, IPOrRange";
    const a = kql.analyze(q);
    expect(a.diagnostics).toEqual([]);
    expect(a.watchlistAliases).toEqual([
      { alias: 'VipUsers', start: q.indexOf("'VipUsers'"), length: 10 },
      { alias: 'NetworkAllowlist', start: q.indexOf("'NetworkAllowlist'"), length: 18 },
    ]);
  });
  it('an unknown column of a known watchlist is KS142', () => {
    const q = "_GetWatchlist('NetworkAllowlist') | project Owner";
    expect(only(q)).toMatchObject({ start: q.indexOf('Owner'), code: 'KS142' });
  });
  it('an unknown alias is one error naming the known aliases', () => {
    const q = "SigninLogs | where IPAddress in ((_GetWatchlist('NetworkAllowList') | project SearchKey))";
    expect(only(q)).toEqual({
      start: q.indexOf("'NetworkAllowList'"),
      length: 18,
      severity: 'error',
      code: 'KQL-UNKNOWN-WATCHLIST',
      message: "Unknown watchlist alias 'NetworkAllowList'; known aliases: NetworkAllowlist, VipUsers",
    });
  });
  it('a computed alias is an error', () => {
    const q = '_GetWatchlist(tostring(now())) | take 1';
    expect(only(q)).toEqual({
      start: q.indexOf('tostring'),
      length: 'tostring(now())'.length,
      severity: 'error',
      code: 'KQL-WATCHLIST-ALIAS',
      message: "_GetWatchlist needs the alias as a string literal, or a let bound to one, e.g. 'NetworkAllowlist' (known aliases: NetworkAllowlist, VipUsers)",
    });
  });
  it('an alias held in a constant let is resolved', () => {
    const q = "let wl = 'VipUsers';\n_GetWatchlist(wl) | project UserPrincipalName";
    const a = kql.analyze(q);
    expect(a.diagnostics).toEqual([]);
    expect(a.watchlistAliases).toEqual([{ alias: 'VipUsers', start: q.indexOf('wl)'), length: 2 }]);
  });
});

describe('saved and Log Analytics functions', () => {
  it('resolves a saved function with arguments and reports it as called', () => {
    const q = 'SigninLogs | where not(IsTrustedNetwork(IPAddress)) | project UserPrincipalName, IPAddress';
    const a = kql.analyze(q);
    expect(a.diagnostics).toEqual([]);
    expect(a.functionsCalled).toContain('IsTrustedNetwork');
    expect(a.functionsCalled).toContain('not');
  });
  it('resolves a zero-argument saved function used as a table', () => {
    const a = kql.analyze('SigninLogs | where IPAddress in (TrustedNetworks)');
    expect(a.diagnostics).toEqual([]);
    expect(a.functionsCalled).toEqual(['TrustedNetworks']);
  });
  it('checks the argument count of saved functions', () => {
    const q = 'SigninLogs | where IsTrustedNetwork(IPAddress, 1)';
    expect(only(q)).toEqual({
      start: q.indexOf('IsTrustedNetwork'),
      length: 16,
      severity: 'error',
      code: 'KS119',
      message: "The function 'IsTrustedNetwork' expects 1 argument.",
    });
  });
  it('reports a saved function whose body has errors', () => {
    expect(only('BrokenFunction | take 1')).toMatchObject({ start: 0, length: 14, severity: 'warning', code: 'KS512' });
  });
  it('knows workspace(), app() and resource()', () => {
    const q = "union workspace('soc-east').SigninLogs, resource('/subscriptions/x').AzureActivity | project TimeGenerated";
    const a = kql.analyze(q);
    expect(a.diagnostics).toEqual([]);
    expect(a.tables).toEqual(['AzureActivity', 'SigninLogs']);
    expect(kql.analyze("app('web').AuditLogs | take 1").diagnostics).toEqual([]);
  });
});

describe('result columns', () => {
  it('follow project, extend and summarize', () => {
    const a = kql.analyze(
      'AuditLogs | extend Actor = tostring(InitiatedBy.user.userPrincipalName) | summarize Count = count(), Last = max(TimeGenerated) by Actor, OperationName | project Actor, OperationName, Count, Last',
    );
    expect(a.resultColumns).toEqual([
      { name: 'Actor', type: 'string' },
      { name: 'OperationName', type: 'string' },
      { name: 'Count', type: 'long' },
      { name: 'Last', type: 'datetime' },
    ]);
  });
  it('join renames duplicate names (OperationName1)', () => {
    const a = kql.analyze(
      'AuditLogs | project CorrelationId, OperationName | join kind=inner (AzureActivity | project CorrelationId, OperationName) on CorrelationId',
    );
    expect(a.resultColumns?.map((c) => c.name)).toEqual(['CorrelationId', 'OperationName', 'CorrelationId1', 'OperationName1']);
  });
  it('are null for a non-tabular query', () => {
    expect(kql.analyze('print_me_not = 1').resultColumns).toBeNull();
  });
});

describe('inputs the service is not given', () => {
  it('an oversized query is one error, not an exception', () => {
    const q = 'AuditLogs\n' + '| where Result has "x"\n'.repeat(6000);
    expect(kql.analyze(q)).toMatchObject({
      diagnostics: [
        { start: 0, length: 0, severity: 'error', code: 'KQL-TOO-LONG', message: `query is too long to analyse (${q.length} characters; Sentinel allows 10,000)` },
      ],
      resultColumns: null,
      tables: [],
    });
  });
});

describe('facts from the syntax tree', () => {
  const q = [
    'let lookback = 14d;',
    'let threshold = 5;',
    'let trusted = dynamic(["192.0.2.0/24"]);',
    'AuditLogs',
    '| where TimeGenerated > ago(lookback)',
    '| where ActivityDateTime > ago(2h)',
    '| summarize n = count() by OperationName',
    '| where n > threshold',
  ].join('\n');
  it('lists top-level lets with name and value spans', () => {
    const a = kql.analyze(q);
    expect(a.lets.map((l) => [l.name, l.valueText])).toEqual([
      ['lookback', '14d'],
      ['threshold', '5'],
      ['trusted', 'dynamic(["192.0.2.0/24"])'],
    ]);
    const t = a.lets[1]!;
    expect(q.slice(t.start, t.start + t.length)).toBe('threshold');
    expect(q.slice(t.valueStart, t.valueStart + t.valueLength)).toBe('5');
  });
  it('finds the largest ago() lookback, through constant lets', () => {
    const m = kql.analyze(q).maxAgoLookback!;
    expect(m.ms).toBe(14 * 24 * 3600 * 1000);
    expect(q.slice(m.start, m.start + m.length)).toBe('ago(lookback)');
    expect(kql.analyze('AuditLogs | take 1').maxAgoLookback).toBeNull();
  });
  it('finds search * and union *', () => {
    const s = 'search * | take 1';
    expect(kql.analyze(s).searchStar).toEqual([{ start: 0, length: 8 }]);
    const u = 'AuditLogs | union withsource=T * | take 1';
    expect(kql.analyze(u).searchStar).toEqual([{ start: u.indexOf('union'), length: 'union withsource=T *'.length }]);
    expect(kql.analyze('search in (AuditLogs) "x" | take 1').searchStar).toEqual([]);
  });
  it('lists catalogue tables and functions called', () => {
    const a = kql.analyze('SigninLogs | join kind=inner (AADNonInteractiveUserSignInLogs | where TimeGenerated > ago(1d)) on UserId');
    expect(a.tables).toEqual(['AADNonInteractiveUserSignInLogs', 'SigninLogs']);
    expect(a.functionsCalled).toEqual(['ago']);
  });
});

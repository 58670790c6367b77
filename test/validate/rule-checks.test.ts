import { describe, expect, it } from 'vitest';
import { checkRule, type QueryFacts } from '../../scripts/validate/rule-checks.ts';
import { loadContentFile } from '../../scripts/content/load.ts';
import type { RuleFile } from '../../scripts/model/types.ts';
import { GOOD_RULE } from '../helpers/repo.ts';

const FILE = 'analytics-rules/entra/good-rule.yaml';
const FACTS: QueryFacts = {
  resultColumns: ['TimeGenerated', 'Initiator', 'TargetId', 'OperationName'].map((name) => ({ name, type: 'string' })),
  maxAgoLookback: { ms: 3_600_000, start: 30, length: 7 },
  searchStar: [],
  lets: [],
};

function ruleFile(yaml: string): RuleFile {
  const { file, diagnostics } = loadContentFile(FILE, yaml);
  expect(diagnostics).toEqual([]);
  return file as RuleFile;
}
const edit = (from: string, to: string) => {
  expect(GOOD_RULE).toContain(from);
  return ruleFile(GOOD_RULE.replace(from, to));
};
const codes = (rf: RuleFile, facts: QueryFacts | undefined = FACTS) => checkRule(rf, facts).map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);

describe('checkRule', () => {
  it('passes the good rule', () => {
    expect(codes(ruleFile(GOOD_RULE))).toEqual([]);
  });

  it('skips column checks when the query did not resolve', () => {
    expect(checkRule(edit('columnName: Initiator', 'columnName: Nope'), undefined)).toEqual([]);
  });

  const cases: [string, RuleFile, QueryFacts, string][] = [
    ['entity column', edit('columnName: Initiator', 'columnName: Actor'), FACTS,
      'check/unknown-column 27:21 entity column "Actor" is not a column the query outputs; it outputs TimeGenerated, Initiator, TargetId, OperationName'],
    ['entity column typo suggestion', edit('columnName: Initiator', 'columnName: Initiatr'), FACTS,
      'check/unknown-column 27:21 entity column "Initiatr" is not a column the query outputs (did you mean "Initiator"?)'],
    ['custom detail column', edit('TargetId: TargetId', 'TargetId: Target'), FACTS,
      'check/unknown-column 29:13 custom detail TargetId: "Target" is not a column the query outputs (did you mean "TargetId"?)'],
    ['too many placeholders', edit('Credential added by {{Initiator}}', 'Credential added by {{Initiator}} {{TargetId}} {{OperationName}} {{TimeGenerated}}'), FACTS,
      'check/placeholder-count 31:27 alertDisplayNameFormat uses 4 {{placeholders}}; Sentinel substitutes at most 3'],
    ['frequency below 5m', edit('queryFrequency: 1h', 'queryFrequency: 4m'), FACTS,
      'check/frequency-range 7:17 queryFrequency must be between 5m and 14d (got 4m)'],
    ['period above 14d', edit('queryPeriod: 1h', 'queryPeriod: 15d'), FACTS,
      'check/period-range 8:14 queryPeriod must be between 5m and 14d (got 15d)'],
    ['long period needs hourly frequency', ruleFile(GOOD_RULE.replace('queryFrequency: 1h', 'queryFrequency: 30m').replace('queryPeriod: 1h', 'queryPeriod: 3d')), FACTS,
      'check/long-period-frequency 7:17 a queryPeriod over 2d (3d) needs a queryFrequency of at least 1h (got 30m)'],
    ['scheduled fields missing', edit('triggerThreshold: 0\n', ''), FACTS,
      'check/scheduled-fields 2:1 Scheduled rules need "triggerThreshold"'],
    ['query too long', edit('  | project TimeGenerated', `  // ${'x'.repeat(10_000)}\n  | project TimeGenerated`), FACTS,
      'check/query-length 16:8 query is 10286 characters; Sentinel accepts at most 10000'],
    ['search star', ruleFile(GOOD_RULE), { ...FACTS, searchStar: [{ start: 0, length: 7 }] },
      'check/search-star 17:3 `search *` / `union *` scans every table; name the tables the rule needs'],
    ['lookback beyond period', ruleFile(GOOD_RULE), { ...FACTS, maxAgoLookback: { ms: 2 * 86_400_000, start: 34, length: 7 } },
      'check/lookback 18:27 the query looks back 2d but queryPeriod is 1h; Sentinel only supplies 1h of data — raise queryPeriod or shorten the lookback'],
    ['unknown technique', edit('  - T1098.001', '  - T1999'), FACTS,
      'check/attack-unknown 15:5 T1999 is not a MITRE ATT&CK Enterprise technique'],
    ['technique without its tactic', edit('  - T1098.001', '  - T1110.003'), FACTS,
      'check/attack-tactic 15:5 T1110.003 (Password Spraying) belongs to CredentialAccess, none of which is in tactics; add one or fix the technique'],
    ['bad identifier', edit('identifier: FullName', 'identifier: Upn'), FACTS,
      'check/identifier 26:21 "Upn" is not an identifier of Account; use one of Name, FullName, NTDomain, DnsDomain, UPNSuffix, Sid, AadTenantId, AadUserId, PUID, IsDomainJoined, DisplayName, ObjectGuid, CloudAppAccountId'],
    ['too many identifiers', edit('        columnName: Initiator\n', '        columnName: Initiator\n      - identifier: Name\n        columnName: Initiator\n      - identifier: UPNSuffix\n        columnName: Initiator\n      - identifier: DisplayName\n        columnName: Initiator\n'), FACTS,
      'check/identifier-count 32:9 an entity mapping takes at most 3 identifiers (got 4)'],
    ['grouping by unmapped entity', edit('version: 1.0.0', 'incidentConfiguration:\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    matchingMethod: Selected\n    groupByEntities: [IP]\nversion: 1.0.0'), FACTS,
      'check/grouping 37:23 groupByEntities names IP, but the rule maps no IP entity'],
    ['suppression too long', edit('version: 1.0.0', 'suppressionEnabled: true\nsuppressionDuration: 2d\nversion: 1.0.0'), FACTS,
      'check/suppression-range 33:22 suppressionDuration must be between 5m and 24h (got 2d)'],
    ['parameter without its let', edit('version: 1.0.0', 'parameters:\n  Patterns:\n    description: x\n    type: dynamic\n    default: ["svc-"]\nversion: 1.0.0'), FACTS,
      'check/parameter-let 33:3 parameter "Patterns" needs a top-level `let Patterns = <default>;` in the query so targets can override it'],
  ];
  for (const [name, rf, facts, expected] of cases) {
    it(`flags: ${name}`, () => {
      const found = codes(rf, facts);
      expect(found, found.join('\n')).toContain(expected);
    });
  }

  it('NRT rules carry no schedule fields', () => {
    const nrt = ruleFile(GOOD_RULE.replace('kind: Scheduled', 'kind: NRT').replace(/queryFrequency.*\nqueryPeriod.*\ntriggerOperator.*\ntriggerThreshold.*\n/, ''));
    expect(codes(nrt)).toEqual([]);
    expect(codes(edit('kind: Scheduled', 'kind: NRT'))).toContain('check/nrt-field 7:1 NRT rules run every minute over new data; remove "queryFrequency"');
  });
});

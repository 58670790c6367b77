/** Bad content, one problem each: files written over the good repo, and the exact first finding. */
import { GOOD_FUNCTION, GOOD_RULE, WATCHLIST } from '../helpers/repo.ts';

const RULE = 'analytics-rules/entra/good-rule.yaml';
const WL = 'watchlists/NetworkAllowlist.yaml';
const rule = (from: string, to: string) => ({ [RULE]: GOOD_RULE.replace(from, to) });
const wlItem = (value: string) => ({ [WL]: WATCHLIST.replace('192.0.2.0/24', value) });
const TH = '# yaml-language-server: $schema=../scripts/content/schemas/target.schema.json\n';
const T = `${TH}tenantId: 00000000-0000-0000-0000-0000000000a1\nsubscriptionId: 00000000-0000-0000-0000-0000000000b1\nresourceGroup: rg-soc\nworkspaceName: law-soc\nlocation: westeurope\nwave: 0\n`;
const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';

export interface BadCase {
  name: string;
  files: Record<string, string | Uint8Array>;
  /** Symbolic links to create: repo-relative link path → link target (left dangling outside the repo). */
  symlinks?: Record<string, string>;
  expect: { file: string; line: number; col: number; severity: 'error' | 'warning'; code: string; message: string };
}

export const BAD_CASES: BadCase[] = [
  {
    name: 'broken YAML (unclosed flow sequence)',
    files: rule('  - PrivilegeEscalation\n', '  - PrivilegeEscalation\nreferences: [https://a.example\n'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 15, col: 1, severity: 'error', code: 'yaml/bad-indent', message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
  },
  {
    name: 'duplicate key',
    files: rule('severity: Medium\n', 'severity: Medium\nseverity: High\n'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 6, col: 1, severity: 'error', code: 'yaml/duplicate-key', message: 'duplicate key "severity"; each key may appear once in a mapping — remove or merge one' },
  },
  {
    name: 'tab in indentation',
    files: rule('  - PrivilegeEscalation\n', '\t- PrivilegeEscalation\n'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 13, col: 1, severity: 'error', code: 'yaml/tab', message: 'tab character in indentation; YAML needs spaces' },
  },
  {
    name: 'alias bomb',
    files: { 'targets/bomb.yaml': TH + bomb },
    expect: { file: 'targets/bomb.yaml', line: 3, col: 8, severity: 'error', code: 'yaml/alias-limit', message: 'too many alias expansions (limit 100): Excessive alias count indicates a resource exhaustion attack' },
  },
  {
    name: '__proto__ key',
    files: rule('version: 1.0.0\n', 'version: 1.0.0\n__proto__:\n  polluted: true\n'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 33, col: 1, severity: 'error', code: 'yaml/forbidden-key', message: 'key "__proto__" is not allowed (it would alter object prototypes)' },
  },
  {
    name: 'constructor key',
    files: { 'targets/t.yaml': T + 'constructor: x\n' },
    expect: { file: 'targets/t.yaml', line: 8, col: 1, severity: 'error', code: 'yaml/forbidden-key', message: 'key "constructor" is not allowed (it would alter object prototypes)' },
  },
  {
    name: 'invalid UTF-8',
    files: { [RULE]: Buffer.concat([Buffer.from(GOOD_RULE.slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(GOOD_RULE.slice(200))]) },
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 4, col: 40, severity: 'error', code: 'yaml/encoding', message: 'invalid UTF-8 byte sequence at byte 200; save the file as UTF-8' },
  },
  {
    name: 'empty file',
    files: { 'analytics-rules/entra/empty.yaml': '' },
    expect: { file: 'analytics-rules/entra/empty.yaml', line: 1, col: 1, severity: 'error', code: 'yaml/empty', message: 'file is empty; remove it or add content' },
  },
  {
    name: 'comments-only file',
    files: { 'analytics-rules/entra/comments.yaml': '# nothing here\n# at all\n' },
    expect: { file: 'analytics-rules/entra/comments.yaml', line: 1, col: 1, severity: 'error', code: 'yaml/empty', message: 'file is empty; remove it or add content' },
  },
  {
    name: 'two YAML documents',
    files: { 'targets/t.yaml': T + '---\n' + T },
    expect: { file: 'targets/t.yaml', line: 8, col: 1, severity: 'error', code: 'yaml/multi-document', message: 'file holds 2 YAML documents; put one item per file' },
  },
  {
    name: '5 MB file',
    files: { 'watchlists/Big.yaml': 'alias: Big\n' + 'x'.repeat(5 * 1024 * 1024) },
    expect: { file: 'watchlists/Big.yaml', line: 1, col: 1, severity: 'error', code: 'yaml/too-large', message: 'file is 5.0 MB; content files are limited to 1 MB — split it or move bulk data out' },
  },
  {
    name: 'wrong type',
    files: rule('triggerThreshold: 0', 'triggerThreshold: five'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 10, col: 19, severity: 'error', code: 'schema/type', message: 'triggerThreshold must be a whole number (got "five")' },
  },
  {
    name: 'unknown field (typo)',
    files: rule('severity: Medium', 'severty: Medium'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 2, col: 1, severity: 'error', code: 'schema/required', message: 'missing required field "severity"' },
  },
  {
    name: 'bad enum value',
    files: rule('severity: Medium', 'severity: Hgh'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 5, col: 11, severity: 'error', code: 'schema/enum', message: 'severity must be one of High, Medium, Low, Informational (got "Hgh"); did you mean "High"?' },
  },
  {
    name: 'bad duration',
    files: rule('queryFrequency: 1h', 'queryFrequency: 1 hour'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 7, col: 17, severity: 'error', code: 'schema/pattern', message: 'queryFrequency must be a duration like 5m, 6h or 14d (got "1 hour")' },
  },
  {
    name: 'id not a GUID',
    files: rule('id: 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'id: rule-1'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 2, col: 5, severity: 'error', code: 'schema/pattern', message: 'id must be a GUID like 3f2a8c1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f (got "rule-1")' },
  },
  {
    name: 'KQL syntax error',
    files: rule('  | where TimeGenerated > ago(1h)', '  | where TimeGenerated > ago(1h) and'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 18, col: 38, severity: 'error', code: 'kql/KS006', message: 'Missing expression' },
  },
  {
    name: 'unknown table',
    files: rule('  AuditLogs\n', '  AuditLog\n'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 17, col: 3, severity: 'error', code: 'kql/KS204', message: "The name 'AuditLog' does not refer to any known table, tabular variable or function." },
  },
  {
    name: 'unknown column',
    files: rule('has "Add service principal credentials"', 'has "Add service principal credentials" and Categry == "x"'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 19, col: 69, severity: 'error', code: 'kql/KS142', message: "The name 'Categry' does not refer to any known column, table, variable or function (did you mean 'Category'?)" },
  },
  {
    name: 'unknown ATT&CK sub-technique',
    files: rule('  - T1098.001', '  - T1098.999'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 15, col: 5, severity: 'error', code: 'check/attack-unknown', message: 'T1098.999 is not a MITRE ATT&CK Enterprise technique or sub-technique' },
  },
  {
    name: 'technique outside the rule tactics (a warning: the rule uses none of the pack conventions, Sentinel accepts it)',
    files: rule('  - T1098.001', '  - T1528'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 15, col: 5, severity: 'warning', code: 'check/attack-tactic', message: 'T1528 (Steal Application Access Token) belongs to CredentialAccess, none of which is in tactics; add one or fix the technique' },
  },
  {
    name: 'bad IP in watchlist',
    files: wlItem('192.0.2.300'),
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 17, col: 16, severity: 'error', code: 'watchlist/type', message: 'IPOrRange "192.0.2.300" is not an IPv4/IPv6 address, CIDR or a-b range' },
  },
  {
    name: 'CIDR prefix too long',
    files: wlItem('192.0.2.0/33'),
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 17, col: 16, severity: 'error', code: 'watchlist/type', message: 'IPOrRange "192.0.2.0/33" has an invalid prefix length /33; use 0-32 for IPv4' },
  },
  {
    name: 'a-b range reversed',
    files: { [WL]: WATCHLIST.replace('198.51.100.10-198.51.100.20', '198.51.100.20-198.51.100.10') },
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 19, col: 16, severity: 'error', code: 'watchlist/type', message: 'IPOrRange "198.51.100.20-198.51.100.10": range start 198.51.100.20 is after its end 198.51.100.10' },
  },
  {
    name: 'CIDR with host bits set',
    files: wlItem('192.0.2.1/24'),
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 17, col: 16, severity: 'warning', code: 'watchlist/host-bits', message: '192.0.2.1/24 has host bits set; the network is 192.0.2.0/24 — write that to make the intent explicit' },
  },
  {
    name: 'IPv4 with a leading zero (octal to some parsers)',
    files: wlItem('192.0.02.0/24'),
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 17, col: 16, severity: 'error', code: 'watchlist/type', message: 'IPOrRange "192.0.02.0/24" has a leading zero in an octet, which some parsers read as octal; write 192.0.2.0/24 (`sentinel fix` does it)' },
  },
  {
    name: 'IPv6 zone id in an allowlist',
    files: { [WL]: WATCHLIST.replace('2001:db8::/32', 'fe80::1%eth0') },
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 21, col: 16, severity: 'error', code: 'watchlist/type', message: 'IPOrRange "fe80::1%eth0" has a zone id (%eth0), which names a network interface on one host and never matches a logged address; write fe80::1 (`sentinel fix` does it)' },
  },
  {
    name: 'CIDR prefix with a leading zero',
    files: wlItem('192.0.2.0/024'),
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 17, col: 16, severity: 'error', code: 'watchlist/not-canonical', message: 'IPOrRange "192.0.2.0/024": prefix /024 has a leading zero; write /24 (192.0.2.0/24) (`sentinel fix` does it)' },
  },
  {
    name: 'duplicate watchlist item',
    files: { [WL]: WATCHLIST.replace('2001:db8::/32', '192.0.2.0/24') },
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 21, col: 16, severity: 'error', code: 'watchlist/duplicate', message: 'IPOrRange "192.0.2.0/24" duplicates item 1; each item needs a unique search key' },
  },
  {
    name: 'the same network written two ways',
    files: { [WL]: WATCHLIST.replace('198.51.100.10-198.51.100.20', '2001:DB8:0::/32') },
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 21, col: 16, severity: 'error', code: 'watchlist/duplicate', message: 'IPOrRange "2001:db8::/32" is the same network as item 2 (2001:DB8:0::/32, canonically 2001:db8::/32); keep one of them' },
  },
  {
    name: 'watchlist defaultDuration in years (no fixed length)',
    files: { [WL]: WATCHLIST.replace('itemsSearchKey: IPOrRange\n', 'itemsSearchKey: IPOrRange\ndefaultDuration: P1Y\n') },
    expect: { file: 'watchlists/NetworkAllowlist.yaml', line: 8, col: 18, severity: 'error', code: 'schema/pattern', message: 'defaultDuration must be an ISO 8601 duration in weeks, days, hours, minutes or seconds like P365D (not years or months, which have no fixed length) (got "P1Y")' },
  },
  {
    name: 'duplicate rule id',
    files: { 'analytics-rules/aws/other.yaml': GOOD_RULE.replace('name: Service principal credential added', 'name: Other') },
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 2, col: 5, severity: 'error', code: 'check/duplicate-id', message: 'rule id 6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6 is already used by analytics-rules/aws/other.yaml:2; give this rule a new GUID' },
  },
  {
    name: 'entity column not in output',
    files: rule('columnName: Initiator', 'columnName: InitiatorUpn'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 27, col: 21, severity: 'error', code: 'check/unknown-column', message: 'entity column "InitiatorUpn" is not a column the query outputs; it outputs TimeGenerated, Initiator, TargetId, OperationName' },
  },
  {
    name: 'NRT rule with schedule fields',
    files: rule('kind: Scheduled', 'kind: NRT'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 7, col: 1, severity: 'error', code: 'check/nrt-field', message: 'NRT rules run every minute over new data; remove "queryFrequency"' },
  },
  {
    name: 'period shorter than frequency',
    files: rule('queryPeriod: 1h', 'queryPeriod: 30m'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 8, col: 14, severity: 'error', code: 'check/period-frequency', message: 'queryPeriod 30m is shorter than queryFrequency 1h; events between runs would be missed' },
  },
  {
    name: 'document is a list',
    files: { 'targets/list.yaml': TH + '- a\n- b\n' },
    expect: { file: 'targets/list.yaml', line: 1, col: 1, severity: 'error', code: 'schema/type', message: 'the document must be a mapping of field: value' },
  },
  {
    name: 'string column compared with number',
    files: rule('  | project TimeGenerated', '  | where Result == 0\n  | project TimeGenerated'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 22, col: 21, severity: 'error', code: 'kql/KQL-STRING-NUMBER', message: 'Result is a string but is compared with the number 0; compare with "0"' },
  },
  {
    name: 'unknown watchlist alias',
    files: rule('  | project TimeGenerated', "  | where Initiator in ((_GetWatchlist('NetworkAlowlist') | project SearchKey))\n  | project TimeGenerated"),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 22, col: 40, severity: 'error', code: 'kql/KQL-UNKNOWN-WATCHLIST', message: "Unknown watchlist alias 'NetworkAlowlist'; known aliases: NetworkAllowlist" },
  },
  {
    name: 'union *',
    files: rule('  AuditLogs\n', '  union *\n'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 17, col: 3, severity: 'error', code: 'check/search-star', message: '`search *` / `union *` scans every table; name the tables the rule needs' },
  },
  {
    name: 'invalid custom detail key',
    files: rule('  TargetId: TargetId', '  Target-Id: TargetId'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 29, col: 3, severity: 'error', code: 'schema/pattern', message: 'key "Target-Id" in customDetails must be 1-20 letters, digits or underscores, not starting with a digit' },
  },
  {
    name: 'unknown alertDetailsOverride placeholder',
    files: rule('Credential added by {{Initiator}}', 'Credential added by {{Actor}}'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 31, col: 27, severity: 'error', code: 'check/unknown-column', message: 'placeholder {{Actor}} in alertDisplayNameFormat: column "Actor" is not a column the query outputs; it outputs TimeGenerated, Initiator, TargetId, OperationName' },
  },
  {
    name: 'ago() lookback beyond queryPeriod',
    files: rule('ago(1h)', 'ago(2d)'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 18, col: 27, severity: 'warning', code: 'check/lookback', message: 'the query looks back 2d but queryPeriod is 1h; Sentinel only supplies 1h of data — raise queryPeriod or shorten the lookback' },
  },
  {
    name: 'invalid entity identifier',
    files: rule('identifier: FullName', 'identifier: UPN'),
    expect: { file: 'analytics-rules/entra/good-rule.yaml', line: 26, col: 21, severity: 'error', code: 'check/identifier', message: '"UPN" is not an identifier of Account; use one of Name, FullName, NTDomain, DnsDomain, UPNSuffix, Sid, AadTenantId, AadUserId, PUID, IsDomainJoined, DisplayName, ObjectGuid, CloudAppAccountId' },
  },
  {
    name: 'target selector matching nothing',
    files: { 'targets/t.yaml': T + 'disableRules:\n  - nothing-matches-*\n' },
    expect: { file: 'targets/t.yaml', line: 9, col: 5, severity: 'warning', code: 'check/target-selector', message: '"nothing-matches-*" matches no rule (selectors match rule id, area/slug or slug)' },
  },
  {
    name: 'bad per-target watchlist item',
    files: { 'targets/t.yaml': T + 'watchlistItems:\n  NetworkAllowlist:\n    - IPOrRange: 10.0.0.0/40\n' },
    expect: { file: 'targets/t.yaml', line: 10, col: 18, severity: 'error', code: 'watchlist/type', message: 'IPOrRange "10.0.0.0/40" has an invalid prefix length /40; use 0-32 for IPv4' },
  },
  {
    name: 'function with a syntax error in its body',
    files: { 'functions/SpCredentialChanges.yaml': GOOD_FUNCTION.replace('  | where OperationName has operation\n', '  | where OperationName has operation and\n') },
    expect: { file: 'functions/SpCredentialChanges.yaml', line: 16, col: 42, severity: 'error', code: 'kql/KS006', message: 'Missing expression' },
  },
  {
    name: 'function name colliding with a table',
    files: { 'functions/SigninLogs.yaml': GOOD_FUNCTION.replace('alias: SpCredentialChanges', 'alias: SigninLogs') },
    expect: { file: 'functions/SigninLogs.yaml', line: 2, col: 8, severity: 'error', code: 'check/function-name', message: 'function alias SigninLogs is the name of a table; queries calling SigninLogs would be ambiguous — choose another alias' },
  },
  {
    name: 'allowlist entry that trusts every IPv4 address',
    files: wlItem('0.0.0.0/0'),
    expect: { file: WL, line: 17, col: 16, severity: 'error', code: 'watchlist/trusts-everything', message: 'IPOrRange "0.0.0.0/0" matches every IPv4 address, so this allowlist trusts everyone; remove it, or if that is really meant list "0.0.0.0/0" under acknowledgeTrustAll in watchlists/NetworkAllowlist.yaml' },
  },
  {
    name: 'allowlist entry that trusts every IPv6 address, in a target',
    files: { 'targets/t.yaml': T + 'watchlistItems:\n  NetworkAllowlist:\n    - IPOrRange: "::/0"\n' },
    expect: { file: 'targets/t.yaml', line: 10, col: 18, severity: 'error', code: 'watchlist/trusts-everything', message: 'IPOrRange "::/0" matches every IPv6 address, so this allowlist trusts everyone; remove it, or if that is really meant list "::/0" under acknowledgeTrustAll in targets/t.yaml' },
  },
  {
    name: 'allowlist entry with spaces around it',
    files: wlItem('"192.0.2.0/24 "'),
    expect: { file: WL, line: 17, col: 16, severity: 'error', code: 'watchlist/not-canonical', message: 'IPOrRange "192.0.2.0/24 " has spaces around it; write 192.0.2.0/24 (`sentinel fix` does it)' },
  },
  {
    name: 'target parameter of the wrong type (plan refuses it)',
    files: {
      [RULE]: GOOD_RULE.replace('  AuditLogs\n', '  let threshold = 1;\n  AuditLogs\n').replace('version: 1.0.0\n', 'parameters:\n  threshold:\n    type: int\n    default: 1\n    description: Alerts above this many\nversion: 1.0.0\n'),
      'targets/t.yaml': T + 'overrides:\n  - rules: good-rule\n    parameters:\n      threshold: many\n',
    },
    expect: { file: 'targets/t.yaml', line: 11, col: 18, severity: 'error', code: 'check/target-parameter-type', message: 'parameter "threshold": "many" is not a valid int parameter value (expected a whole number); entra/good-rule declares it as int — plan and apply refuse this target until it is fixed' },
  },
  {
    name: 'two tenants claiming one subscription',
    files: { 'targets/a.yaml': T, 'targets/b.yaml': T.replace('0000000000a1', '0000000000a2').replace('law-soc', 'law-two') },
    expect: { file: 'targets/b.yaml', line: 2, col: 11, severity: 'error', code: 'check/target-tenant', message: 'subscription 00000000-0000-0000-0000-0000000000b1 is in tenant 00000000-0000-0000-0000-0000000000a1 according to targets/a.yaml:2, but this target says 00000000-0000-0000-0000-0000000000a2; a subscription belongs to one tenant — fix the wrong one' },
  },
  {
    name: 'target file names that differ only in case',
    files: { 'targets/Prod.yaml': T, 'targets/prod.yaml': T.replace('law-soc', 'law-two') },
    expect: { file: 'targets/prod.yaml', line: 2, col: 1, severity: 'error', code: 'check/duplicate-target-name', message: 'target file targets/prod.yaml differs only in case from targets/Prod.yaml; rename one (target names must differ ignoring case)' },
  },
  {
    name: 'a .YAML file the loader does not read',
    files: { 'analytics-rules/entra/other.YAML': GOOD_RULE },
    expect: { file: 'analytics-rules/entra/other.YAML', line: 1, col: 1, severity: 'error', code: 'content/ignored', message: 'is not read: content files end in .yaml — rename it to other.yaml' },
  },
  {
    name: 'a sub-folder of watchlists/ the loader does not read',
    files: { 'watchlists/old/NetworkAllowlist.yaml': WATCHLIST },
    expect: { file: 'watchlists/old', line: 1, col: 1, severity: 'error', code: 'content/ignored', message: 'is a sub-folder of watchlists/; files in it are not read — move them up into watchlists/' },
  },
  {
    name: 'collections nested too deeply',
    files: rule('version: 1.0.0\n', `version: 1.0.0\nx: ${'['.repeat(100)}${']'.repeat(100)}\n`),
    expect: { file: RULE, line: 33, col: 68, severity: 'error', code: 'yaml/too-deep', message: 'the document nests collections more than 64 levels deep; content files need only a few levels — flatten it' },
  },
  {
    name: 'target override of the wrong type',
    files: { 'targets/t.yaml': T + 'overrides:\n  - rules: good-rule\n    triggerThreshold: "2"\n' },
    expect: { file: 'targets/t.yaml', line: 10, col: 23, severity: 'error', code: 'schema/type', message: 'overrides[0].triggerThreshold must be a whole number (got "2")' },
  },
  {
    name: 'a target parameter given as a list where the rule declares a string',
    files: {
      [RULE]: GOOD_RULE.replace('  AuditLogs\n', '  let who = "x";\n  AuditLogs\n').replace('version: 1.0.0\n', 'parameters:\n  who:\n    type: string\n    default: x\n    description: Who\nversion: 1.0.0\n'),
      'targets/t.yaml': T + 'overrides:\n  - rules: entra/*\n    parameters:\n      who: [a, b]\n',
    },
    expect: { file: 'targets/t.yaml', line: 11, col: 12, severity: 'error', code: 'check/target-parameter-type', message: 'parameter "who": ["a","b"] is not a valid string parameter value (expected text); entra/good-rule declares it as string — plan and apply refuse this target until it is fixed' },
  },
  {
    name: 'a rule file that is a symlink pointing outside the repository',
    files: {},
    symlinks: { 'analytics-rules/entra/linked.yaml': '../../../outside-the-repo/rule.yaml' },
    expect: { file: 'analytics-rules/entra/linked.yaml', line: 1, col: 1, severity: 'error', code: 'content/ignored', message: 'is a symbolic link; content must be regular files in the repository (links are not followed) — replace it with the file itself' },
  },
];

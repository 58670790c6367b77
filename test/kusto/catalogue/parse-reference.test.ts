import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { parseTableReference, normaliseKustoType, KUSTO_SCALAR_TYPES } from '../../../scripts/kusto/catalogue/parse-reference.ts';
import { buildCatalogue, formatCatalogue, STANDARD_COLUMNS } from '../../../scripts/kusto/catalogue/refresh.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const catalogueDir = join(root, 'scripts', 'model', 'data');

// Small hand-written fixtures in the layouts seen in azure-monitor-ref/tables.
const INLINE_PAGE = `---
title: Azure Monitor Logs reference - WidgetEvents
description: Reference for WidgetEvents table in Azure Monitor Logs.
ms.topic: reference
---

# WidgetEvents

Widget lifecycle records used by the parser tests.

## Categories

- Security
- Audit

## Solutions

- LogManagement

## Columns

| Column | Type | Description |
| --- | --- | --- |
| TimeGenerated | datetime | when |
| WidgetId | Guid | id |
| Count | Int | how many |
| Ratio | Double | share |
| Size | BigInt | bytes |
| Enabled | Bool | flag |
| Seen | DateTime | last seen |
| Bag | dynamic | extras |
| Label | String | text with a \\| pipe |
|Broken|
| Weird | hashmap | unknown type |
| WidgetId | string | duplicate |
| _ResourceId | string | resource |
`;

const STUB_PAGE = `---
title: Azure Monitor Logs reference - GadgetLogs
description: Reference for GadgetLogs table in Azure Monitor Logs.
---

# GadgetLogs

Gadget logs.

## Categories

- Network

## Columns

[!INCLUDE [gadgetlogs](.././tables/includes/gadgetlogs-include.md)]
`;

const GADGET_INCLUDE = `---
ms.topic: include
ms.custom: GadgetLogs
---

| Column | Type | Description |
|---|---|---|
| GadgetName | string | name |
| Latency | real | ms |
| TimeGenerated | datetime | when |
`;

const WRONG_INCLUDE = GADGET_INCLUDE.replace('ms.custom: GadgetLogs', 'ms.custom: SomethingElse');

const NO_COLUMNS_PAGE = `---
title: Azure Monitor Logs reference - EmptyThing
---

# EmptyThing

Nothing to see.

## Categories

- Azure Resources
`;

describe('normaliseKustoType', () => {
  it('maps documented spellings to Kusto scalar types', () => {
    const cases: Record<string, string> = {
      string: 'string', String: 'string', int: 'int', Int: 'int', Int32: 'int', long: 'long', BigInt: 'long', Int64: 'long',
      real: 'real', Double: 'real', bool: 'bool', Bool: 'bool', Boolean: 'bool', datetime: 'datetime', DateTime: 'datetime',
      timespan: 'timespan', dynamic: 'dynamic', guid: 'guid', Guid: 'guid', decimal: 'decimal', '`string`': 'string',
    };
    for (const [raw, want] of Object.entries(cases)) expect(normaliseKustoType(raw), raw).toBe(want);
    expect(normaliseKustoType('hashmap')).toBeUndefined();
    expect(normaliseKustoType('')).toBeUndefined();
  });
});

describe('parseTableReference', () => {
  it('reads front matter, heading, summary, categories and the columns table', () => {
    const t = parseTableReference(INLINE_PAGE, 'widgetevents.md');
    expect(t.name).toBe('WidgetEvents');
    expect(t.description).toBe('Widget lifecycle records used by the parser tests.');
    expect(t.categories).toEqual(['Security', 'Audit']);
    expect(t.columns).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'WidgetId', type: 'guid' },
      { name: 'Count', type: 'int' },
      { name: 'Ratio', type: 'real' },
      { name: 'Size', type: 'long' },
      { name: 'Enabled', type: 'bool' },
      { name: 'Seen', type: 'datetime' },
      { name: 'Bag', type: 'dynamic' },
      { name: 'Label', type: 'string' },
      { name: '_ResourceId', type: 'string' },
    ]);
  });

  it('reports malformed rows, unknown types and duplicates instead of throwing', () => {
    const t = parseTableReference(INLINE_PAGE, 'widgetevents.md');
    expect(t.warnings.some((w) => w.includes('malformed row') && w.includes('Broken'))).toBe(true);
    expect(t.warnings.some((w) => w.includes('unknown type') && w.includes('hashmap'))).toBe(true);
    expect(t.warnings.some((w) => w.includes('duplicate column WidgetId'))).toBe(true);
  });

  it('falls back to the front-matter title and then the file name for the table name', () => {
    const noHeading = INLINE_PAGE.replace('# WidgetEvents\n', '');
    expect(parseTableReference(noHeading, 'widgetevents.md').name).toBe('WidgetEvents');
    const bare = '## Columns\n\n| Column | Type |\n|---|---|\n| A | string |\n';
    const t = parseTableReference(bare, 'some/dir/plainthing.md');
    expect(t.name).toBe('plainthing');
    expect(t.columns).toEqual([{ name: 'A', type: 'string' }]);
    expect(t.description).toBe('');
  });

  it('warns when the page name and the file name disagree', () => {
    const t = parseTableReference(INLINE_PAGE, 'otherthing.md');
    expect(t.warnings.some((w) => w.includes('does not match'))).toBe(true);
  });

  it('resolves [!INCLUDE] column files given by path or base name', () => {
    const byPath = parseTableReference(STUB_PAGE, 'gadgetlogs.md', { '.././tables/includes/gadgetlogs-include.md': GADGET_INCLUDE });
    expect(byPath.includes).toEqual(['.././tables/includes/gadgetlogs-include.md']);
    expect(byPath.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['GadgetName:string', 'Latency:real', 'TimeGenerated:datetime']);
    expect(byPath.categories).toEqual(['Network']);
    const byBase = parseTableReference(STUB_PAGE, 'gadgetlogs.md', { 'gadgetlogs-include': GADGET_INCLUDE });
    expect(byBase.columns).toHaveLength(3);
  });

  it('ignores an include whose ms.custom names another table, and reports a missing include', () => {
    const wrong = parseTableReference(STUB_PAGE, 'gadgetlogs.md', { 'gadgetlogs-include': WRONG_INCLUDE });
    expect(wrong.columns).toEqual([]);
    expect(wrong.warnings.some((w) => w.includes('SomethingElse'))).toBe(true);
    const missing = parseTableReference(STUB_PAGE, 'gadgetlogs.md');
    expect(missing.columns).toEqual([]);
    expect(missing.warnings.some((w) => w.includes('not available'))).toBe(true);
  });

  it('handles a page without a Columns section', () => {
    const t = parseTableReference(NO_COLUMNS_PAGE, 'emptything.md');
    expect(t.name).toBe('EmptyThing');
    expect(t.categories).toEqual(['Azure Resources']);
    expect(t.columns).toEqual([]);
    expect(t.warnings.some((w) => w.includes('no Columns section'))).toBe(true);
  });
});

describe('buildCatalogue (refresh)', () => {
  it('reads a clone layout, resolves includes, adds standard columns and additions, sorts deterministically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'azref-'));
    const tables = join(dir, 'azure-monitor-ref', 'tables');
    mkdirSync(join(tables, 'includes'), { recursive: true });
    writeFileSync(join(tables, 'widgetevents.md'), INLINE_PAGE);
    writeFileSync(join(tables, 'gadgetlogs.md'), STUB_PAGE);
    writeFileSync(join(tables, 'includes', 'gadgetlogs-include.md'), GADGET_INCLUDE);
    writeFileSync(join(tables, 'emptything.md'), NO_COLUMNS_PAGE);
    writeFileSync(join(tables, 'tables-category.md'), '# index\n');
    const additions = {
      tables: [{ name: 'Extra', columns: [['TimeGenerated', 'datetime'] as [string, string]], why: 'test' }],
      columns: [{ table: 'GadgetLogs', columns: [['Owner', 'string'] as [string, string]], why: 'test' }],
    };
    const { catalogue, warnings } = buildCatalogue(dir, additions, '2026-12-01');
    expect(catalogue.tables.map((t) => t.name)).toEqual(['Extra', 'GadgetLogs', 'WidgetEvents']);
    const gadget = catalogue.tables.find((t) => t.name === 'GadgetLogs')!;
    expect(gadget.columns.slice(0, 3)).toEqual([['GadgetName', 'string'], ['Latency', 'real'], ['TimeGenerated', 'datetime']]);
    for (const [n, ty] of STANDARD_COLUMNS) expect(gadget.columns).toContainEqual([n, ty]);
    expect(gadget.columns.at(-1)).toEqual(['Owner', 'string']);
    expect(warnings.some((w) => w.includes('emptything.md'))).toBe(true);
    const text = formatCatalogue(catalogue);
    expect(JSON.parse(text)).toEqual(catalogue);
    expect(formatCatalogue(buildCatalogue(dir, additions, '2026-12-01').catalogue)).toBe(text);
  });
});

interface CatalogueFile {
  source: string;
  retrieved: string;
  tables: { name: string; description: string; categories: string[]; columns: [string, string][] }[];
}
interface AsimFile {
  functions: { name: string; schema: string; columnsFrom: string; parameters: { name: string; type: string; default: string }[]; extraColumns: [string, string][] }[];
}

describe('committed catalogue data', () => {
  const catalogue = JSON.parse(readFileSync(join(catalogueDir, 'tables.json'), 'utf8')) as CatalogueFile;
  const asim = JSON.parse(readFileSync(join(catalogueDir, 'asim.json'), 'utf8')) as AsimFile;
  const byName = new Map(catalogue.tables.map((t) => [t.name, t]));
  const scalar = new Set<string>(KUSTO_SCALAR_TYPES);

  it('has at least 400 uniquely named tables, sorted by name', () => {
    expect(catalogue.tables.length).toBeGreaterThanOrEqual(400);
    expect(byName.size).toBe(catalogue.tables.length);
    const lower = catalogue.tables.map((t) => t.name.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    expect([...lower].sort()).toEqual(lower);
    expect(catalogue.source).toMatch(/azure-reference-other/);
  });

  it('has no duplicate columns and only Kusto scalar types', () => {
    for (const t of catalogue.tables) {
      const names = t.columns.map((c) => c[0]);
      expect(new Set(names).size, t.name).toBe(names.length);
      for (const [, type] of t.columns) expect(scalar.has(type), `${t.name} ${type}`).toBe(true);
      expect(t.columns.length, t.name).toBeGreaterThan(STANDARD_COLUMNS.length - 1);
    }
  });

  it('contains the key security tables', () => {
    const key = [
      'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs', 'AuditLogs',
      'AADProvisioningLogs', 'AADRiskyUsers', 'AADUserRiskEvents', 'MicrosoftGraphActivityLogs', 'AzureActivity', 'AzureDiagnostics',
      'AzureMetrics', 'StorageBlobLogs', 'DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceFileEvents', 'DeviceLogonEvents',
      'DeviceRegistryEvents', 'EmailEvents', 'IdentityLogonEvents', 'CloudAppEvents', 'AlertInfo', 'AlertEvidence', 'UrlClickEvents',
      'SecurityEvent', 'WindowsEvent', 'Event', 'Syslog', 'CommonSecurityLog', 'OfficeActivity', 'ThreatIntelligenceIndicator',
      'ThreatIntelIndicators', 'BehaviorAnalytics', 'IdentityInfo', 'Anomalies', 'ASimDnsActivityLogs', 'ASimNetworkSessionLogs',
      'ASimAuthenticationEventLogs', 'AWSCloudTrail', 'GCPAuditLogs', 'AZFWNetworkRule', 'Heartbeat', 'SentinelHealth', 'SecurityAlert',
      'SecurityIncident', 'Watchlist', 'Usage',
    ];
    for (const name of key) expect(byName.has(name), name).toBe(true);
  });

  it('gives every table the standard Log Analytics columns', () => {
    for (const t of catalogue.tables) for (const [n, ty] of STANDARD_COLUMNS) expect(t.columns, `${t.name}.${n}`).toContainEqual([n, ty]);
  });

  it('points every ASIM function at a catalogue table and uses scalar parameter types', () => {
    expect(asim.functions.length).toBeGreaterThan(0);
    for (const f of asim.functions) {
      expect(byName.has(f.columnsFrom), `${f.name} -> ${f.columnsFrom}`).toBe(true);
      for (const p of f.parameters) expect(scalar.has(p.type), `${f.name}.${p.name}`).toBe(true);
      for (const [, type] of f.extraColumns) expect(scalar.has(type), f.name).toBe(true);
    }
    for (const name of ['_Im_Dns', 'imDns', '_ASim_Dns', 'ASimDns', '_Im_NetworkSession', 'imNetworkSession', '_Im_Authentication', '_Im_ProcessCreate', '_Im_FileEvent', '_Im_WebSession', '_Im_RegistryEvent', '_Im_AuditEvent', '_Im_UserManagement'])
      expect(asim.functions.some((f) => f.name === name), name).toBe(true);
    const dns = asim.functions.find((f) => f.name === '_Im_Dns')!;
    expect(dns.parameters[0]).toEqual({ name: 'starttime', type: 'datetime', default: 'datetime(null)' });
  });

  it('covers every column of the repo table definitions (skipped when the folder is absent)', () => {
    const dir = [join(root, 'scripts', 'kusto', 'tables'), join(root, 'scripts', 'kql', 'tables')].find((d) => existsSync(d));
    if (!dir) return;
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    for (const f of files) {
      const def = YAML.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; columns: { name: string; type: string }[] };
      const t = byName.get(def.name);
      expect(t, def.name).toBeDefined();
      const have = new Set(t!.columns.map((c) => c[0]));
      for (const c of def.columns) expect(have.has(c.name), `${def.name}.${c.name}`).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../scripts/model/types.ts';
import { SARIF_SCHEMA_URI, fromSarif, renderSarif, toSarif } from '../../scripts/render/sarif.ts';
import { expectValidSarif, sarifSchemaErrors } from './sarif-schema.ts';

const findings: Diagnostic[] = [
  { file: 'analytics-rules/entra/a.yaml', line: 14, col: 9, endLine: 14, endCol: 24, severity: 'error', code: 'kql/KS142', message: "Unknown column 'Foo'" },
  { file: 'analytics-rules/entra/a.yaml', line: 3, col: 11, severity: 'warning', code: 'check/lookback', message: 'ago(30d) looks back further than queryPeriod 14d' },
  { file: 'watchlists/NetworkAllowlist.yaml', line: 20, col: 17, severity: 'info', code: 'check/lookback', message: 'note' },
  { file: 'analytics-rules/aws/b c.yaml', line: 7, col: 1, severity: 'error', code: 'schema/enum', message: 'severity must be one of High, Medium, Low, Informational (got "Hgh")' },
];

describe('SARIF 2.1.0', () => {
  it('is valid against the schema subset GitHub reads', () => {
    expectValidSarif(toSarif(findings));
    expectValidSarif(JSON.parse(renderSarif([])));
  });

  it('the schema check itself rejects what GitHub would reject', () => {
    const broken = structuredClone(toSarif(findings)) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    const result = broken.runs[0]!.results[0]!;
    result.level = 'fatal';
    (result.locations as { physicalLocation: { region: { startLine: number } } }[])[0]!.physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/runs\/0\/results\/0\/level /),
        expect.stringMatching(/^\/runs\/0\/results\/0\/locations\/0\/physicalLocation\/region\/startLine must be >= 1/),
      ]),
    );
  });

  it('declares one driver rule per diagnostic code, sorted, with the most severe level as default', () => {
    const log = toSarif(findings, { toolVersion: '1.2.3', informationUri: 'https://example.invalid/docs' });
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'sentinel-content-as-code', version: '1.2.3', informationUri: 'https://example.invalid/docs' });
    expect(driver.rules.map((r) => [r.id, r.name, r.defaultConfiguration.level])).toEqual([
      ['check/lookback', 'CheckLookback', 'warning'],
      ['kql/KS142', 'KqlKS142', 'error'],
      ['schema/enum', 'SchemaEnum', 'error'],
    ]);
    expect(driver.rules[1]!.shortDescription.text).toBe('KQL query: kql/KS142');
    expect(driver.rules[1]!.properties.tags).toEqual(['sentinel', 'kql']);
  });

  it('uses given rule descriptions and help links', () => {
    const log = toSarif(findings.slice(0, 1), {
      ruleDescriptions: { 'kql/KS142': 'Query names a column its table does not have' },
      helpUri: (code) => `https://example.invalid/rules#${encodeURIComponent(code)}`,
    });
    expect(log.runs[0]!.tool.driver.rules[0]).toMatchObject({
      shortDescription: { text: 'Query names a column its table does not have' },
      helpUri: 'https://example.invalid/rules#kql%2FKS142',
    });
  });

  it('emits one result per finding with level, rule index and a repo-relative physical location', () => {
    const results = toSarif(findings).runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['kql/KS142', 1, 'error'],
      ['check/lookback', 0, 'warning'],
      ['check/lookback', 0, 'note'],
      ['schema/enum', 2, 'error'],
    ]);
    expect(results[0]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'analytics-rules/entra/a.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 14, startColumn: 9, endLine: 14, endColumn: 24 },
    });
    expect(results[1]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 3, startColumn: 11 });
    expect(results[3]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('analytics-rules/aws/b%20c.yaml');
    expect(results[3]!.message.text).toContain('(got "Hgh")');
  });

  it('never emits a region that ends before it starts', () => {
    const region = toSarif([{ ...findings[0]!, endCol: 2 }]).runs[0]!.results[0]!.locations[0]!.physicalLocation.region;
    expect(region).toEqual({ startLine: 14, startColumn: 9, endLine: 14 });
  });

  it('renders stable, newline-terminated JSON with the schema URI', () => {
    const text = renderSarif(findings);
    expect(text).toBe(renderSarif(findings));
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ $schema: SARIF_SCHEMA_URI, version: '2.1.0' });
  });

  it('reads back into the same diagnostics (one validate run feeds summary and comment)', () => {
    expect(fromSarif(JSON.parse(renderSarif(findings)))).toEqual(findings);
  });
});

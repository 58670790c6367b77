import { describe, expect, it } from 'vitest';
import { applyEdits, findRuleQuirks, normaliseRule, originalPath } from '../../scripts/model/compat.ts';

/** A canonical rule document (as parsed YAML); each test adds one quirk. */
const base = () => ({
  id: '3d1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  name: 'Quirk fixture',
  description: 'Written for these tests.',
  severity: 'Low',
  kind: 'Scheduled',
  requiredDataConnectors: [{ connectorId: 'AzureActiveDirectory', dataTypes: ['AuditLogs'] }],
  queryFrequency: '1h',
  queryPeriod: '1h',
  triggerOperator: 'gt',
  triggerThreshold: 0,
  tactics: ['Persistence'],
  relevantTechniques: ['T1098'],
  query: 'AuditLogs | take 1',
  version: '1.0.0',
});

const codes = (doc: unknown) => findRuleQuirks(doc).map((q) => `${q.code} ${q.path.join('.')}`);

describe('Azure-Sentinel rule quirks', () => {
  it('finds none in a canonical rule', () => {
    expect(findRuleQuirks(base())).toEqual([]);
  });

  it('key case: datatypes, Kind (Newtonsoft matches property names case-insensitively)', () => {
    const doc = { ...base(), requiredDataConnectors: [{ connectorId: 'X', datatypes: ['T'] }] } as Record<string, unknown>;
    delete doc.kind;
    doc.Kind = 'Scheduled';
    expect(codes(doc)).toEqual(['compat/key-case requiredDataConnectors.0.datatypes', 'compat/key-case Kind']);
    const { value } = normaliseRule(doc);
    expect(value).toMatchObject({ kind: 'Scheduled', requiredDataConnectors: [{ connectorId: 'X', dataTypes: ['T'] }] });
    expect(value).not.toHaveProperty('Kind');
  });

  it('value case: kind scheduled, severity medium, aggregationKind alertperresult', () => {
    const doc = { ...base(), kind: 'scheduled', severity: 'medium', eventGroupingSettings: { aggregationKind: 'alertperresult' } };
    expect(codes(doc)).toEqual(['compat/value-case severity', 'compat/value-case kind', 'compat/value-case eventGroupingSettings.aggregationKind']);
    expect(normaliseRule(doc).value).toMatchObject({ kind: 'Scheduled', severity: 'Medium', eventGroupingSettings: { aggregationKind: 'AlertPerResult' } });
  });

  it('a value that is no allowed value in any case is not a quirk (the schema reports it)', () => {
    expect(codes({ ...base(), severity: 'Hgh', kind: 'Fusion' })).toEqual([]);
  });

  it('null optional fields are removed; requiredDataConnectors becomes []', () => {
    const doc = { ...base(), entityMappings: null, metadata: null, customDetails: null, requiredDataConnectors: null, alertDetailsOverride: { alertDisplayNameFormat: 'x', alertTacticsColumnName: null } };
    expect(codes(doc)).toEqual([
      'compat/null-value requiredDataConnectors', 'compat/null-value entityMappings', 'compat/null-value metadata',
      'compat/null-value customDetails', 'compat/null-value alertDetailsOverride.alertTacticsColumnName',
    ]);
    const { value } = normaliseRule(doc) as { value: Record<string, unknown> };
    expect(value.requiredDataConnectors).toEqual([]);
    expect(value).not.toHaveProperty('entityMappings');
    expect(value.alertDetailsOverride).toEqual({ alertDisplayNameFormat: 'x' });
  });

  it('a null required field is not a quirk (the schema reports it)', () => {
    expect(codes({ ...base(), query: null })).toEqual([]);
  });

  it('legacy ARM fields: techniques renamed, template references dropped, duplicates removed', () => {
    const doc = { ...base(), techniques: ['T1078'], alertRuleTemplateName: '3d1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', lastModifiedUtc: '2026-01-01T00:00:00Z' } as Record<string, unknown>;
    delete doc.relevantTechniques;
    expect(codes(doc)).toEqual(['compat/legacy-field techniques', 'compat/legacy-field alertRuleTemplateName', 'compat/legacy-field lastModifiedUtc']);
    const { value } = normaliseRule(doc);
    expect(value).toMatchObject({ relevantTechniques: ['T1078'] });
    expect(value).not.toHaveProperty('alertRuleTemplateName');
    // Both spellings saying the same: the ARM one goes.
    expect(findRuleQuirks({ ...base(), techniques: ['T1098'] })[0]!.edits).toEqual([{ op: 'remove', path: ['techniques'] }]);
  });

  it('techniques that differ from relevantTechniques are merged in the model and left to a person in the file', () => {
    const doc = { ...base(), techniques: ['T1078'] };
    const [q] = findRuleQuirks(doc);
    expect(q!.code).toBe('compat/legacy-field');
    expect(q!.edits).toBeUndefined();
    expect(normaliseRule(doc).value).toMatchObject({ relevantTechniques: ['T1098', 'T1078'] });
  });

  it('displayName: renamed to name when there is none, kept apart (by hand) when it differs', () => {
    const doc = { ...base(), displayName: 'Quirk fixture' } as Record<string, unknown>;
    expect(findRuleQuirks(doc)[0]!.edits).toEqual([{ op: 'remove', path: ['displayName'] }]);
    delete doc.name;
    expect(findRuleQuirks(doc)[0]!.edits).toEqual([{ op: 'rename', path: ['displayName'], to: 'name' }]);
    const differs = { ...base(), displayName: 'Other' };
    expect(findRuleQuirks(differs)[0]).toMatchObject({ message: expect.stringContaining('which says something else') });
    expect(normaliseRule(differs).value).toMatchObject({ name: 'Quirk fixture' });
  });

  it('a missing kind reads as Scheduled', () => {
    const doc = base() as Record<string, unknown>;
    delete doc.kind;
    expect(codes(doc)).toEqual(['compat/kind-missing ']);
    expect(normaliseRule(doc).value).toMatchObject({ kind: 'Scheduled' });
  });

  it('a missing version reads as 1.0.0', () => {
    const doc = base() as Record<string, unknown>;
    delete doc.version;
    expect(codes(doc)).toEqual(['compat/version-missing ']);
    expect(normaliseRule(doc).value).toMatchObject({ version: '1.0.0' });
  });

  it('ARM trigger operators and ISO / TimeSpan durations take the rule-file spelling', () => {
    const doc = { ...base(), triggerOperator: 'GreaterThan', queryFrequency: 'PT1H', queryPeriod: '1.00:00:00', suppressionDuration: 'PT5H', suppressionEnabled: false };
    expect(codes(doc)).toEqual(['compat/trigger-operator triggerOperator', 'compat/duration-form queryFrequency', 'compat/duration-form queryPeriod', 'compat/duration-form suppressionDuration']);
    expect(normaliseRule(doc).value).toMatchObject({ triggerOperator: 'gt', queryFrequency: '1h', queryPeriod: '1d', suppressionDuration: '5h' });
    // 90 seconds has no short form: left for the schema to report.
    expect(codes({ ...base(), queryFrequency: 'PT90S' })).toEqual([]);
  });

  it('content-hub metadata fields at the top level move under metadata', () => {
    const doc = { ...base(), author: { name: 'Someone' }, support: { tier: 'Community' } };
    const quirks = findRuleQuirks(doc);
    expect(quirks.map((q) => [q.code, q.edits])).toEqual([
      ['compat/metadata-field', [{ op: 'move', path: ['author'], into: 'metadata' }]],
      ['compat/metadata-field', [{ op: 'move', path: ['support'], into: 'metadata' }]],
    ]);
    expect(normaliseRule(doc).value).toEqual({ ...base(), metadata: { author: { name: 'Someone' }, support: { tier: 'Community' } } });
    // Already under metadata too: which one is right is for a person to say.
    const both = { ...base(), author: { name: 'A' }, metadata: { author: { name: 'B' } } };
    expect(findRuleQuirks(both)[0]!.edits).toBeUndefined();
  });

  it('a single tag becomes a list', () => {
    expect(normaliseRule({ ...base(), tags: 'Schema: ASimDns' }).value).toMatchObject({ tags: ['Schema: ASimDns'] });
  });

  it('applyEdits does not change its input and keeps key order on rename', () => {
    const doc = { a: 1, datatypes: [1], c: 2 };
    const out = applyEdits(doc, [{ op: 'rename', path: ['datatypes'], to: 'dataTypes' }]);
    expect(Object.keys(out)).toEqual(['a', 'dataTypes', 'c']);
    expect(doc).toHaveProperty('datatypes');
  });

  it('originalPath maps a canonical path back through renames', () => {
    const doc = { ...base(), requiredDataConnectors: [{ connectorId: 'X', datatypes: ['T'] }] };
    expect(originalPath(['requiredDataConnectors', 0, 'dataTypes', 0], findRuleQuirks(doc))).toEqual(['requiredDataConnectors', 0, 'datatypes', 0]);
  });
});

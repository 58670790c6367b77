import { describe, expect, it } from 'vitest';
import { applyYamlEdits, withSchemaHeader } from '../../scripts/content/yaml-edit.ts';

describe('YAML edits on the token tree keep comments and layout', () => {
  it('rename: only the key changes, its trailing comment and the nested list stay', () => {
    const src = [
      'connectors:',
      '  # first connector',
      '  - connectorId: AzureActiveDirectory',
      '    datatypes:   # spelled in lower case upstream',
      '      - AuditLogs',
      '',
    ].join('\n');
    expect(applyYamlEdits(src, [{ op: 'rename', path: ['connectors', 0, 'datatypes'], to: 'dataTypes' }])).toBe(src.replace('datatypes:', 'dataTypes:'));
  });

  it('set: a scalar keeps its quoting and its comment', () => {
    const src = "kind: 'scheduled'   # as exported\nqueryPeriod: \"01:00:00\"\n";
    expect(applyYamlEdits(src, [
      { op: 'set', path: ['kind'], value: 'Scheduled' },
      { op: 'set', path: ['queryPeriod'], value: '1h' },
    ])).toBe("kind: 'Scheduled'   # as exported\nqueryPeriod: \"1h\"\n");
  });

  it('set []: an empty (null) list field becomes [] and what followed stays', () => {
    const src = 'a: 1\nrequiredDataConnectors:\n# nothing needed\nb: null  # later\n';
    expect(applyYamlEdits(src, [
      { op: 'set', path: ['requiredDataConnectors'], value: [] },
      { op: 'set', path: ['b'], value: [] },
    ])).toBe('a: 1\nrequiredDataConnectors: []\n# nothing needed\nb: []  # later\n');
  });

  it('remove: the entry goes, comments before, on and after it stay as lines of their own', () => {
    const src = [
      'name: x',
      '# mappings are added later',
      'entityMappings:',
      '# keep this note',
      'customDetails: null   # none yet',
      'version: 1.0.0',
      '',
    ].join('\n');
    expect(applyYamlEdits(src, [
      { op: 'remove', path: ['entityMappings'] },
      { op: 'remove', path: ['customDetails'] },
    ])).toBe(['name: x', '# mappings are added later', '# keep this note', '# none yet', 'version: 1.0.0', ''].join('\n'));
  });

  it('remove in a nested mapping: first, middle and last entries keep the indentation right', () => {
    const src = 'o:\n  a:\n  b: 1\n  c:\n  d: 2\n  e:\nz: 3\n';
    expect(applyYamlEdits(src, [
      { op: 'remove', path: ['o', 'a'] },
      { op: 'remove', path: ['o', 'c'] },
      { op: 'remove', path: ['o', 'e'] },
    ])).toBe('o:\n  b: 1\n  d: 2\nz: 3\n');
  });

  it('remove keeps a nested comment at its indentation', () => {
    const src = 'o:\n  b: 1\n  # about c\n  c:\n  d: 2\n';
    expect(applyYamlEdits(src, [{ op: 'remove', path: ['o', 'c'] }])).toBe('o:\n  b: 1\n  # about c\n  d: 2\n');
  });

  it('remove in a nested mapping keeps a blank line and the comment on the removed line', () => {
    expect(applyYamlEdits('o:\n  a: 1\n  # note\n  b: null # none\n\n  c: 2\n', [{ op: 'remove', path: ['o', 'b'] }]))
      .toBe('o:\n  a: 1\n  # note\n  # none\n\n  c: 2\n');
    expect(applyYamlEdits('o:\n  - x:\n    y: 2\n', [{ op: 'remove', path: ['o', 0, 'x'] }])).toBe('o:\n  - y: 2\n');
  });

  it('add: a top-level entry at the end, also when the file has no final newline', () => {
    expect(applyYamlEdits('a: 1\n', [{ op: 'add', path: [], key: 'kind', value: 'Scheduled' }])).toBe('a: 1\nkind: Scheduled\n');
    expect(applyYamlEdits('a: |\n  text\n', [{ op: 'add', path: [], key: 'kind', value: 'Scheduled' }])).toBe('a: |\n  text\nkind: Scheduled\n');
    expect(applyYamlEdits('a: 1', [{ op: 'add', path: [], key: 'kind', value: 'Scheduled' }])).toBe('a: 1\nkind: Scheduled\n');
  });

  it('a CRLF file stays CRLF, also in what the edits add', () => {
    const src = 'a: 1\r\nb:   # none\r\n# keep\r\nc: 2\r\n';
    expect(applyYamlEdits(src, [{ op: 'remove', path: ['b'] }, { op: 'add', path: [], key: 'kind', value: 'Scheduled' }]))
      .toBe('a: 1\r\n# none\r\n# keep\r\nc: 2\r\nkind: Scheduled\r\n');
    expect(withSchemaHeader('a: 1\r\n', 'x.json')).toBe('# yaml-language-server: $schema=x.json\r\na: 1\r\n');
  });

  it('block scalars elsewhere are untouched byte for byte', () => {
    const src = 'query: |\n  T\n  | where x == "a b"   \n\n  | take 1\nSeverity: low\n';
    expect(applyYamlEdits(src, [{ op: 'rename', path: ['Severity'], to: 'severity' }])).toBe(src.replace('Severity:', 'severity:'));
  });

  it('refuses what it cannot do on this tree: flow mappings, missing nodes, a rename onto an existing key', () => {
    expect(applyYamlEdits('o: {a: 1}\n', [{ op: 'rename', path: ['o', 'a'], to: 'b' }])).toBeUndefined();
    expect(applyYamlEdits('a: 1\n', [{ op: 'remove', path: ['nope'] }])).toBeUndefined();
    expect(applyYamlEdits('a: 1\nA: 2\n', [{ op: 'rename', path: ['A'], to: 'a' }])).toBeUndefined();
    expect(applyYamlEdits('a: [\n', [{ op: 'remove', path: ['a'] }])).toBeUndefined();
  });
});

describe('schema header', () => {
  const path = '../../scripts/content/schemas/rule.schema.json';
  it('is added as the first line, above existing comments', () => {
    expect(withSchemaHeader('# note\nid: x\n', path)).toBe(`# yaml-language-server: $schema=${path}\n# note\nid: x\n`);
  });
  it('is corrected in place when it names another path', () => {
    expect(withSchemaHeader('# yaml-language-server: $schema=../rule.schema.json\n# note\nid: x\n', path)).toBe(`# yaml-language-server: $schema=${path}\n# note\nid: x\n`);
  });
  it('is left alone when right', () => {
    const src = `# yaml-language-server: $schema=${path}\nid: x\n`;
    expect(withSchemaHeader(src, path)).toBe(src);
  });
});

import { describe, expect, it } from 'vitest';
import { parseYamlFile, firstInvalidUtf8, MAX_ALIAS_COUNT } from '../../scripts/content/yaml.ts';

const QUERY = 'AuditLogs\n| where OperationName == "x"\n| project Foo';
const target = QUERY.indexOf('Foo');

function pos(yaml: string) {
  const r = parseYamlFile('f.yaml', yaml);
  expect(r.diagnostics).toEqual([]);
  return r.source.offsetPos(['query'], target);
}

describe('offsetPos maps a query offset back to file line:col', () => {
  it('literal block |', () => {
    expect(pos(`a: 1\nquery: |\n  AuditLogs\n  | where OperationName == "x"\n  | project Foo\n`)).toEqual({ line: 5, col: 13 });
  });
  it('literal block |- with deeper indentation', () => {
    expect(pos(`a: 1\nquery: |-\n      AuditLogs\n      | where OperationName == "x"\n      | project Foo\n`)).toEqual({ line: 5, col: 17 });
  });
  it('folded block > (blank lines keep newlines)', () => {
    expect(pos(`query: >\n  AuditLogs\n\n  | where OperationName == "x"\n\n  | project Foo\n`)).toEqual({ line: 6, col: 13 });
  });
  it('double-quoted with escapes', () => {
    expect(pos(`query: "AuditLogs\\n| where OperationName == \\"x\\"\\n| project Foo"\n`)).toEqual({ line: 1, col: 62 });
  });
  it('single-quoted with doubled quotes and folded lines', () => {
    const r = parseYamlFile('f.yaml', `query: 'AuditLogs | where X == ''y''\n  | project Foo'\n`);
    const value = (r.value as { query: string }).query;
    expect(value).toBe("AuditLogs | where X == 'y' | project Foo");
    expect(r.source.offsetPos(['query'], value.indexOf('Foo'))).toEqual({ line: 2, col: 13 });
  });
  it('plain scalar', () => {
    const r = parseYamlFile('f.yaml', `query: AuditLogs | project Foo\n`);
    expect(r.source.offsetPos(['query'], 'AuditLogs | project '.length)).toEqual({ line: 1, col: 28 });
  });
});

describe('pos and keyPos', () => {
  const r = parseYamlFile('f.yaml', 'a:\n  - b: 1\n    c: [x, y]\n');
  it('finds nested values and keys', () => {
    expect(r.source.pos(['a', 0, 'c', 1])).toEqual({ line: 3, col: 12 });
    expect(r.source.keyPos(['a', 0, 'c'])).toEqual({ line: 3, col: 5 });
  });
  it('falls back to the nearest existing ancestor', () => {
    expect(r.source.pos(['a', 0, 'missing'])).toEqual({ line: 2, col: 5 });
  });
});

describe('unsafe input', () => {
  it('stops alias expansion at the cap', () => {
    const doc = 'a: &a [1]\n' + Array.from({ length: MAX_ALIAS_COUNT + 5 }, (_, i) => `k${i}: *a`).join('\n') + '\n';
    const r = parseYamlFile('f.yaml', doc);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics[0]!.code).toBe('yaml/alias-limit');
  });
  it('allows a few aliases', () => {
    const r = parseYamlFile('f.yaml', 'a: &a [1]\nb: *a\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({ a: [1], b: [1] });
  });
  it('finds the first invalid UTF-8 byte', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo'))).toBe(6);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc0, 0x80]))).toBe(1);
  });
  it('strips a byte-order mark', () => {
    expect(parseYamlFile('f.yaml', '\uFEFFa: 1\n').value).toEqual({ a: 1 });
  });
});

/**
 * Safe YAML parsing with source positions.
 *
 * Every problem with the bytes or the YAML itself (invalid UTF-8, tabs, duplicate keys, alias bombs,
 * several documents, dangerous keys, oversize files) becomes a Diagnostic at file:line:col; nothing
 * here throws on user input.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node as YamlNode,
  type Scalar,
} from 'yaml';
import type { Diagnostic, NodePath, Pos, SourceFile } from '../model/types.ts';

/** Content files are small; anything larger is almost certainly a mistake (or an attack). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Cap on alias dereferences per document (a "billion laughs" document needs many). */
export const MAX_ALIAS_COUNT = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deepest nesting of flow collections (`[`, `{`) a content file may use; real content needs a handful. */
export const MAX_NESTING = 64;
const TOO_DEEP = `the document nests collections more than ${MAX_NESTING} levels deep; content files need only a few levels — flatten it`;

/** Offset of the first `[`/`{` opening a collection deeper than MAX_NESTING (outside quotes and comments), or undefined. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      else if (c === '\n') quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

const isStackOverflow = (e: unknown) => e instanceof RangeError || /Maximum call stack size exceeded/.test(String((e as Error)?.message ?? e));

export interface ParsedYaml {
  /** The document as plain JS, or undefined when it could not be parsed safely. */
  value: unknown;
  source: SourceFile;
  diagnostics: Diagnostic[];
}

/** Parses one content file. `file` is repo-relative (used in messages only). */
export function parseYamlFile(file: string, bytes: Uint8Array | string): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  const at = (offset: number): Pos => lineCounter.linePos(offset);
  const add = (offset: number, code: string, message: string, severity: Diagnostic['severity'] = 'error') => {
    const p = at(offset);
    diagnostics.push({ file, line: p.line, col: p.col, severity, code, message });
  };

  const decoded = decode(bytes);
  const text = decoded.text;
  const failed = (): ParsedYaml => ({ value: undefined, source: makeSource(file, text, undefined, lineCounter), diagnostics });

  if (decoded.badByte !== undefined) {
    const { line, col } = lineColOfByte(bytes as Uint8Array, decoded.badByte);
    diagnostics.push({
      file, line, col, severity: 'error', code: 'yaml/encoding',
      message: `invalid UTF-8 byte sequence at byte ${decoded.badByte}; save the file as UTF-8`,
    });
    return failed();
  }
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_FILE_BYTES) {
    diagnostics.push({
      file, line: 1, col: 1, severity: 'error', code: 'yaml/too-large',
      message: `file is ${(size / 1024 / 1024).toFixed(1)} MB; content files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB — split it or move bulk data out`,
    });
    return failed();
  }
  if (text.trim() === '' || /^(\s*#[^\n]*\n?|\s*\n)*\s*$/.test(text)) {
    diagnostics.push({ file, line: 1, col: 1, severity: 'error', code: 'yaml/empty', message: 'file is empty; remove it or add content' });
    return failed();
  }

  // Deep nesting overflows the parser's recursion: say so plainly, before parsing.
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    // The parser has not counted lines yet: count them here.
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    diagnostics.push({ file, line, col: deep - before.lastIndexOf('\n'), severity: 'error', code: 'yaml/too-deep', message: TOO_DEEP });
    return failed();
  }
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    add(0, 'yaml/too-deep', TOO_DEEP);
    return failed();
  }
  const list = Array.isArray(docs) ? docs : [docs];
  // Block scalars (`|`, `>`) may hold tabs after their indentation: that is content, valid YAML.
  const blockScalars: [number, number][] = [];
  for (const d of list) {
    visit(d, {
      Scalar(_, node) {
        if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range) blockScalars.push([node.range[0], node.range[2]]);
      },
    });
  }
  const errorLines = new Set(list.flatMap((d) => d.errors.map((e) => at(e.pos[0]).line)));
  const inBlockScalar = (offset: number) => blockScalars.some(([a, b]) => offset > a && offset < b);
  // The parser reads tabs in indentation in odd ways; name the tab itself, once per line.
  const tabLines = new Set<number>();
  for (const m of text.matchAll(/^[ ]*\t/gm)) {
    const offset = (m.index ?? 0) + m[0].length - 1;
    if (inBlockScalar(offset) && !errorLines.has(at(offset).line)) continue;
    const line = at(offset).line;
    if (!tabLines.has(line)) {
      tabLines.add(line);
      add(offset, 'yaml/tab', 'tab character in indentation; YAML needs spaces');
    }
  }
  for (const doc of list) {
    for (const e of doc.errors) {
      // A tab derails the parser for the rest of its line; the tab is the one thing to fix.
      if (tabLines.has(at(e.pos[0]).line) || (tabLines.size > 0 && /tab/i.test(e.message))) continue;
      if (/Maximum call stack size exceeded/.test(e.message)) {
        add(e.pos[0], 'yaml/too-deep', TOO_DEEP);
        continue;
      }
      add(e.pos[0], yamlCode(e.code), cleanYamlMessage(e.code, e.message, restOfLine(text, e.pos[0])));
    }
  }
  if (list.length > 1) {
    const second = list[1]!;
    add(second.range[0], 'yaml/multi-document', `file holds ${list.length} YAML documents; put one item per file`);
  }
  const doc = list[0];
  if (!doc || diagnostics.length > 0) return failed();

  let unsafe = false;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        unsafe = true;
        add(pair.key.range?.[0] ?? 0, 'yaml/forbidden-key', `key "${String(pair.key.value)}" is not allowed (it would alter object prototypes)`);
      }
    },
  });
  if (unsafe) return failed();

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (isStackOverflow(e)) {
      add(0, 'yaml/too-deep', TOO_DEEP);
      return failed();
    }
    const firstAlias = findFirstAlias(doc);
    add(firstAlias ?? 0, 'yaml/alias-limit', `too many alias expansions (limit ${MAX_ALIAS_COUNT}): ${(e as Error).message.replace(/\.$/, '')}`);
    return failed();
  }
  if (value === null || value === undefined) {
    diagnostics.push({ file, line: 1, col: 1, severity: 'error', code: 'yaml/empty', message: 'file is empty; remove it or add content' });
    return failed();
  }
  return { value, source: makeSource(file, text, doc, lineCounter), diagnostics };
}

function restOfLine(text: string, offset: number): string {
  const nl = text.indexOf('\n', offset);
  return text.slice(offset, nl < 0 ? undefined : nl);
}

function yamlCode(code: string): string {
  return 'yaml/' + code.toLowerCase().replace(/_/g, '-');
}

function cleanYamlMessage(code: string, message: string, source: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
  if (code === 'DUPLICATE_KEY') {
    const key = source.replace(/:.*$/s, '').trim();
    return `duplicate key "${key}"; each key may appear once in a mapping — remove or merge one`;
  }
  return first;
}

function findFirstAlias(doc: Document): number | undefined {
  let pos: number | undefined;
  visit(doc, {
    Alias(_, node) {
      pos = node.range?.[0];
      return visit.BREAK;
    },
  });
  return pos;
}

function decode(bytes: Uint8Array | string): { text: string; badByte?: number } {
  if (typeof bytes === 'string') return { text: bytes.replace(/^\uFEFF/, '') };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { text: '', badByte: firstInvalidUtf8(bytes) };
  }
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

function lineColOfByte(b: Uint8Array, offset: number): Pos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (b[i] === 0x0a) { line++; lineStart = i + 1; }
  // Column in characters of the valid prefix of the line.
  const prefix = new TextDecoder('utf-8').decode(b.subarray(lineStart, offset));
  return { line, col: prefix.length + 1 };
}

/** Resolves a key/index path to the YAML node, the map pair holding it, and how far it got. */
function resolve(doc: Document | undefined, path: NodePath): { node?: YamlNode; key?: YamlNode; nearest?: YamlNode } {
  let node: unknown = doc?.contents;
  let key: YamlNode | undefined;
  let nearest: YamlNode | undefined = (node as YamlNode) ?? undefined;
  for (const seg of path) {
    if (isAlias(node) && doc) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { nearest };
      key = pair.key as YamlNode;
      node = pair.value;
      nearest = (node as YamlNode) ?? key;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      key = undefined;
      if (!node) return { nearest };
      nearest = node as YamlNode;
    } else {
      return { nearest };
    }
  }
  return { node: (node as YamlNode) ?? undefined, key, nearest };
}

function makeSource(file: string, text: string, doc: Document | undefined, lc: LineCounter): SourceFile {
  const posOf = (offset: number): Pos => lc.linePos(offset);
  const first: Pos = { line: 1, col: 1 };
  return {
    file,
    text,
    pos(path) {
      const r = resolve(doc, path);
      const n = r.node ?? r.nearest;
      return n?.range ? posOf(n.range[0]) : first;
    },
    keyPos(path) {
      const r = resolve(doc, path);
      const n = r.key ?? r.node ?? r.nearest;
      return n?.range ? posOf(n.range[0]) : first;
    },
    offsetPos(path, offset) {
      const r = resolve(doc, path);
      const n = r.node;
      if (!n || !isScalar(n) || !n.range) return this.pos(path);
      return posOf(scalarOffsetToSource(text, n as Scalar, offset));
    },
  };
}

/**
 * Maps an offset in a scalar's parsed value to an offset in the source text, for plain, quoted,
 * literal and folded scalars. Non-whitespace characters map exactly; whitespace that the YAML
 * folding rules created or removed maps to the nearest source character.
 */
export function scalarOffsetToSource(text: string, node: Scalar, offset: number): number {
  const value = String(node.source ?? node.value ?? '');
  const [start, end] = [node.range![0], node.range![1]];
  let i = start;
  const type = node.type;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const nl = text.indexOf('\n', start);
    i = nl < 0 ? end : nl + 1;
  } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
    i = start + 1;
  }
  const target = Math.max(0, Math.min(offset, value.length));
  let v = 0;
  while (v < target && i < end) {
    const s = text[i]!;
    const c = value[v]!;
    if (type === 'QUOTE_DOUBLE' && s === '\\') {
      const nextCh = text[i + 1];
      if (nextCh === '\n' || nextCh === '\r') {
        i += 2;
        while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
        continue;
      }
      i += nextCh === 'x' ? 4 : nextCh === 'u' ? 6 : nextCh === 'U' ? 10 : 2;
      v++;
    } else if (type === 'QUOTE_SINGLE' && s === "'" && text[i + 1] === "'") {
      i += 2;
      v++;
    } else if (s === c) {
      i++;
      v++;
    } else if (s === ' ' || s === '\t' || s === '\n' || s === '\r') {
      i++;
    } else if (c === ' ' || c === '\n' || c === '\t') {
      v++;
    } else {
      // Should not happen; keep the mapping monotonic rather than fail.
      v++;
    }
  }
  // Land on the character itself, not on indentation before it.
  while (i < end && v < value.length && text[i] !== value[v] && /\s/.test(text[i]!)) i++;
  return i;
}

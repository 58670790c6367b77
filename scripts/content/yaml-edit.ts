/**
 * Edits of a YAML file on its concrete syntax tree (the `yaml` package's CST): only the tokens an
 * edit touches change, so comments, blank lines, quoting, indentation and block scalars elsewhere
 * stay byte for byte. Used by `sentinel fix`. An edit the tree does not allow here (a flow
 * collection on the way, a missing node) makes the whole call return undefined: the caller then
 * leaves the file alone and reports the change as one to make by hand.
 */
import { CST, Parser } from 'yaml';
import type { Edit } from '../model/compat.ts';
import type { NodePath } from '../model/types.ts';

type Token = CST.Token;
type SourceToken = CST.SourceToken;
type MapItem = CST.BlockMap['items'][number];
type SeqItem = CST.BlockSequence['items'][number];

const tok = (type: SourceToken['type'], source: string, indent = 0): SourceToken => ({ type, offset: 0, indent, source });
/** The file's line ending (CRLF files stay CRLF); set by the entry points below for the edit at hand. */
let NL = '\n';
const lineEnding = (text: string) => (/\r\n/.test(text) ? '\r\n' : '\n');
const newline = () => tok('newline', NL);
const space = (n: number) => tok('space', ' '.repeat(n));

class NotEditable extends Error {}

function keyText(item: MapItem): string | undefined {
  if (!item.key || !CST.isScalar(item.key)) return undefined;
  return CST.resolveAsScalar(item.key)?.value;
}

/** The block mapping at `path` (the document's top-level mapping for []). */
function mapAt(root: Token | undefined, path: NodePath): CST.BlockMap {
  const node = nodeAt(root, path);
  if (!node || node.type !== 'block-map') throw new NotEditable();
  return node;
}

function nodeAt(root: Token | undefined, path: NodePath): Token | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (node.type === 'block-map') node = node.items.find((i) => keyText(i) === String(seg))?.value;
    else if (node.type === 'block-seq' && typeof seg === 'number') node = (node.items[seg] as SeqItem | undefined)?.value;
    else throw new NotEditable();
  }
  return node;
}

/** The map entry at `path` and its mapping. */
function entryAt(root: Token | undefined, path: NodePath): { map: CST.BlockMap; index: number; item: MapItem } {
  const map = mapAt(root, path.slice(0, -1));
  const index = map.items.findIndex((i) => keyText(i) === String(path.at(-1)));
  if (index < 0) throw new NotEditable();
  return { map, index, item: map.items[index]! };
}

/** The value slot at `path`: a map entry's value or a sequence item's. */
function slotAt(root: Token | undefined, path: NodePath): { holder: { value?: Token; sep?: SourceToken[] } } {
  const last = path.at(-1);
  const parent = nodeAt(root, path.slice(0, -1));
  if (typeof last === 'number' && parent?.type === 'block-seq') {
    const item = parent.items[last];
    if (!item) throw new NotEditable();
    return { holder: item };
  }
  return { holder: entryAt(root, path).item };
}

function rename(root: Token | undefined, path: NodePath, to: string): void {
  const { map, item } = entryAt(root, path);
  if (map.items.some((i) => keyText(i) === to)) throw new NotEditable();
  CST.setScalarValue(item.key!, to);
}

function set(root: Token | undefined, path: NodePath, value: string | number | boolean | []): void {
  const { holder } = slotAt(root, path);
  if (!Array.isArray(value)) {
    if (!holder.value || !CST.isScalar(holder.value)) throw new NotEditable();
    CST.setScalarValue(holder.value, String(value));
    return;
  }
  // `key:` (null) or `key: null` → `key: []`, keeping what followed the value (comments, newline).
  const old = holder.value;
  if (old && !(CST.isScalar(old) && /^(null|Null|NULL|~)?$/.test(old.source ?? ''))) throw new NotEditable();
  const sep = holder.sep ?? [];
  const ind = sep.findIndex((t) => t.type === 'map-value-ind');
  if (ind < 0) throw new NotEditable();
  const afterIndicator = sep.slice(ind + 1);
  // What followed the null on its line (and after it) follows the `]`.
  const rest = old ? [...afterIndicator.filter((t) => t.type !== 'space'), ...(('end' in old ? old.end : undefined) ?? [])] : afterIndicator;
  holder.sep = [...sep.slice(0, ind + 1), space(1)];
  holder.value = {
    type: 'flow-collection', offset: 0, indent: 0,
    start: tok('flow-seq-start', '['), items: [],
    end: [tok('flow-seq-end', ']'), ...rest],
  };
}

/**
 * Removes a map entry; its comments (and blank lines) stay where they were, as lines of their own.
 * Indentation in the token tree sits either at the start of an entry or at the end of the entry
 * before it (or in its mapping's parent for the first entry), so it is moved with care.
 */
function remove(root: Token | undefined, path: NodePath): void {
  const { map, index, item } = entryAt(root, path);
  const next = map.items[index + 1];
  let text = CST.stringify(item);
  // Spaces after the last newline indent the next entry's line.
  const trailingIndent = /\n( +)$/.exec(text)?.[1];
  if (trailingIndent) text = text.slice(0, -trailingIndent.length);
  const endsLine = text.endsWith('\n');
  const lines = text.split(/\r?\n/);
  if (endsLine) lines.pop();
  // Whether this entry's own line indentation is its first token (else whatever precedes it holds it).
  const ownIndent = item.start[0]?.type === 'space';
  const keyLine = lines.findIndex((l) => !/^\s*(#.*)?$/.test(l));
  const kept: SourceToken[] = [];
  const line = (comment: string | undefined) => {
    if (comment !== undefined) {
      if (map.indent > 0 && (ownIndent || kept.length > 0)) kept.push(space(map.indent));
      kept.push(tok('comment', comment, map.indent));
    }
    kept.push(newline());
  };
  const scalarValue = item.value === undefined || item.value.type === 'scalar' || item.value.type === 'single-quoted-scalar' || item.value.type === 'double-quoted-scalar';
  lines.forEach((l, i) => {
    const comment = /(?:^|\s)(#.*)$/.exec(l)?.[1];
    if (i === keyLine) {
      // A comment after a plain or quoted value on the key line (block values have none there).
      if (comment !== undefined && scalarValue) line(comment);
      return;
    }
    if (i > keyLine && !scalarValue) return; // lines of a nested value go with it
    if (/^\s*$/.test(l)) line(undefined);
    else if (comment !== undefined && /^\s*#/.test(l)) line(comment);
  });
  if (!next) {
    if (kept.length) map.items.splice(index, 1, { start: kept });
    else map.items.splice(index, 1);
    if (map.items.length === 0) throw new NotEditable();
    return;
  }
  let start = next.start;
  // The entry's last line ends with the next entry's first token when it is not a newline of its own.
  if (!endsLine && start[0]?.type === 'newline') start = start.slice(1);
  if (kept.length === 0 && !ownIndent) {
    // What indented this entry now indents the next one.
    if (start[0]?.type === 'space') start = start.slice(1);
  } else if (start.at(-1)?.type !== 'space' && map.indent > 0) {
    start = [...start, space(map.indent)];
  }
  next.start = [...kept, ...start];
  map.items.splice(index, 1);
}

/** The block-map entries of a YAML fragment (parsed on its own). */
function fragmentItems(text: string): MapItem[] {
  const tokens = parse(text);
  const doc = tokens?.find((t): t is CST.Document => t.type === 'document');
  if (!doc || doc.value?.type !== 'block-map') throw new NotEditable();
  return doc.value.items;
}

/** An entry's text re-indented one level deeper (two spaces), ending with a line end. */
function indented(item: MapItem): string {
  const text = CST.stringify(item).replace(/\n +$/, '\n');
  const lines = text.split(/\r?\n/);
  if (text.endsWith('\n')) lines.pop();
  return lines.map((l) => (l.trim() === '' ? '' : `  ${l}`)).join(NL) + NL;
}

/**
 * Moves a top-level entry under the top-level mapping `into`: appended to it when it is a block
 * mapping, or a new `into:` entry where the moved one was. The entry keeps its comments and text.
 */
function move(root: Token | undefined, path: NodePath, into: string): void {
  if (path.length !== 1) throw new NotEditable();
  const map = mapAt(root, []);
  const { index, item } = entryAt(root, path);
  const next = map.items[index + 1];
  if (next && !CST.stringify(item).endsWith('\n') && next.start[0]?.type === 'newline') next.start = next.start.slice(1);
  const targetIndex = map.items.findIndex((i) => keyText(i) === into);
  if (targetIndex < 0) {
    const [created] = fragmentItems(`${into}:${NL}${indented(item)}`);
    map.items.splice(index, 1, created!);
    return;
  }
  const target = map.items[targetIndex]!;
  if (target.value?.type !== 'block-map') throw new NotEditable();
  const own = CST.stringify(target).replace(/\n +$/, '\n');
  const [merged] = fragmentItems(`${own.endsWith('\n') ? own : own + NL}${indented(item)}`);
  map.items.splice(targetIndex, 1, { ...merged!, start: target.start });
  map.items.splice(map.items.indexOf(item), 1);
}

/** Adds `key: value` as the last entry of the top-level mapping. */
function add(root: Token | undefined, path: NodePath, key: string, value: string): void {
  if (path.length !== 0) throw new NotEditable();
  const map = mapAt(root, path);
  const endsWithNewline = CST.stringify(map).endsWith('\n');
  map.items.push({
    start: endsWithNewline ? [] : [newline()],
    key: CST.createScalarToken(key, { indent: 0, end: [] }),
    sep: [tok('map-value-ind', ':'), space(1)],
    value: CST.createScalarToken(value, { indent: 0, end: [newline()] }),
  });
}

function parse(text: string): Token[] | undefined {
  const tokens = [...new Parser().parse(text)];
  const docs = tokens.filter((t) => t.type === 'document');
  if (docs.length !== 1 || tokens.some((t) => t.type === 'error')) return undefined;
  return tokens;
}

/** The text with the edits applied, or undefined when one of them cannot be made on this file's tree. */
export function applyYamlEdits(text: string, edits: readonly Edit[]): string | undefined {
  const tokens = parse(text);
  if (!tokens) return undefined;
  NL = lineEnding(text);
  const doc = tokens.find((t): t is CST.Document => t.type === 'document')!;
  try {
    for (const e of edits) {
      if (e.op === 'rename') rename(doc.value, e.path, e.to);
      else if (e.op === 'set') set(doc.value, e.path, e.value);
      else if (e.op === 'remove') remove(doc.value, e.path);
      else if (e.op === 'add') add(doc.value, e.path, e.key, e.value);
      else move(doc.value, e.path, e.into);
    }
  } catch (err) {
    if (err instanceof NotEditable) return undefined;
    throw err;
  }
  return tokens.map((t) => CST.stringify(t)).join('');
}

const HEADER = /^#\s*yaml-language-server:\s*\$schema=(\S+)/;

/**
 * The text with `# yaml-language-server: $schema=<schemaPath>` as its header: added as the first
 * line when there is none among the comments before the content, or its path corrected.
 */
export function withSchemaHeader(text: string, schemaPath: string): string | undefined {
  const tokens = parse(text);
  if (!tokens) return undefined;
  const header = `# yaml-language-server: $schema=${schemaPath}`;
  NL = lineEnding(text);
  const doc = tokens.find((t): t is CST.Document => t.type === 'document')!;
  const leading = [...tokens.slice(0, tokens.indexOf(doc)), ...doc.start].filter((t): t is SourceToken => 'source' in t && t.type === 'comment');
  const existing = leading.find((t) => HEADER.test(t.source));
  if (existing) {
    if (existing.source === header) return text;
    existing.source = header;
  } else {
    tokens.unshift(tok('comment', header), newline());
  }
  return tokens.map((t) => CST.stringify(t)).join('');
}

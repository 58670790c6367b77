/**
 * What `sentinel fix` changes in one content file, as plain data: the fixed text and a note per
 * change, plus the findings it leaves for a person. Pure (text in, text out); the CLI reads and
 * writes the files.
 *
 * Fixers, each a function from a parsed file to edits (scripts/model/compat.ts `Edit`), applied on
 * the YAML tokens (./yaml-edit.ts) so comments and layout stay:
 *   - rule quirks: the Azure-Sentinel compatibility quirks (scripts/model/compat.ts);
 *   - allowlist entries: `ipOrRange` cells not written canonically (scripts/model/ip.ts);
 *   - the schema header (`# yaml-language-server: $schema=...`), added or corrected.
 * Every change is checked: the fixed file must parse to exactly the value the edits describe;
 * a change that does not is left out and reported as one to make by hand. To add a fixer, add a
 * function to FIXERS.
 */
import { isDeepStrictEqual } from 'node:util';
import { applyEdits, findRuleQuirks, type Edit } from '../model/compat.ts';
import { canonicalIpOrRange } from '../model/ip.ts';
import type { NodePath, SourceFile } from '../model/types.ts';
import { kindOf, schemaPathFor, type FileKind } from './load.ts';
import { parseYamlFile } from './yaml.ts';
import { applyYamlEdits, withSchemaHeader } from './yaml-edit.ts';

export interface FixNote {
  line: number;
  col: number;
  code: string;
  message: string;
}

export interface FileFix {
  /** Repo-relative path. */
  file: string;
  before: string;
  after: string;
  /** Changes made in `after`. */
  applied: FixNote[];
  /** Findings the fixers know of but could not change; a person has to. */
  manual: FixNote[];
}

/** One proposed change: where, what it is, and its edits (none: a finding for a person). */
export interface Proposal {
  path: NodePath;
  onKey?: boolean;
  code: string;
  message: string;
  edits?: Edit[];
}

/** What fixers may know beyond the file: the `ipOrRange` columns of each watchlist by alias. */
export interface FixContext {
  ipColumns: ReadonlyMap<string, readonly string[]>;
}

type Fixer = (kind: FileKind, doc: unknown, ctx: FixContext) => Proposal[];

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const ruleQuirks: Fixer = (kind, doc) => (kind === 'rule' ? findRuleQuirks(doc) : []);

/** `ipOrRange` cells of a watchlist's default items and of a target's per-workspace items. */
const allowlistEntries: Fixer = (kind, doc, ctx) => {
  if (!isMap(doc)) return [];
  const sets: { items: unknown; path: NodePath; columns: readonly string[] }[] = [];
  if (kind === 'watchlist' && Array.isArray(doc.columns)) {
    const columns = doc.columns.filter((c) => isMap(c) && c.type === 'ipOrRange').map((c) => String((c as { name: unknown }).name));
    sets.push({ items: doc.items, path: ['items'], columns });
  }
  if (kind === 'target' && isMap(doc.watchlistItems)) {
    for (const [alias, items] of Object.entries(doc.watchlistItems)) sets.push({ items, path: ['watchlistItems', alias], columns: ctx.ipColumns.get(alias) ?? [] });
  }
  const out: Proposal[] = [];
  for (const set of sets) {
    if (!Array.isArray(set.items)) continue;
    set.items.forEach((item, i) => {
      if (!isMap(item)) return;
      for (const col of set.columns) {
        const v = item[col];
        if (typeof v !== 'string') continue;
        const canonical = canonicalIpOrRange(v);
        if (canonical === undefined) continue;
        const path = [...set.path, i, col];
        out.push({ path, code: 'fix/ip-canonical', message: `${JSON.stringify(v)} → ${canonical}`, edits: [{ op: 'set', path, value: canonical }] });
      }
    });
  }
  return out;
};

/** The fixers, in the order they run. */
export const FIXERS: readonly Fixer[] = [ruleQuirks, allowlistEntries];

function note(source: SourceFile, p: Proposal): FixNote {
  const pos = p.onKey ? source.keyPos(p.path) : source.pos(p.path);
  return { line: pos.line, col: pos.col, code: p.code, message: p.message };
}

/** What `sentinel fix` does to one file. Files that are not content come back unchanged. */
export function fixContentFile(rel: string, text: string, ctx: FixContext = { ipColumns: new Map() }): FileFix {
  const result: FileFix = { file: rel, before: text, after: text, applied: [], manual: [] };
  const kind = kindOf(rel);
  if (!kind) return result;
  const parsed = parseYamlFile(rel, text);
  if (parsed.value === undefined) {
    const first = parsed.diagnostics[0];
    result.manual.push({ line: first?.line ?? 1, col: first?.col ?? 1, code: first?.code ?? 'yaml/invalid', message: `${first?.message ?? 'the file does not parse'}; fix the YAML first` });
    return result;
  }
  let current = text;
  let value = parsed.value;
  for (const p of FIXERS.flatMap((f) => f(kind, parsed.value, ctx))) {
    if (!p.edits) {
      result.manual.push(note(parsed.source, p));
      continue;
    }
    const next = applyYamlEdits(current, p.edits);
    const expected = applyEdits(value, p.edits);
    const got = next === undefined ? undefined : parseYamlFile(rel, next);
    if (next === undefined || got?.value === undefined || !isDeepStrictEqual(got.value, expected)) {
      result.manual.push({ ...note(parsed.source, p), message: `${p.message} (not rewritten automatically here: make this change by hand)` });
      continue;
    }
    current = next;
    value = expected;
    result.applied.push(note(parsed.source, p));
  }
  const schemaPath = schemaPathFor(kind, rel);
  const headed = withSchemaHeader(current, schemaPath);
  if (headed !== undefined && headed !== current) {
    result.applied.push({ line: 1, col: 1, code: 'content/schema-header', message: `schema header → ${schemaPath}` });
    current = headed;
  }
  result.after = current;
  const byPlace = (a: FixNote, b: FixNote) => a.line - b.line || a.col - b.col;
  result.applied.sort(byPlace);
  result.manual.sort(byPlace);
  return result;
}

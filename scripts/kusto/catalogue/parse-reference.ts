// Parser for one Azure Monitor table reference page
// (MicrosoftDocs/azure-reference-other, azure-monitor-ref/tables/<table>.md).
//
// Pure: no file system, no network. The caller resolves `[!INCLUDE ...]` columns
// files (newer pages keep their columns table in tables/includes/<table>-include.md)
// and passes their text as `includes`.
//
// Observed page layouts:
//   ---front matter (title: "Azure Monitor Logs reference - <Table>", description, ms.*)---
//   # <Table>
//   <optional one-paragraph summary>
//   ## Categories      (bullet list)
//   ## Solutions       (bullet list)
//   ## Columns
//   | Column | Type | Description |      (or the compact "|Column|Type|Description|")
//   |---|---|---|
//   | Name | string | ... |
// or, instead of the table, `[!INCLUDE [x](.././tables/includes/x-include.md)]`.
// Old pages spell types .NET style (String, Guid, Double, BigInt, DateTime, Bool, Int32 ...).

import { KQL_TYPES, toKqlType } from '../../model/kql-type.ts';

/** The Kusto scalar types (one list, in model/kql-type.ts). */
export const KUSTO_SCALAR_TYPES = KQL_TYPES;
export type KustoScalarType = (typeof KUSTO_SCALAR_TYPES)[number];

export interface ReferenceColumn {
  name: string;
  type: KustoScalarType;
}

export interface ParsedTable {
  name: string;
  description: string;
  categories: string[];
  columns: ReferenceColumn[];
  /** Include paths referenced from the Columns section (relative, as written). */
  includes: string[];
  /** Problems met while parsing; never thrown. */
  warnings: string[];
}

/** Maps a documented type spelling to a Kusto scalar type name, or undefined when unknown. */
export function normaliseKustoType(raw: string): KustoScalarType | undefined {
  return toKqlType(raw.trim().replace(/^`|`$/g, ''));
}

interface FrontMatter {
  fields: Record<string, string>;
  body: string;
}

function splitFrontMatter(text: string): FrontMatter {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]!] = kv[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return { fields, body: text.slice(m[0].length) };
}

/** Splits a markdown table row into trimmed cells (outer pipes optional, `\|` kept as text). */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

const isSeparatorRow = (cells: string[]): boolean => cells.length > 0 && cells.every((c) => /^:?-{2,}:?$/.test(c));
const stripMarkdown = (s: string): string =>
  s
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/[*`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

interface Section {
  heading: string;
  level: number;
  lines: string[];
}

function sections(body: string): { title?: string; preamble: string[]; sections: Section[] } {
  const out: Section[] = [];
  const preamble: string[] = [];
  let title: string | undefined;
  let cur: Section | undefined;
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const h = inFence ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h && h[1]!.length === 1 && title === undefined && !cur) {
      title = h[2]!;
      continue;
    }
    if (h && h[1]!.length === 2) {
      cur = { heading: h[2]!.trim(), level: 2, lines: [] };
      out.push(cur);
      continue;
    }
    (cur ? cur.lines : preamble).push(line);
  }
  return { title, preamble, sections: out };
}

/**
 * Parses a columns table (the first markdown table whose header has Column and Type cells).
 * Rows that do not fit are reported in `warnings` and skipped.
 */
export function parseColumnsTable(text: string, warnings: string[], where = 'columns'): ReferenceColumn[] {
  const lines = text.split(/\r?\n/);
  const columns: ReferenceColumn[] = [];
  const seen = new Set<string>();
  let nameIdx = -1;
  let typeIdx = -1;
  let inTable = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line.startsWith('|')) {
      if (inTable && line !== '') break; // end of the table
      continue;
    }
    const cells = splitRow(line);
    if (!inTable) {
      const lower = cells.map((c) => stripMarkdown(c).toLowerCase());
      const n = lower.findIndex((c) => c === 'column' || c === 'column name' || c === 'name');
      const t = lower.findIndex((c) => c === 'type' || c === 'data type');
      if (n >= 0 && t >= 0) {
        nameIdx = n;
        typeIdx = t;
        inTable = true;
      }
      continue;
    }
    if (isSeparatorRow(cells)) continue;
    const name = stripMarkdown(cells[nameIdx] ?? '');
    const rawType = stripMarkdown(cells[typeIdx] ?? '');
    if (!name || !rawType) {
      warnings.push(`${where}: skipped malformed row ${JSON.stringify(line)}`);
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      warnings.push(`${where}: skipped row with invalid column name ${JSON.stringify(name)}`);
      continue;
    }
    const type = normaliseKustoType(rawType);
    if (!type) {
      warnings.push(`${where}: skipped column ${name} with unknown type ${JSON.stringify(rawType)}`);
      continue;
    }
    if (seen.has(name)) {
      warnings.push(`${where}: duplicate column ${name} (${rawType}) ignored`);
      continue;
    }
    seen.add(name);
    columns.push({ name, type });
  }
  return columns;
}

const INCLUDE_RE = /\[!INCLUDE\s*\[[^\]]*\]\(([^)]+)\)\s*\]/gi;

/** Table name implied by a reference file name: "signinlogs.md" -> "signinlogs". */
const baseName = (fileName: string): string =>
  fileName
    .replace(/\\/g, '/')
    .split('/')
    .pop()!
    .replace(/(-include)?\.md$/i, '');

/**
 * Extracts table facts from one reference page.
 * @param markdown   the page text
 * @param fileName   its file name (used to check the table name and in warnings)
 * @param includes   text of included files, keyed by the include path as written or by its base name
 */
export function parseTableReference(markdown: string, fileName: string, includes: Record<string, string> = {}): ParsedTable {
  const warnings: string[] = [];
  const { fields, body } = splitFrontMatter(markdown);
  const doc = sections(body);

  const fromTitle = /reference\s*-\s*([A-Za-z0-9_]+)\s*$/i.exec(fields.title ?? '')?.[1];
  const fromHeading = doc.title && /^[A-Za-z0-9_]+$/.test(doc.title.trim()) ? doc.title.trim() : undefined;
  const name = fromHeading ?? fromTitle ?? baseName(fileName);
  if (name.toLowerCase() !== baseName(fileName).toLowerCase()) warnings.push(`${fileName}: table name ${name} does not match the file name`);

  const summary = stripMarkdown(
    doc.preamble
      .join('\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith('|') && !p.startsWith('[!')) ?? '',
  );
  const description = summary || fields.description || '';

  const categories: string[] = [];
  const categorySection = doc.sections.find((s) => /^categor(y|ies)$/i.test(s.heading));
  for (const line of categorySection?.lines ?? []) {
    const m = /^\s*[-*]\s+(.+?)\s*$/.exec(line);
    if (m) categories.push(stripMarkdown(m[1]!));
  }

  const columnSection = doc.sections.find((s) => /^columns$/i.test(s.heading));
  const columns: ReferenceColumn[] = [];
  const includePaths: string[] = [];
  if (!columnSection) {
    warnings.push(`${fileName}: no Columns section`);
  } else {
    const text = columnSection.lines.join('\n');
    for (const m of text.matchAll(INCLUDE_RE)) includePaths.push(m[1]!.trim());
    const seen = new Set<string>();
    const add = (cols: ReferenceColumn[]) => {
      for (const c of cols) {
        if (seen.has(c.name)) continue;
        seen.add(c.name);
        columns.push(c);
      }
    };
    add(parseColumnsTable(text, warnings, fileName));
    for (const p of includePaths) {
      const inc = includes[p] ?? includes[baseName(p)] ?? includes[baseName(p) + '-include'];
      if (inc === undefined) {
        warnings.push(`${fileName}: include ${p} not available`);
        continue;
      }
      const incFields = splitFrontMatter(inc).fields;
      if (incFields['ms.custom'] && incFields['ms.custom'].toLowerCase() !== name.toLowerCase()) {
        // Seen in the wild: an include file whose content belongs to another table. Trust nothing in it.
        warnings.push(`${fileName}: include ${p} is marked for ${incFields['ms.custom']}, not ${name}; its columns were ignored`);
        continue;
      }
      add(parseColumnsTable(splitFrontMatter(inc).body, warnings, p));
    }
    if (columns.length === 0) warnings.push(`${fileName}: Columns section has no usable rows`);
  }

  return { name, description, categories, columns, includes: includePaths, warnings };
}

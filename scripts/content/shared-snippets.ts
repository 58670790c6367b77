/**
 * Shared KQL snippets: one canonical text, embedded verbatim in every rule that needs it.
 *
 * A rule carries the snippet between marker comments so it stays a self-contained Azure-Sentinel
 * rule (deployable, importable, readable in the portal):
 *
 *     // BEGIN shared:trusted-networks
 *     …canonical text of watchlists/NetworkAllowlist.kql…
 *     // END shared:trusted-networks
 *
 * `checkSharedSnippets` (pure) reports blocks that drifted from the canonical text, unbalanced
 * markers, and uses of the guarded constructs (e.g. `_GetWatchlist('NetworkAllowlist')`) outside a
 * block; `fixSharedSnippets` (pure) rewrites the blocks; `readSharedSnippets` is the only I/O here. `sentinel docs` applies the fix, `sentinel docs --check` / validate report drift.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, NodePath, Repo, RuleFile, SourceFile } from '../model/types.ts';
import { querySites } from './query-sites.ts';

export interface SharedSnippet {
  /** Marker name: blocks are `// BEGIN shared:<name>` … `// END shared:<name>`. */
  name: string;
  /** Repo-relative path of the canonical text (for messages). */
  file: string;
  /** Canonical text (no markers); compared line by line, trailing whitespace ignored. */
  text: string;
  /** Constructs that may appear only inside a block (a copied variation is an error). */
  guards: RegExp[];
}

export const SNIPPET_FIX_HINT = 'run `sentinel docs` to rewrite the block from the canonical text';

/** Where each shared snippet's canonical text lives, and what may only appear inside its blocks. */
export const SNIPPET_SOURCES: readonly Omit<SharedSnippet, 'text'>[] = [
  {
    name: 'trusted-networks',
    file: 'watchlists/NetworkAllowlist.kql',
    guards: [
      /_GetWatchlist\s*\(\s*(['"])NetworkAllowlist\1\s*\)/g,
      /\blet\s+(WithTrustedNetworkFlag|TrustedNetworkEntries|TrustedIPv4Prefixes|TrustedIPv6Prefixes|TrustedIPv4Ranges)\b/g,
    ],
  },
  {
    name: 'entra-credential-changes',
    file: 'analytics-rules/shared/entra-credential-changes.kql',
    guards: [/\blet\s+EntraCredentialChanges\b/g],
  },
];

/** I/O: reads every shared snippet's canonical text from the repository. */
export async function readSharedSnippets(root: string): Promise<SharedSnippet[]> {
  return Promise.all(SNIPPET_SOURCES.map(async (s) => ({ ...s, text: await readFile(join(root, s.file), 'utf8') })));
}

export const beginMarker = (name: string): string => `// BEGIN shared:${name}`;
export const endMarker = (name: string): string => `// END shared:${name}`;

interface Line {
  text: string;
  /** Offset of the line's first character in the whole text. */
  offset: number;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let offset = 0;
  for (const text_ of text.split('\n')) {
    out.push({ text: text_, offset });
    offset += text_.length + 1;
  }
  return out;
}

function canonicalLines(snippet: SharedSnippet): string[] {
  const lines = snippet.text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface SnippetBlock {
  /** Line index of the BEGIN marker and of the END marker (0-based, in the scanned text). */
  begin: number;
  end: number;
  /** Leading whitespace of the BEGIN marker line (the block's indentation). */
  indent: string;
}

export interface BlockScan {
  blocks: SnippetBlock[];
  /** Marker problems: line index and message. */
  problems: { line: number; message: string }[];
}

/** Finds the marked blocks of one snippet in a text (a query, or a whole YAML file). */
export function findBlocks(text: string, name: string): BlockScan {
  const lines = text.split('\n');
  const begin = beginMarker(name);
  const end = endMarker(name);
  const blocks: SnippetBlock[] = [];
  const problems: BlockScan['problems'] = [];
  let open: { line: number; indent: string } | undefined;
  lines.forEach((raw, i) => {
    const t = raw.trim();
    if (t === begin || t.startsWith(begin + ' ')) {
      if (open) problems.push({ line: i, message: `nested "${begin}": the block opened on the line ${open.line + 1} of the query has no "${end}"` });
      open = { line: i, indent: raw.slice(0, raw.length - raw.trimStart().length) };
    } else if (t === end || t.startsWith(end + ' ')) {
      if (!open) problems.push({ line: i, message: `"${end}" without a matching "${begin}"` });
      else blocks.push({ begin: open.line, end: i, indent: open.indent });
      open = undefined;
    }
  });
  if (open) problems.push({ line: open.line, message: `"${begin}" is never closed with "${end}"` });
  return { blocks, problems };
}

/** The lines inside a block, with the block's indentation removed and trailing spaces trimmed. */
function blockBody(lines: string[], block: SnippetBlock): string[] {
  return lines.slice(block.begin + 1, block.end).map((l) => (l.startsWith(block.indent) ? l.slice(block.indent.length) : l.trimStart()).trimEnd());
}

/** A query to check, wherever it lives (rule query, workbook query item). */
export interface SnippetSite {
  source: SourceFile;
  path: NodePath;
  query: string;
  /** Maps an offset in `query` to an offset in the YAML string value (workbook `{Param}` substitution). */
  toValueOffset?: (offset: number) => number;
}

const asArray = (c: SharedSnippet | readonly SharedSnippet[]): readonly SharedSnippet[] =>
  Array.isArray(c) ? (c as readonly SharedSnippet[]) : [c as SharedSnippet];

/** Checks every rule's query against the canonical snippet(s). Pure. */
export function checkSharedSnippets(rules: readonly RuleFile[], canonical: SharedSnippet | readonly SharedSnippet[]): Diagnostic[] {
  const sites = rules.filter((r) => typeof r.rule.query === 'string').map((r) => ({ source: r.source, path: ['query'], query: r.rule.query }));
  return asArray(canonical).flatMap((c) => checkSites(sites, c));
}

/** Same check over rule queries and workbook queries. Pure. */
export function checkSharedSnippetsInContent(repo: Pick<Repo, 'rules' | 'workbooks'>, canonical: SharedSnippet | readonly SharedSnippet[]): Diagnostic[] {
  return asArray(canonical).flatMap((c) => checkSites(querySites(repo), c));
}

export function checkSites(sites: readonly SnippetSite[], canonical: SharedSnippet): Diagnostic[] {
  const want = canonicalLines(canonical);
  const out: Diagnostic[] = [];
  for (const r of sites) {
    const query = r.query;
    const lines = splitLines(query);
    const raw = lines.map((l) => l.text);
    const at = (lineIdx: number, colIdx: number, message: string) => {
      const offset = (lines[lineIdx]?.offset ?? 0) + colIdx;
      const pos = r.source.offsetPos(r.path, r.toValueOffset ? r.toValueOffset(offset) : offset);
      out.push({ file: r.source.file, line: pos.line, col: pos.col, severity: 'error', code: 'check/shared-snippet', message });
    };
    const scan = findBlocks(query, canonical.name);
    for (const p of scan.problems) at(p.line, 0, `${p.message}; ${SNIPPET_FIX_HINT}`);
    const inside = new Set<number>();
    for (const b of scan.blocks) {
      for (let i = b.begin; i <= b.end; i++) inside.add(i);
      const got = blockBody(raw, b);
      const n = Math.max(got.length, want.length);
      for (let i = 0; i < n; i++) {
        if (got[i] === want[i]) continue;
        const lineIdx = Math.min(b.begin + 1 + i, b.end);
        const detail =
          got[i] === undefined ? `is missing line ${i + 1} of ${canonical.file}`
          : want[i] === undefined ? `has extra lines after the end of ${canonical.file}`
          : `differs from line ${i + 1} of ${canonical.file} (expected: ${want[i]!.trim().slice(0, 80)})`;
        at(lineIdx, b.indent.length, `shared:${canonical.name} block ${detail}; ${SNIPPET_FIX_HINT}`);
        break;
      }
    }
    for (const guard of canonical.guards) {
      const re = new RegExp(guard.source, guard.flags.includes('g') ? guard.flags : guard.flags + 'g');
      for (const m of query.matchAll(re)) {
        const lineIdx = lines.findIndex((l, i) => m.index! >= l.offset && (i === lines.length - 1 || m.index! < lines[i + 1]!.offset));
        if (inside.has(lineIdx)) continue;
        at(lineIdx, m.index! - lines[lineIdx]!.offset,
          `"${m[0]}" is used outside a shared:${canonical.name} block; trusted networks must come from the one shared snippet: ` +
            `put "${beginMarker(canonical.name)}" and "${endMarker(canonical.name)}" lines in the query and ${SNIPPET_FIX_HINT}`);
      }
    }
  }
  return out;
}

/** Rewrites the blocks of one text (query or whole YAML file), keeping each block's indentation. Pure. */
export function rewriteBlocks(text: string, canonical: SharedSnippet): string {
  const scan = findBlocks(text, canonical.name);
  if (scan.blocks.length === 0) return text;
  const lines = text.split('\n');
  const want = canonicalLines(canonical);
  for (const b of [...scan.blocks].reverse()) {
    const body = want.map((l) => (l === '' ? '' : b.indent + l));
    lines.splice(b.begin + 1, b.end - b.begin - 1, ...body);
  }
  return lines.join('\n');
}

/** New file texts for content files (rules, workbooks) whose blocks differ from the canonical text. Pure. */
export function fixSharedSnippets(rules: readonly { source: SourceFile }[], canonical: readonly SharedSnippet[]): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const r of rules) {
    const next = canonical.reduce((text, c) => rewriteBlocks(text, c), r.source.text);
    if (next !== r.source.text) out.push({ file: r.source.file, text: next });
  }
  return out;
}

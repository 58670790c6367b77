/**
 * Loads a repository's content: finds the files, parses them with positions, validates them
 * against their JSON Schemas and returns the typed model plus every diagnostic raised on the way.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import { parseYamlFile } from './yaml.ts';
import { checkSchema, type SchemaValue } from './schema.ts';
import { normaliseRule, originalPath, type Quirk } from '../model/compat.ts';
import { DECLARED_DIRS, declaredKindOf, loadDeclaredFile } from './declared.ts';
import type {
  ContentFile, Diagnostic, FunctionFile, FunctionTestFile, Repo, RuleFile, SourceFile, TargetFile, TestFile, WatchlistFile, WatchlistItem,
  WorkbookFile,
} from '../model/types.ts';

export const CONTENT_DIRS = {
  rules: 'analytics-rules',
  watchlists: 'watchlists',
  workbooks: 'workbooks',
  targets: 'targets',
  functions: 'functions',
} as const;

export const TEST_SUFFIX = '.tests.yaml';

export type FileKind = 'rule' | 'ruleTests' | 'watchlist' | 'workbook' | 'target' | 'function' | 'functionTests';

/** Which kind of content a repo-relative path holds, or undefined when it is not content. */
export function kindOf(relPath: string): FileKind | undefined {
  const p = relPath.split(sep).join('/');
  if (!/\.ya?ml$/.test(p)) return undefined;
  if (p.startsWith(`${CONTENT_DIRS.rules}/`)) return p.endsWith(TEST_SUFFIX) ? 'ruleTests' : 'rule';
  const [dir, ...rest] = p.split('/');
  if (rest.length !== 1) return undefined;
  if (dir === CONTENT_DIRS.watchlists) return 'watchlist';
  if (dir === CONTENT_DIRS.workbooks) return 'workbook';
  if (dir === CONTENT_DIRS.targets) return 'target';
  if (dir === CONTENT_DIRS.functions) return p.endsWith(TEST_SUFFIX) ? 'functionTests' : 'function';
  return undefined;
}

const SCHEMA_OF = {
  rule: 'rule', ruleTests: 'rule-tests', watchlist: 'watchlist', workbook: 'workbook', target: 'target',
  function: 'function', functionTests: 'rule-tests',
} as const satisfies Record<FileKind, string>;

/** What a file of each kind is once its schema accepted it. */
type Document<K extends FileKind> = SchemaValue<(typeof SCHEMA_OF)[K]>;

/** Every content file under root, repo-relative with forward slashes, sorted. */
export async function listContentFiles(root: string): Promise<string[]> {
  return (await scanContentFiles(root)).files;
}

/**
 * The content files under root, and a finding for each entry the loader does not read although it
 * looks like content: a symlink (never followed, so nothing outside the repo is read), a `.YAML` /
 * `.Yml` file (only `.yaml` and `.yml` are read), a sub-folder of a flat content folder.
 */
export async function scanContentFiles(root: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const skip = (rel: string, message: string) => diagnostics.push({ file: rel, line: 1, col: 1, severity: 'error', code: 'content/ignored', message });
  async function walk(dir: string, top: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        skip(rel, 'is a symbolic link; content must be regular files in the repository (links are not followed) — replace it with the file itself');
      } else if (e.isDirectory()) {
        if (top === CONTENT_DIRS.rules) await walk(rel, top);
        else if (await holdsYaml(join(root, rel))) skip(rel, `is a sub-folder of ${top}/; files in it are not read — move them up into ${top}/`);
      } else if (e.isFile()) {
        if (kindOf(rel)) out.push(rel);
        else if (/\.ya?ml$/i.test(e.name)) skip(rel, `is not read: content files end in .yaml — rename it to ${e.name.replace(/\.ya?ml$/i, '.yaml')}`);
      }
    }
  }
  for (const d of Object.values(CONTENT_DIRS)) {
    // A content folder that is itself a link would be read from wherever it points.
    const st = await lstat(join(root, d)).catch(() => undefined);
    if (st?.isSymbolicLink()) skip(d, 'is a symbolic link; content must be regular files in the repository (links are not followed) — replace it with the folder itself');
    else await walk(d, d);
  }
  return { files: out.sort(), diagnostics: diagnostics.sort((a, b) => a.file.localeCompare(b.file)) };
}

/** Whether a folder holds any YAML file at any depth (an unrelated folder, e.g. of images, is no finding). */
async function holdsYaml(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.some((e) => /\.ya?ml$/i.test(e.name));
}

/** Loads one file (bytes already read). Exposed for tests and for loading a git base revision. */
export function loadContentFile(rel: string, bytes: Uint8Array | string): { file?: ContentFile | TestFile | FunctionTestFile; diagnostics: Diagnostic[] } {
  const kind = kindOf(rel);
  if (!kind) return { diagnostics: [] };
  const parsed = parseYamlFile(rel, bytes);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value === undefined) return { diagnostics };
  const source = parsed.source;
  diagnostics.push(...schemaHeader(kind, rel, source));
  if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    diagnostics.push({ file: rel, line: 1, col: 1, severity: 'error', code: 'schema/type', message: 'the document must be a mapping of field: value' });
    return { diagnostics };
  }
  return toModel(kind, rel, parsed.value, source, diagnostics);
}

function stem(rel: string, suffix = '.yaml'): string {
  const base = posix.basename(rel);
  return base.endsWith(suffix) ? base.slice(0, -suffix.length) : base.replace(/\.ya?ml$/, '');
}

function toModel<K extends FileKind>(kind: K, rel: string, doc: unknown, file: SourceFile, diagnostics: Diagnostic[]): { file?: ContentFile | TestFile | FunctionTestFile; diagnostics: Diagnostic[] } {
  let value = doc;
  let source = file;
  if (kind === 'rule') {
    // Azure-Sentinel quirks: a warning each, then the canonical form goes on (scripts/model/compat.ts).
    const n = normaliseRule(doc);
    value = n.value;
    for (const q of n.quirks) {
      const p = q.onKey ? file.keyPos(q.path) : file.pos(q.path);
      diagnostics.push({ file: rel, line: p.line, col: p.col, severity: 'warning', code: q.code, message: q.message + (q.edits ? ' (`sentinel fix` does it)' : '') });
    }
    if (n.quirks.length) source = withOriginalPaths(file, n.quirks);
  }
  const checked = checkSchema(SCHEMA_OF[kind], value, source);
  if (!checked.ok) return { diagnostics: [...diagnostics, ...checked.diagnostics] };
  const build: Builders[K] = BUILD[kind];
  return { file: build(checked.value, rel, source), diagnostics };
}

/** Positions of canonical paths looked up where the document has them (before renames). */
function withOriginalPaths(source: SourceFile, quirks: readonly Quirk[]): SourceFile {
  return {
    file: source.file,
    text: source.text,
    pos: (path) => source.pos(originalPath(path, quirks)),
    keyPos: (path) => source.keyPos(originalPath(path, quirks)),
    offsetPos: (path, offset) => source.offsetPos(originalPath(path, quirks), offset),
  };
}

type Builders = { [K in FileKind]: (doc: Document<K>, rel: string, source: SourceFile) => ContentFile | TestFile | FunctionTestFile };

/** The model of each kind of file from its validated document. */
const BUILD: Builders = {
  rule: (rule, rel, source) => {
    const dir = posix.dirname(rel);
    const area = dir === CONTENT_DIRS.rules ? '' : dir.slice(CONTENT_DIRS.rules.length + 1);
    return { kind: 'rule', slug: stem(rel), area, rule, source } satisfies RuleFile;
  },
  ruleTests: (doc, rel, source) =>
    ({ kind: 'ruleTests', ruleFile: rel.slice(0, -TEST_SUFFIX.length) + '.yaml', cases: doc.cases, source }) satisfies TestFile,
  watchlist: (w, _rel, source) =>
    ({ kind: 'watchlist', watchlist: { ...w, items: w.items.map(stringifyItem) }, source }) satisfies WatchlistFile,
  workbook: (workbook, rel, source) => ({ kind: 'workbook', slug: stem(rel), workbook, source }) satisfies WorkbookFile,
  target: (t, rel, source) => {
    const { watchlistItems, ...rest } = t;
    const items = watchlistItems
      ? Object.fromEntries(Object.entries(watchlistItems).map(([k, v]) => [k, v.map(stringifyItem)]))
      : undefined;
    return { kind: 'target', target: { ...rest, name: stem(rel), ...(items ? { watchlistItems: items } : {}) }, source } satisfies TargetFile;
  },
  function: (fn, rel, source) => ({ kind: 'function', slug: stem(rel), fn, source }) satisfies FunctionFile,
  functionTests: (doc, rel, source) =>
    ({ kind: 'functionTests', functionFile: rel.slice(0, -TEST_SUFFIX.length) + '.yaml', cases: doc.cases, source }) satisfies FunctionTestFile,
};

/** Watchlists are CSV-like: every cell is text. YAML numbers/booleans become their text. */
function stringifyItem(item: Record<string, string | number | boolean>): WatchlistItem {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, String(v)]));
}

/** The `$schema=` path a content file's header names: its schema, relative to the file. */
export function schemaPathFor(kind: FileKind, rel: string): string {
  const depth = rel.split('/').length - 1;
  return `${'../'.repeat(depth)}scripts/content/schemas/${SCHEMA_OF[kind]}.schema.json`;
}

/** Content files name their schema so editors validate while typing. */
function schemaHeader(kind: FileKind, rel: string, source: SourceFile): Diagnostic[] {
  const expected = schemaPathFor(kind, rel);
  const m = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(source.text.split('\n').slice(0, 5).join('\n'));
  if (m && m[1] === expected) return [];
  return [{
    file: rel, line: 1, col: 1, severity: 'warning', code: 'content/schema-header',
    message: m
      ? `schema header points at ${m[1]}; expected ${expected}`
      : `add "# yaml-language-server: $schema=${expected}" as the first line so editors validate this file (\`sentinel fix\` does it)`,
  }];
}

export interface LoadOptions {
  /** Override file contents (repo-relative path → bytes); used for git base revisions and tests. */
  files?: Map<string, Uint8Array | string>;
}

/** Loads every content file under `root`. Never throws on bad content. */
export async function loadRepo(root: string, options: LoadOptions = {}): Promise<Repo> {
  const repo: Repo = { root, rules: [], ruleTests: [], watchlists: [], workbooks: [], targets: [], functions: [], functionTests: [], schemas: { tables: [], functions: [] }, diagnostics: [] };
  let entries: [string, Uint8Array | string][];
  if (options.files) {
    entries = [...options.files.entries()].filter(([p]) => kindOf(p)).sort(([a], [b]) => a.localeCompare(b));
  } else {
    const scan = await scanContentFiles(root);
    repo.diagnostics.push(...scan.diagnostics);
    entries = await Promise.all(scan.files.map(async (rel) => [rel, await readFile(join(root, rel))] as [string, Uint8Array]));
  }
  const failed = new Set<string>();
  for (const [rel, bytes] of entries) {
    const { file, diagnostics } = loadContentFile(rel, bytes);
    repo.diagnostics.push(...diagnostics);
    if (!file) {
      if (diagnostics.some((d) => d.severity === 'error')) failed.add(rel);
      continue;
    }
    switch (file.kind) {
      case 'rule': repo.rules.push(file); break;
      case 'ruleTests': repo.ruleTests.push(file); break;
      case 'watchlist': repo.watchlists.push(file); break;
      case 'workbook': repo.workbooks.push(file); break;
      case 'target': repo.targets.push(file); break;
      case 'function': repo.functions.push(file); break;
      case 'functionTests': repo.functionTests.push(file); break;
    }
  }
  repo.failed = failed;
  await loadDeclared(repo, options);
  return repo;
}

/** The declared schemas (`schemas/tables/`, `schemas/functions/`) into `repo.schemas`. */
async function loadDeclared(repo: Repo, options: LoadOptions): Promise<void> {
  let entries: [string, Uint8Array | string][];
  if (options.files) {
    entries = [...options.files.entries()].filter(([p]) => declaredKindOf(p)).sort(([a], [b]) => a.localeCompare(b));
  } else {
    const rels: string[] = [];
    for (const dir of Object.values(DECLARED_DIRS)) {
      const names = await readdir(join(repo.root, dir), { withFileTypes: true }).catch(() => []);
      for (const e of names) {
        const rel = `${dir}/${e.name}`;
        if (e.isSymbolicLink()) {
          repo.diagnostics.push({ file: rel, line: 1, col: 1, severity: 'error', code: 'content/ignored', message: 'is a symbolic link; declared schemas must be regular files in the repository (links are not followed) — replace it with the file itself' });
        } else if (e.isFile() && declaredKindOf(rel)) rels.push(rel);
      }
    }
    entries = await Promise.all(rels.sort().map(async (rel) => [rel, await readFile(join(repo.root, rel))] as [string, Uint8Array]));
  }
  for (const [rel, bytes] of entries) {
    const { file, diagnostics } = loadDeclaredFile(rel, bytes);
    repo.diagnostics.push(...diagnostics);
    if (file?.kind === 'declaredTable') repo.schemas.tables.push(file);
    else if (file?.kind === 'declaredFunction') repo.schemas.functions.push(file);
  }
}

/** Repo-relative, forward-slash form of a path given on the command line. */
export function toRepoPath(root: string, p: string): string {
  return relative(root, resolve(root, p)).split(sep).join('/');
}

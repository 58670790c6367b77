/**
 * Loads the pulled workspace schemas, `schemas/workspaces/<target>.json` (written by
 * `sentinel schema pull`). A malformed file is a finding at its line, never a crash; its schema is
 * then not used (the target falls back to the built-in catalogue and declared schemas).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../model/types.ts';
import { checkWorkspaceSchema, WORKSPACE_SCHEMA_DIR, type WorkspaceSchema } from '../model/workspace-schema.ts';

export interface LoadedWorkspaceSchema {
  /** Repo-relative file. */
  file: string;
  /** The file stem: the target it belongs to. */
  target: string;
  schema: WorkspaceSchema;
  /** 1-based line of a table's or function's key in the file (for findings). */
  lineOf(name: string): number;
}

export interface WorkspaceSchemas {
  byTarget: Map<string, LoadedWorkspaceSchema>;
  diagnostics: Diagnostic[];
}

function lineColAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/**
 * Offset of the first JSON syntax error in `text` (Node 20's JSON.parse messages carry no position).
 * A small recursive-descent scan of the JSON grammar; only run when JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++; };
  const fail = (): never => { throw i; };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') { if (text[i] === '\\') i++; else if (text[i]! < ' ') fail(); i++; }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws(); if (text[i] !== '"') fail(); str(); ws();
        if (text[i] !== ':') fail(); i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value(); ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}

function keyOffset(text: string, key: string): number {
  const i = text.indexOf(JSON.stringify(key) + ':');
  return i < 0 ? 0 : i;
}

/** Parses one pulled schema file's text. */
export function parseWorkspaceSchema(file: string, text: string): { schema?: LoadedWorkspaceSchema; diagnostics: Diagnostic[] } {
  const target = file.replace(/^.*\//, '').replace(/\.json$/i, '');
  const diag = (offset: number, message: string): Diagnostic => ({ file, ...lineColAt(text, offset), severity: 'error', code: 'schema/workspace', message });
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const msg = (e as Error).message;
    const clean = text.replace(/^\uFEFF/, '');
    const pos = jsonErrorOffset(clean) + (clean.length < text.length ? 1 : 0);
    const what = msg.split('\n')[0]!.replace(/, ".*$/s, '').replace(/ in JSON at position \d+.*$/, '');
    return { diagnostics: [diag(pos, `not valid JSON (${what}); fix it or re-run \`sentinel schema pull --targets ${target}\``)] };
  }
  const { schema, problems } = checkWorkspaceSchema(value);
  if (!schema) {
    return { diagnostics: problems.map((p) => diag(keyOffset(text, p.key ?? p.path.split('.')[0] ?? ''), `${p.message}; re-run \`sentinel schema pull --targets ${target}\``)) };
  }
  const diagnostics: Diagnostic[] = [];
  if (schema.target !== target) diagnostics.push(diag(keyOffset(text, 'target'), `this file is ${target}.json but says target "${schema.target}"; rename the file or re-run \`sentinel schema pull\``));
  return {
    schema: { file, target, schema, lineOf: (name) => lineColAt(text, keyOffset(text, name)).line },
    diagnostics,
  };
}

/** Every `schemas/workspaces/*.json` of the repository at `root`. */
export async function loadWorkspaceSchemas(root: string): Promise<WorkspaceSchemas> {
  const dir = join(root, WORKSPACE_SCHEMA_DIR);
  const out: WorkspaceSchemas = { byTarget: new Map(), diagnostics: [] };
  if (!existsSync(dir)) return out;
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.name.toLowerCase().endsWith('.json')).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const name = e.name;
    const file = `${WORKSPACE_SCHEMA_DIR}/${name}`;
    // Never follow a link: it could read a file outside the repository.
    if (e.isSymbolicLink()) {
      out.diagnostics.push({ file, line: 1, col: 1, severity: 'error', code: 'content/ignored', message: 'is a symbolic link; pulled schemas must be regular files in the repository (links are not followed) — run `sentinel schema pull` again' });
      continue;
    }
    if (!e.isFile()) continue;
    const parsed = parseWorkspaceSchema(file, await readFile(join(dir, name), 'utf8'));
    out.diagnostics.push(...parsed.diagnostics);
    if (parsed.schema) out.byTarget.set(parsed.schema.target, parsed.schema);
  }
  return out;
}

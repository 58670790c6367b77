/**
 * A workspace's pulled schema (`schemas/workspaces/<target>.json`, written by `sentinel schema pull`):
 * the tables that exist in one target's Log Analytics workspace with their columns, and its saved
 * functions. Committed, so PR validation checks every rule against each workspace it deploys to
 * without Azure access. Pure: the type, its stable serialisation and its shape check.
 */
import { KQL_TYPES, toKqlType, type KqlType } from './kql-type.ts';

/** Folder of the pulled schemas, repo-relative. */
export const WORKSPACE_SCHEMA_DIR = 'schemas/workspaces';
/** `validate` warns when a pulled schema is older than this. */
export const WORKSPACE_SCHEMA_MAX_AGE_DAYS = 30;
export const WORKSPACE_SCHEMA_VERSION = 1;

export interface WorkspaceSchemaFunction {
  /** Parameter list as the saved search stores it (`functionParameters`), e.g. `window:timespan = 1d`; '' when none. */
  parameters: string;
  /** The function body (the saved search's query). */
  body: string;
  category?: string;
}

export interface WorkspaceSchema {
  version: typeof WORKSPACE_SCHEMA_VERSION;
  /** Target name (the `targets/<name>.yaml` stem). */
  target: string;
  /** ARM id of the workspace the schema was read from. */
  workspace: string;
  /** Day of the pull, `YYYY-MM-DD` (UTC). */
  pulledAt: string;
  /** Table name → columns `[name, type]` in the service's order. */
  tables: Record<string, [string, KqlType][]>;
  /** Function alias → its definition. */
  functions: Record<string, WorkspaceSchemaFunction>;
}

/** A column type as the Tables API spells it (`boolean`, `dateTime`, …) in Kusto's spelling; unknown types stay `dynamic`. */
export function kqlTypeOfApiColumn(type: string | undefined): KqlType {
  return toKqlType(type ?? '') ?? 'dynamic';
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Stable, diff-friendly JSON: keys in a fixed order, tables and functions sorted by name, one table
 * per line (a connector enabled or removed is one added/removed line), columns in the service's order.
 */
export function formatWorkspaceSchema(s: WorkspaceSchema): string {
  const lines = [
    '{',
    `  "version": ${s.version},`,
    `  "target": ${JSON.stringify(s.target)},`,
    `  "workspace": ${JSON.stringify(s.workspace)},`,
    `  "pulledAt": ${JSON.stringify(s.pulledAt)},`,
  ];
  const tables = Object.keys(s.tables).sort(byName);
  lines.push(tables.length ? '  "tables": {' : '  "tables": {},');
  tables.forEach((name, i) => lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(s.tables[name])}${i < tables.length - 1 ? ',' : ''}`));
  if (tables.length) lines.push('  },');
  const fns = Object.keys(s.functions).sort(byName);
  lines.push(fns.length ? '  "functions": {' : '  "functions": {}');
  fns.forEach((name, i) => {
    const f = s.functions[name]!;
    const ordered = { parameters: f.parameters, ...(f.category !== undefined ? { category: f.category } : {}), body: f.body };
    lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(ordered)}${i < fns.length - 1 ? ',' : ''}`);
  });
  if (fns.length) lines.push('  }');
  lines.push('}', '');
  return lines.join('\n');
}

/** A shape problem: the JSON path (`tables.SigninLogs[3]`) and what is wrong. */
export interface SchemaProblem {
  path: string;
  /** The key to point at in the file (a table or function name), when the problem is inside one. */
  key?: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed file; returns the schema or the problems. */
export function checkWorkspaceSchema(value: unknown): { schema?: WorkspaceSchema; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  if (!isObject(value)) return { problems: [{ path: '', message: 'a pulled workspace schema must be a JSON object {version, target, workspace, pulledAt, tables, functions}' }] };
  if (value['version'] !== WORKSPACE_SCHEMA_VERSION) problems.push({ path: 'version', message: `version must be ${WORKSPACE_SCHEMA_VERSION}; re-run \`sentinel schema pull\`` });
  for (const k of ['target', 'workspace'] as const) if (typeof value[k] !== 'string' || value[k] === '') problems.push({ path: k, message: `${k} must be a non-empty string` });
  const at = value['pulledAt'];
  if (typeof at !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(at) || Number.isNaN(Date.parse(`${at}T00:00:00Z`))) problems.push({ path: 'pulledAt', message: 'pulledAt must be a date YYYY-MM-DD' });
  const tables = value['tables'];
  if (!isObject(tables)) problems.push({ path: 'tables', message: 'tables must be an object: table name → [[column, type], …]' });
  else {
    for (const [name, cols] of Object.entries(tables)) {
      const bad = !Array.isArray(cols) || cols.some((c) => !Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string' || !(KQL_TYPES as readonly unknown[]).includes(c[1]));
      if (bad) problems.push({ path: `tables.${name}`, key: name, message: `table ${name}: columns must be [[name, type], …] with types ${KQL_TYPES.join(', ')}` });
    }
  }
  const fns = value['functions'];
  if (!isObject(fns)) problems.push({ path: 'functions', message: 'functions must be an object: alias → {parameters, body}' });
  else {
    for (const [name, f] of Object.entries(fns)) {
      if (!isObject(f) || typeof f['parameters'] !== 'string' || typeof f['body'] !== 'string') problems.push({ path: `functions.${name}`, key: name, message: `function ${name} must be {parameters: string, body: string}` });
    }
  }
  return problems.length ? { problems } : { schema: value as unknown as WorkspaceSchema, problems };
}

/** Whole days from `pulledAt` to `now` (UTC). */
export function schemaAgeDays(pulledAt: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${pulledAt}T00:00:00Z`)) / 86_400_000);
}

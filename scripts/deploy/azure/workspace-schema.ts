/**
 * Reads a target workspace's schema through `@azure/arm-operationalinsights`: every table the
 * Tables API lists (built-in and custom, columns = `schema.standardColumns` + `schema.columns`) and
 * every saved search that is a function (`functionAlias`). The result is the plain
 * `WorkspaceSchema` that `sentinel schema pull` writes to `schemas/workspaces/<target>.json`.
 */
import type { SubscriptionClients } from './clients.ts';
import type { WorkspaceRef } from '../desired/model.ts';
import { workspaceResourceId } from '../desired/model.ts';
import { kqlTypeOfApiColumn, WORKSPACE_SCHEMA_VERSION, type WorkspaceSchema, type WorkspaceSchemaFunction } from '../../model/workspace-schema.ts';
import type { KqlType } from '../../model/tables.ts';
import { withoutCommentsAndStrings } from '../../kusto/lexical.ts';

/** Table name → columns, as the workspace's Tables API reports them. */
export async function workspaceTables(clients: SubscriptionClients, ws: WorkspaceRef): Promise<Map<string, [string, KqlType][]>> {
  const out = new Map<string, [string, KqlType][]>();
  for await (const t of clients.operationalInsights.tables.listByWorkspace(ws.resourceGroup, ws.workspaceName)) {
    const name = t.schema?.name ?? t.name;
    if (!name) continue;
    const seen = new Set<string>();
    const cols: [string, KqlType][] = [];
    for (const c of [...(t.schema?.standardColumns ?? []), ...(t.schema?.columns ?? [])]) {
      if (!c.name || seen.has(c.name)) continue;
      seen.add(c.name);
      cols.push([c.name, kqlTypeOfApiColumn(c.type)]);
    }
    out.set(name, cols);
  }
  return out;
}

/** Function alias → definition, from the workspace's saved searches. */
export async function workspaceFunctions(clients: SubscriptionClients, ws: WorkspaceRef): Promise<Map<string, WorkspaceSchemaFunction>> {
  const list = await clients.operationalInsights.savedSearches.listByWorkspace(ws.resourceGroup, ws.workspaceName);
  const out = new Map<string, WorkspaceSchemaFunction>();
  for (const s of list.value ?? []) {
    if (!s.functionAlias) continue;
    out.set(s.functionAlias, { parameters: s.functionParameters ?? '', ...(s.category ? { category: s.category } : {}), body: s.query });
  }
  return out;
}

/** The whole schema of one target's workspace; `now` dates it. */
export async function pullWorkspaceSchema(clients: SubscriptionClients, ws: WorkspaceRef, target: string, now: Date): Promise<WorkspaceSchema> {
  const [tables, functions] = await Promise.all([workspaceTables(clients, ws), workspaceFunctions(clients, ws)]);
  return {
    version: WORKSPACE_SCHEMA_VERSION,
    target,
    workspace: workspaceResourceId(ws),
    pulledAt: now.toISOString().slice(0, 10),
    tables: Object.fromEntries(tables),
    functions: Object.fromEntries(functions),
  };
}

/** Azure's 400 for an alert rule whose query reads a table the workspace lacks (see scripts/emulator/README.md). */
export const MISSING_TABLE_ERROR = /One of the tables does not exist/i;

/**
 * For the message of that 400 (Azure does not name the table): the catalogue or custom (`_CL`)
 * tables the query mentions — outside comments and string literals — that the workspace's Tables
 * API does not list. A name scan, not a parse: it only explains an error the service already gave.
 */
export function tablesMissingFrom(query: string, existing: ReadonlySet<string>, known: ReadonlySet<string>): string[] {
  const text = withoutCommentsAndStrings(query);
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![.\w])[A-Za-z_][A-Za-z0-9_]*/g)) {
    const name = m[0];
    if ((known.has(name) || /_CL$/.test(name)) && !existing.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * Microsoft.OperationalInsights/workspaces/tables: GET and list of the workspace's table set
 * (`workspaceTables.ts`), shaped as the REST spec
 * `specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2022-10-01/Tables.json`
 * (same in 2025-02-01) and its examples `TablesGet.json` / `TablesList.json` show them:
 * `{id, name, type, properties: {retentionInDays, totalRetentionInDays, archiveRetentionInDays, plan,
 * provisioningState, retentionInDaysAsDefault, totalRetentionInDaysAsDefault, schema: {name,
 * tableType, tableSubType, source, columns, standardColumns, …}}}`; list → `{value: [...]}`.
 * - Column `type` uses the spec's ColumnTypeEnum spelling (`string, int, long, real, boolean,
 *   dateTime, guid, dynamic`); Kusto's `timespan` and `decimal` are not in that enum (it is
 *   `modelAsString`), the emulator sends them as `timespan` / `decimal` — the spec is silent here.
 * - Built-in tables (`source: microsoft`, `tableType: Microsoft`, `tableSubType: Any` — "the default
 *   subtype with which built-in tables are created") report their columns as `standardColumns` and
 *   `columns: []` (the spec: `columns` = "custom columns", `standardColumns` = "standard columns";
 *   TablesGet.json shows a table with every column under standardColumns). Custom tables
 *   (`source: customer`, `tableType: CustomLog`, `tableSubType: DataCollectionRuleBased`) report their
 *   columns under `columns`, and `TenantId` (guid, as in TablesGet.json) and `Type` under
 *   `standardColumns` unless declared — which standard columns a custom table gets is not documented.
 * - Retention: workspace default 30 days (`retentionInDaysAsDefault: true`), plan `Analytics`. Table
 *   writes (PUT/PATCH/DELETE, search jobs, restore) are not emulated: 405.
 * - A table the workspace lacks → 404 `ResourceNotFound` (code: the emulator's choice, spec silent).
 */
import { methodNotAllowed, notFound } from '../errors.ts';
import type { WorkspaceTable } from '../workspaceTables.ts';
import { workspaceId, type HandlerResult, type Json, type RequestContext } from './common.ts';

export const TABLE_TYPE = 'Microsoft.OperationalInsights/workspaces/tables';

/** Kusto type → the Tables API's ColumnTypeEnum spelling. */
const API_TYPE: Record<string, string> = { bool: 'boolean', datetime: 'dateTime' };

function column(name: string, type: string): Json {
  return { name, type: API_TYPE[type] ?? type, isHidden: false, isDefaultDisplay: false };
}

function render(ctx: RequestContext, t: WorkspaceTable): Json {
  const custom = t.source === 'customer';
  const declared = new Set(t.columns.map((c) => c.name));
  const standard = custom
    ? [['TenantId', 'guid'], ['Type', 'string']].filter(([n]) => !declared.has(n!)).map(([n, ty]) => column(n!, ty!))
    : t.columns.map((c) => column(c.name, c.type));
  return {
    id: `${workspaceId(ctx.scope)}/tables/${t.name}`,
    name: t.name,
    type: TABLE_TYPE,
    properties: {
      retentionInDays: 30,
      totalRetentionInDays: 30,
      archiveRetentionInDays: 0,
      plan: 'Analytics',
      provisioningState: 'Succeeded',
      retentionInDaysAsDefault: true,
      totalRetentionInDaysAsDefault: true,
      schema: {
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        tableType: custom ? 'CustomLog' : 'Microsoft',
        tableSubType: custom ? 'DataCollectionRuleBased' : 'Any',
        source: custom ? 'customer' : 'microsoft',
        columns: custom ? t.columns.map((c) => column(c.name, c.type)) : [],
        standardColumns: standard,
      },
    },
  };
}

export function tables(ctx: RequestContext, name: string | undefined): HandlerResult {
  if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
  const set = ctx.scope.tables!;
  if (name === undefined) return { status: 200, body: { value: [...set.tables.values()].map((t) => render(ctx, t)) } };
  const t = set.byLowerName.get(name.toLowerCase());
  if (!t) throw notFound(`Table '${name}' does not exist in workspace '${ctx.scope.workspace}'.`, 'ResourceNotFound');
  return { status: 200, body: render(ctx, t) };
}

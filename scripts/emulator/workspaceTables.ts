/**
 * The table set of an emulated Log Analytics workspace: which tables exist there (and so which
 * tables an analytics rule's query may read) and their columns, as the Tables API
 * (`Microsoft.OperationalInsights/workspaces/tables`) reports them.
 *
 * Default: every table of the built-in catalogue (`model/tables.ts`, the Azure Monitor table
 * reference), i.e. a workspace with every connector enabled. The config narrows it per workspace
 * (`builtIn: [names]` or `without: [names]`: connectors not enabled) and adds custom tables
 * (`custom: [{name, columns}]`, e.g. `Vendor_CL`). Pure: built once from the config.
 */
import { loadAsimFunctions, loadCatalogue, type ColumnDef, type KqlType } from '../model/tables.ts';

/** Per-workspace table configuration (`tables:` in the emulator config). */
export interface WorkspaceTablesConfig {
  /** Built-in tables that exist: `catalogue` (default, all of them) or a list of catalogue table names. */
  builtIn?: 'catalogue' | string[];
  /** Built-in tables that do not exist here (their connector is not enabled). */
  without?: string[];
  /** Custom tables (`*_CL` and other customer tables) with their columns. */
  custom?: { name: string; columns: { name: string; type: string }[] }[];
}

export interface WorkspaceTable {
  name: string;
  description: string;
  /** `microsoft` (built-in) or `customer` (custom table), as `properties.schema.source`. */
  source: 'microsoft' | 'customer';
  columns: ColumnDef[];
}

export interface WorkspaceTables {
  /** Tables by exact name. */
  tables: Map<string, WorkspaceTable>;
  /** Lower-cased name → table (ARM paths match case-insensitively). */
  byLowerName: Map<string, WorkspaceTable>;
}

const KQL_TYPES = new Set<KqlType>(['string', 'int', 'long', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid', 'decimal']);
/** Type spellings the Tables API and Azure-Sentinel's CustomTables files use, mapped to Kusto's. */
const TYPE_ALIASES: Record<string, KqlType> = { boolean: 'bool', datetime: 'datetime', double: 'real', integer: 'int', uniqueidentifier: 'guid' };

export class WorkspaceTablesError extends Error {}

function kqlType(where: string, t: unknown): KqlType {
  if (typeof t !== 'string') throw new WorkspaceTablesError(`${where} must be a column type (string, int, long, real, bool, datetime, timespan, dynamic, guid, decimal)`);
  const lower = t.toLowerCase();
  const mapped = (KQL_TYPES.has(lower as KqlType) ? lower : TYPE_ALIASES[lower]) as KqlType | undefined;
  if (!mapped) throw new WorkspaceTablesError(`${where}: unknown column type '${t}' (use string, int, long, real, bool, datetime, timespan, dynamic, guid or decimal)`);
  return mapped;
}

function builtInTable(where: string, name: unknown): WorkspaceTable {
  if (typeof name !== 'string') throw new WorkspaceTablesError(`${where} must be a table name`);
  const t = loadCatalogue().get(name);
  if (!t) throw new WorkspaceTablesError(`${where}: '${name}' is not a table of the built-in catalogue (custom tables go under tables.custom)`);
  return { name: t.name, description: t.description, source: 'microsoft', columns: t.columns };
}

/** Builds a workspace's table set; `where` prefixes config errors (e.g. `workspaces[0].tables`). */
export function buildWorkspaceTables(where: string, cfg: WorkspaceTablesConfig | undefined): WorkspaceTables {
  const tables = new Map<string, WorkspaceTable>();
  const builtIn = cfg?.builtIn ?? 'catalogue';
  if (builtIn === 'catalogue') {
    for (const t of loadCatalogue().values()) tables.set(t.name, { name: t.name, description: t.description, source: 'microsoft', columns: t.columns });
  } else if (Array.isArray(builtIn)) {
    builtIn.forEach((n, i) => {
      const t = builtInTable(`${where}.builtIn[${i}]`, n);
      tables.set(t.name, t);
    });
  } else {
    throw new WorkspaceTablesError(`${where}.builtIn must be 'catalogue' or a list of table names`);
  }
  (cfg?.without ?? []).forEach((n, i) => tables.delete(builtInTable(`${where}.without[${i}]`, n).name));
  (cfg?.custom ?? []).forEach((c, i) => {
    const w = `${where}.custom[${i}]`;
    if (typeof c?.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.name)) throw new WorkspaceTablesError(`${w}.name must be a table name (letters, digits, _)`);
    if (!Array.isArray(c.columns) || c.columns.length === 0) throw new WorkspaceTablesError(`${w}.columns must list the table's columns ({name, type})`);
    const columns = c.columns.map((col, j) => {
      if (typeof col?.name !== 'string' || col.name === '') throw new WorkspaceTablesError(`${w}.columns[${j}].name must be a column name`);
      return { name: col.name, type: kqlType(`${w}.columns[${j}].type`, col.type) };
    });
    tables.set(c.name, { name: c.name, description: '', source: 'customer', columns });
  });
  return { tables, byLowerName: new Map([...tables.values()].map((t) => [t.name.toLowerCase(), t])) };
}

/** The functions every Sentinel workspace provides without a saved search (the ASIM parsers). */
export function builtInFunctionNames(): Set<string> {
  return new Set(loadAsimFunctions().keys());
}

/**
 * The Sentinel table catalogue: one YAML data file per table in `scripts/kusto/tables/`, with typed
 * columns as documented in the Azure Monitor table reference. Loaded once per process.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Kusto scalar type names as used in table schemas. */
export type KqlType = 'string' | 'int' | 'long' | 'real' | 'bool' | 'datetime' | 'timespan' | 'dynamic' | 'guid' | 'decimal';

export interface ColumnDef {
  name: string;
  type: KqlType;
  description?: string;
}

export interface TableDef {
  name: string;
  description: string;
  columns: ColumnDef[];
}

const tablesDir = fileURLToPath(new URL('./tables/', import.meta.url));
let cache: Map<string, TableDef> | undefined;

export function loadCatalogue(): Map<string, TableDef> {
  if (cache) return cache;
  const tables = new Map<string, TableDef>();
  for (const f of readdirSync(tablesDir).filter((n) => n.endsWith('.yaml')).sort()) {
    const def = parse(readFileSync(tablesDir + f, 'utf8')) as TableDef;
    tables.set(def.name, def);
  }
  cache = tables;
  return tables;
}

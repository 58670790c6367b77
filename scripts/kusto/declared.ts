/**
 * Declared schemas (`schemas/tables/`, `schemas/functions/`, loaded by content/declared.ts) as the
 * Kusto world takes them: `KqlSchemaInput` tables and functions, plus the findings that need the
 * catalogue to decide.
 *
 * - A declared table the catalogue does not have gets the standard Log Analytics columns
 *   (`TenantId`, `Type`, `_ResourceId`, …) it lacks, as every Log Analytics table has them.
 * - A declared table with a catalogue table's name extends it: declared columns the catalogue lacks
 *   are added (custom columns of that workspace); a column typed differently is a warning and the
 *   declared type is used (the workspace is the judge, and the file says what it has).
 * - A function with declared output columns is a tabular function (callers see those columns); one
 *   with only a `Query` body is a saved function whose output the service infers.
 * - The same table or function declared twice, or a function with a table's name, is an error.
 */
import { diagAt } from '../model/diagnostics.ts';
import type { DeclaredSchemas, Diagnostic } from '../model/types.ts';
import { loadCatalogue, STANDARD_COLUMNS, type FunctionDef } from './catalogue.ts';
import type { SavedFunction, TableSchema } from './types.ts';

export interface DeclaredKql {
  tables: TableSchema[];
  tabularFunctions: FunctionDef[];
  functions: SavedFunction[];
  diagnostics: Diagnostic[];
}

/** `declared` against `catalogue` (default: the built-in one). Never throws. */
export function declaredKql(declared: DeclaredSchemas, catalogue: ReadonlyMap<string, TableSchema> = loadCatalogue()): DeclaredKql {
  const out: DeclaredKql = { tables: [], tabularFunctions: [], functions: [], diagnostics: [] };
  const tableFiles = new Map<string, string>();
  const declaredFunctions = new Map(declared.functions.map((f) => [f.name, f.source.file]));
  for (const t of declared.tables) {
    const other = tableFiles.get(t.name);
    if (other) {
      out.diagnostics.push(diagAt(t.source, t.nameAt, 'error', 'declared/duplicate-table', `table ${t.name} is also declared in ${other}; keep one file per table`));
      continue;
    }
    // Azure-Sentinel declares some vendor parsers both ways (CustomTables and CustomFunctions). A
    // custom table's name ends in _CL, so a name without it can only be a function in a workspace:
    // the function is used.
    const fn = declaredFunctions.get(t.name);
    if (fn && !t.name.endsWith('_CL') && !catalogue.has(t.name)) {
      out.diagnostics.push(diagAt(t.source, t.nameAt, 'warning', 'declared/table-is-function',
        `${t.name} is also declared as a function (${fn}); only a _CL name can be a custom table, so the function is used — remove this file`));
      continue;
    }
    tableFiles.set(t.name, t.source.file);
    const builtIn = catalogue.get(t.name);
    const columns = builtIn ? builtIn.columns.map((c) => ({ name: c.name, type: c.type })) : [];
    const index = new Map(columns.map((c, i) => [c.name, i]));
    for (const c of t.columns) {
      const i = index.get(c.name);
      if (i === undefined) {
        index.set(c.name, columns.length);
        columns.push({ name: c.name, type: c.type });
      } else if (columns[i]!.type !== c.type) {
        out.diagnostics.push(diagAt(t.source, c.at, 'warning', 'declared/type-differs',
          `${t.name}.${c.name} is ${columns[i]!.type} in the built-in catalogue (Azure Monitor table reference) but declared ${c.type} here; the declared type is used — check the workspace's table schema`));
        columns[i] = { name: c.name, type: c.type };
      }
    }
    if (!builtIn) for (const s of STANDARD_COLUMNS) if (!index.has(s.name)) columns.push({ name: s.name, type: s.type });
    const description = t.description ?? builtIn?.description ?? `Declared in ${t.source.file}`;
    out.tables.push({ name: t.name, columns, description });
  }
  const functionFiles = new Map<string, string>();
  for (const f of declared.functions) {
    const other = functionFiles.get(f.name);
    if (other) {
      out.diagnostics.push(diagAt(f.source, f.nameAt, 'error', 'declared/duplicate-function', `function ${f.name} is also declared in ${other}; keep one file per function`));
      continue;
    }
    functionFiles.set(f.name, f.source.file);
    if (tableFiles.has(f.name) || catalogue.has(f.name)) {
      const where = tableFiles.has(f.name) ? `declared in ${tableFiles.get(f.name)}` : 'in the built-in catalogue';
      out.diagnostics.push(diagAt(f.source, f.nameAt, 'error', 'declared/function-is-table',
        `function ${f.name} has the name of a table (${where}); a query naming it reads the table — rename the function`));
      continue;
    }
    const description = f.description ?? `Declared in ${f.source.file}`;
    if (f.columns === null) {
      const parameters = `(${f.parameters.map((p) => `${p.name}:${p.type}${p.default !== undefined ? `=${p.default}` : ''}`).join(', ')})`;
      out.functions.push({ name: f.name, parameters, body: f.body ?? '', description });
    } else {
      out.tabularFunctions.push({ name: f.name, description, parameters: f.parameters, columns: f.columns.map((c) => ({ name: c.name, type: c.type })) });
    }
  }
  return out;
}

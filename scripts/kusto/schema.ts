/**
 * What a query can name, resolved once per schema input: the built-in catalogue and ASIM functions
 * (unless `builtIns: false`) overlaid with the input's tables and functions, with the precedence
 * documented on `KqlSchemaInput`. The global-state builder, the evaluator and the cache keys all
 * read this one result, so they agree on which table or function a name means.
 */
import { loadAsimFunctions, loadCatalogue, type FunctionDef } from './catalogue.ts';
import type { KqlSchemaInput, SavedFunction, TableSchema, WatchlistSchema } from './types.ts';

export interface ResolvedSchema {
  tables: ReadonlyMap<string, TableSchema>;
  /** Functions with declared output columns; never a name of a table or saved function. */
  tabularFunctions: ReadonlyMap<string, FunctionDef>;
  /** Functions with a body; never a name of a table. */
  savedFunctions: ReadonlyMap<string, SavedFunction>;
  watchlists: readonly WatchlistSchema[];
}

const memo = new WeakMap<KqlSchemaInput, ResolvedSchema>();

export function resolveSchema(input: KqlSchemaInput): ResolvedSchema {
  const hit = memo.get(input);
  if (hit) return hit;
  const builtIns = input.builtIns !== false;
  const tables = new Map<string, TableSchema>(builtIns ? loadCatalogue() : []);
  for (const t of input.tables ?? []) tables.set(t.name, t);
  const savedFunctions = new Map<string, SavedFunction>();
  for (const f of input.functions ?? []) if (!tables.has(f.name)) savedFunctions.set(f.name, f);
  const tabularFunctions = new Map<string, FunctionDef>();
  for (const f of [...(builtIns ? loadAsimFunctions().values() : []), ...(input.tabularFunctions ?? [])]) {
    if (!tables.has(f.name) && !savedFunctions.has(f.name)) tabularFunctions.set(f.name, f);
  }
  if (input.only) {
    const keep = new Set(input.only);
    for (const name of [...tables.keys()]) if (!keep.has(name)) tables.delete(name);
    for (const name of [...tabularFunctions.keys()]) if (!keep.has(name)) tabularFunctions.delete(name);
  }
  const resolved: ResolvedSchema = { tables, tabularFunctions, savedFunctions, watchlists: input.watchlists };
  memo.set(input, resolved);
  return resolved;
}

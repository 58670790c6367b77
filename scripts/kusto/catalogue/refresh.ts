// Rebuilds scripts/model/data/tables.json (the catalogue data model/tables.ts loads) from a local clone of
// MicrosoftDocs/azure-reference-other (the Azure Monitor table reference).
//
//   npx tsx scripts/kusto/catalogue/refresh.ts <path-to-azure-reference-other> [--retrieved YYYY-MM-DD] [--out file]
//
// Reads every azure-monitor-ref/tables/*.md (index pages excluded), resolves
// [!INCLUDE] column files from azure-monitor-ref/tables/includes/, adds the standard
// Log Analytics columns when a page does not list them, merges additions.json and
// writes tables.json deterministically (tables sorted by name, columns in doc order).
// No network access.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTableReference, normaliseKustoType, type KustoScalarType } from './parse-reference.ts';
import { STANDARD_COLUMNS as STANDARD_COLUMN_DEFS } from '../catalogue.ts';

export const SOURCE = 'MicrosoftDocs/azure-reference-other azure-monitor-ref/tables (Azure Monitor table reference)';

/** "Standard columns in Azure Monitor Logs": present on every table even when a page omits them (one list, in ../catalogue.ts). */
export const STANDARD_COLUMNS: ReadonlyArray<readonly [string, KustoScalarType]> = STANDARD_COLUMN_DEFS.map((c) => [c.name, c.type] as const);

export type ColumnTuple = [name: string, type: KustoScalarType];
export interface CatalogueTable {
  name: string;
  description: string;
  categories: string[];
  columns: ColumnTuple[];
}
export interface Catalogue {
  source: string;
  retrieved: string;
  tables: CatalogueTable[];
}

interface AdditionTable {
  name: string;
  description?: string;
  categories?: string[];
  columns: [string, string][];
  why: string;
}
interface AdditionColumns {
  table: string;
  columns: [string, string][];
  why: string;
}
export interface Additions {
  tables?: AdditionTable[];
  columns?: AdditionColumns[];
}

const byName = (a: { name: string }, b: { name: string }): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

function toTuples(cols: [string, string][], where: string, warnings: string[]): ColumnTuple[] {
  const out: ColumnTuple[] = [];
  for (const [n, t] of cols) {
    const type = normaliseKustoType(t);
    if (!type) warnings.push(`${where}: column ${n} has unknown type ${t}`);
    else out.push([n, type]);
  }
  return out;
}

function addMissing(table: CatalogueTable, cols: ReadonlyArray<readonly [string, KustoScalarType]>): number {
  const have = new Set(table.columns.map((c) => c[0]));
  let n = 0;
  for (const [name, type] of cols) {
    if (have.has(name)) continue;
    table.columns.push([name, type]);
    have.add(name);
    n++;
  }
  return n;
}

/** Builds the catalogue from a reference clone; pure apart from reading files under `root`. */
export function buildCatalogue(root: string, additions: Additions, retrieved: string): { catalogue: Catalogue; warnings: string[] } {
  const warnings: string[] = [];
  const dir = join(root, 'azure-monitor-ref', 'tables');
  if (!existsSync(dir)) throw new Error(`${dir} not found: pass the root of a clone of MicrosoftDocs/azure-reference-other`);
  const incDir = join(dir, 'includes');
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.md') && !/^(tables-|index|toc)/i.test(f))
    .sort();
  const tables = new Map<string, CatalogueTable>();
  for (const f of files) {
    const md = readFileSync(join(dir, f), 'utf8');
    const includes: Record<string, string> = {};
    for (const m of md.matchAll(/\[!INCLUDE\s*\[[^\]]*\]\(([^)]+)\)\s*\]/gi)) {
      const incFile = join(incDir, m[1]!.trim().split('/').pop()!);
      if (existsSync(incFile)) includes[m[1]!.trim()] = readFileSync(incFile, 'utf8');
    }
    const parsed = parseTableReference(md, f, includes);
    warnings.push(...parsed.warnings);
    if (parsed.columns.length === 0) {
      warnings.push(`${f}: no columns, table skipped`);
      continue;
    }
    const key = parsed.name.toLowerCase();
    if (tables.has(key)) {
      warnings.push(`${f}: duplicate table ${parsed.name}, skipped`);
      continue;
    }
    tables.set(key, {
      name: parsed.name,
      description: parsed.description,
      categories: parsed.categories,
      columns: parsed.columns.map((c) => [c.name, c.type] as ColumnTuple),
    });
  }
  for (const t of tables.values()) addMissing(t, STANDARD_COLUMNS);

  for (const a of additions.tables ?? []) {
    const where = `additions.json table ${a.name}`;
    if (!a.why) warnings.push(`${where}: missing "why"`);
    const cols = toTuples(a.columns, where, warnings);
    const existing = tables.get(a.name.toLowerCase());
    if (existing) {
      const added = addMissing(existing, cols);
      if (added === 0) warnings.push(`${where}: the reference now covers this table; the addition can go`);
      continue;
    }
    const t: CatalogueTable = { name: a.name, description: a.description ?? '', categories: a.categories ?? [], columns: [] };
    addMissing(t, cols);
    addMissing(t, STANDARD_COLUMNS);
    tables.set(a.name.toLowerCase(), t);
  }
  for (const a of additions.columns ?? []) {
    const where = `additions.json columns for ${a.table}`;
    if (!a.why) warnings.push(`${where}: missing "why"`);
    const t = tables.get(a.table.toLowerCase());
    if (!t) {
      warnings.push(`${where}: table not in the catalogue`);
      continue;
    }
    if (addMissing(t, toTuples(a.columns, where, warnings)) === 0) warnings.push(`${where}: all already documented; the addition can go`);
  }

  return { catalogue: { source: SOURCE, retrieved, tables: [...tables.values()].sort(byName) }, warnings };
}

/** Stable, compact JSON: one table per line group, columns as 2-tuples. */
export function formatCatalogue(c: Catalogue): string {
  const lines = [`{`, `  "source": ${JSON.stringify(c.source)},`, `  "retrieved": ${JSON.stringify(c.retrieved)},`, `  "tables": [`];
  c.tables.forEach((t, i) => {
    const head = `    { "name": ${JSON.stringify(t.name)}, "description": ${JSON.stringify(t.description)}, "categories": ${JSON.stringify(t.categories)},`;
    const cols = `      "columns": [${t.columns.map((col) => JSON.stringify(col)).join(', ')}] }`;
    lines.push(head, cols + (i < c.tables.length - 1 ? ',' : ''));
  });
  lines.push(`  ]`, `}`, ``);
  return lines.join('\n').replace(/","/g, '", "');
}

function main(argv: string[]): number {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = [...argv];
  let retrieved = new Date().toISOString().slice(0, 10);
  let out = join(here, '..', '..', 'model', 'data', 'tables.json');
  const rest: string[] = [];
  while (args.length) {
    const a = args.shift()!;
    if (a === '--retrieved') retrieved = args.shift() ?? retrieved;
    else if (a === '--out') out = resolve(args.shift() ?? out);
    else rest.push(a);
  }
  if (rest.length !== 1) {
    console.error('usage: npx tsx scripts/kusto/catalogue/refresh.ts <path-to-azure-reference-other> [--retrieved YYYY-MM-DD] [--out file]');
    return 2;
  }
  const additionsFile = join(here, 'additions.json');
  const additions: Additions = existsSync(additionsFile) ? JSON.parse(readFileSync(additionsFile, 'utf8')) : {};
  const { catalogue, warnings } = buildCatalogue(resolve(rest[0]!), additions, retrieved);
  for (const w of warnings) console.warn(`warning: ${w}`);
  writeFileSync(out, formatCatalogue(catalogue));
  const cols = catalogue.tables.reduce((n, t) => n + t.columns.length, 0);
  console.log(`wrote ${out}: ${catalogue.tables.length} tables, ${cols} columns, ${warnings.length} warnings`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));

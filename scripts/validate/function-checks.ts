/**
 * Functions as content (`functions/<alias>.yaml`): the body as a query site (analysed under a
 * `declare query_parameters(…)` prefix, so it may use its parameters), and the checks of a function
 * definition: file name, unique alias, parameters (unique names, defaults of the declared type, no
 * parameter without a default after one with), and names it must not take (a table of the
 * catalogue or the repository, a built-in Kusto, Log Analytics or ASIM function).
 */
import { join } from 'node:path';
import { diagAt } from '../model/diagnostics.ts';
import type { Diagnostic, FunctionFile, FunctionTestFile, Repo } from '../model/types.ts';
import { loadCatalogue } from '../kusto/catalogue.ts';
import { declaredKql, type DeclaredKql } from '../kusto/declared.ts';
import { createKqlAnalyzer } from './kql/analyzer.ts';
import { kqlSchemaOf, runKql } from './kql-checks.ts';
import { functionBodyQuery, parameterText, reservedFunctionName } from '../kusto/functions.ts';
import { ParameterError } from '../kusto/parameters.ts';
import type { QuerySite } from '../content/query-sites.ts';

/** The body of every function as a query site; offsets inside the prefix point at the body's start. */
export function functionSites(functions: readonly FunctionFile[]): QuerySite[] {
  return functions.map((f) => {
    const { prefix, query } = functionBodyQuery(f.fn);
    return { source: f.source, path: ['body'], query, toValueOffset: (o: number) => Math.max(0, o - prefix.length), functionFile: f.source.file };
  });
}

/**
 * The functions other queries may call: a function whose alias is a table or a reserved name, or a
 * second one with the same alias, is left out (its own error says why) so it cannot break the
 * queries that read that table or call that function.
 */
export function usableFunctions(functions: readonly FunctionFile[], tables: ReadonlySet<string>): FunctionFile[] {
  const seen = new Set<string>();
  return functions.filter((f) => {
    const key = f.fn.alias.toLowerCase();
    if (seen.has(key) || tables.has(f.fn.alias) || reservedFunctionName(f.fn.alias)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Names a repo function must not take: the catalogue's tables and the declared tables and tabular
 * functions (`schemas/`), which queries can already read.
 */
export function takenNames(declared: Pick<DeclaredKql, 'tables' | 'tabularFunctions'>): Set<string> {
  return new Set([...loadCatalogue().keys(), ...declared.tables.map((t) => t.name), ...declared.tabularFunctions.map((f) => f.name)]);
}

/** Checks of each function file and across them; `tables` are the table names queries can read. */
export function checkFunctions(functions: readonly FunctionFile[], tables: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, FunctionFile>();
  for (const f of functions) {
    const { alias } = f.fn;
    if (f.slug !== alias) {
      out.push(diagAt(f.source, ['alias'], 'error', 'check/function-file', `the function ${alias} must be in functions/${alias}.yaml (this file is ${f.slug}.yaml); rename the file or the alias`));
    }
    // Saved search names are ARM resource names: case-insensitive.
    const first = byName.get(alias.toLowerCase());
    if (first) {
      out.push(diagAt(f.source, ['alias'], 'error', 'check/duplicate-alias', `function alias ${alias} is already used by ${first.source.file}${first.fn.alias !== alias ? ` (${first.fn.alias}; aliases differing only in case are one saved search)` : ''}`));
    } else byName.set(alias.toLowerCase(), f);
    if (tables.has(alias)) {
      out.push(diagAt(f.source, ['alias'], 'error', 'check/function-name', `function alias ${alias} is the name of a table; queries calling ${alias} would be ambiguous — choose another alias`));
    } else {
      const reserved = reservedFunctionName(alias);
      if (reserved) out.push(diagAt(f.source, ['alias'], 'error', 'check/function-name', `function alias ${alias} is ${reserved}; a workspace function of that name would hide or clash with it — choose another alias`));
    }
    const seen = new Set<string>();
    let defaulted: string | undefined;
    (f.fn.parameters ?? []).forEach((p, i) => {
      if (seen.has(p.name)) out.push(diagAt(f.source, ['parameters', i, 'name'], 'error', 'check/function-parameter', `parameter ${p.name} is declared twice`));
      seen.add(p.name);
      if (p.default === undefined && defaulted) {
        out.push(diagAt(f.source, ['parameters', i, 'name'], 'error', 'check/function-parameter', `parameter ${p.name} has no default but follows ${defaulted}, which has one; KQL needs parameters with defaults last`));
      }
      if (p.default !== undefined) defaulted ??= p.name;
      try {
        parameterText(p);
      } catch (e) {
        if (!(e instanceof ParameterError)) throw e;
        out.push(diagAt(f.source, ['parameters', i, 'default'], 'error', 'check/function-parameter', e.message));
      }
    });
  }
  return out;
}

/** Each `functions/<alias>.tests.yaml` belongs to a function. */
export function checkFunctionTests(functions: readonly FunctionFile[], tests: readonly FunctionTestFile[], failed: ReadonlySet<string> = new Set()): Diagnostic[] {
  const files = new Set(functions.map((f) => f.source.file));
  // A function file that failed to load is reported where it fails, not again as "no function".
  return tests
    .filter((t) => !files.has(t.functionFile) && !failed.has(t.functionFile))
    .map((t) => diagAt(t.source, [], 'error', 'check/orphan-tests', `no function ${t.functionFile} beside this test file; rename it to <alias>.tests.yaml`));
}

/**
 * The errors that keep a function from being deployed: its definition checks and the KQL errors of
 * its body. `plan`/`apply` run this before touching a workspace (a whole `validate` is CI's job).
 */
export async function functionErrors(repo: Pick<Repo, 'root' | 'functions' | 'watchlists' | 'schemas'>): Promise<Diagnostic[]> {
  if (!repo.functions.length) return [];
  const declared = declaredKql(repo.schemas);
  const tables = takenNames(declared);
  // The on-disk KQL cache `validate` uses: an unchanged function costs no analysis here.
  const analyzer = createKqlAnalyzer(kqlSchemaOf({ watchlists: repo.watchlists, functions: usableFunctions(repo.functions, tables) }, declared), { cacheDir: join(repo.root, '.sentinel', 'cache', 'kql') });
  const kql = await runKql(analyzer, functionSites(repo.functions), 0);
  return [...checkFunctions(repo.functions, tables), ...kql.diagnostics].filter((d) => d.severity === 'error');
}

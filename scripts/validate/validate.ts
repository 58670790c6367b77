import { existsSync } from 'node:fs';
/**
 * `validate`: load → schema → KQL → cross-checks → (optionally) version discipline vs a git base.
 * Returns plain diagnostics; printing is the report stage's job.
 */
import { join } from 'node:path';
import { dedupeDiagnostics, sortDiagnostics } from '../model/diagnostics.ts';
import { changedContentFiles, contentAtRef, resolveRef } from '../content/git.ts';
import { CONTENT_DIRS, loadRepo, toRepoPath } from '../content/load.ts';
import { declaredKindOf } from '../content/declared.ts';
import type { Diagnostic, Repo } from '../model/types.ts';
import { createKqlAnalyzer, type KqlAnalysis } from './kql/analyzer.ts';
import { kqlSchemaOf, runKql } from './kql-checks.ts';
import { declaredKql } from '../kusto/declared.ts';
import { querySites } from '../content/query-sites.ts';
import { checkRepo } from './repo-checks.ts';
import { checkRule } from './rule-checks.ts';
import { loadWorkspaceSchemas } from '../content/workspace-schemas.ts';
import { checkWorkspaceSchemas, withPulledFunctions } from './workspace-checks.ts';
import { checkSharedSnippetsInContent, checkSites, readSharedSnippets, SNIPPET_SOURCES } from '../content/shared-snippets.ts';
import { checkFunctionVersions, checkMoves, checkVersions } from './version.ts';
import { checkFunctions, checkFunctionTests, functionSites, takenNames, usableFunctions } from './function-checks.ts';
import { checkWatchlistDefinition, checkWatchlistItems } from './watchlist-checks.ts';

export interface ValidateOptions {
  /** Report only on these files (repo-relative or relative to cwd); cross-file checks still see the whole repo. */
  paths?: string[];
  /** Git ref to compare with: version discipline, and KQL analysis of changed files only. */
  base?: string;
  /** With `base`, still analyse every query. */
  full?: boolean;
  /** Worker threads for KQL analysis of many queries (default 2). */
  workers?: number;
  /** On-disk KQL result cache (default `<root>/.sentinel/cache/kql`; `false` disables it). */
  cacheDir?: string | false;
  /** Extra checks contributed by other stages (e.g. stale generated docs). */
  extraChecks?: ((repo: Repo) => Promise<Diagnostic[]>)[];
  /** Clock for watchlist expiry checks. */
  now?: Date;
}

export interface ValidateResult {
  repo: Repo;
  diagnostics: Diagnostic[];
  /** KQL analysis per rule file (for reports and other stages). */
  analyses: Map<string, KqlAnalysis>;
  stats: { files: number; rules: number; queriesAnalysed: number };
}

export async function validate(root: string, options: ValidateOptions = {}): Promise<ValidateResult> {
  const repo = await loadRepo(root);
  const diagnostics: Diagnostic[] = [...repo.diagnostics];

  for (const w of repo.watchlists) {
    diagnostics.push(...checkWatchlistDefinition(w.watchlist, w.source));
    diagnostics.push(...checkWatchlistItems(w.watchlist, [{ items: w.watchlist.items, source: w.source, path: ['items'], acknowledged: w.watchlist.acknowledgeTrustAll }], options.now));
  }

  // KQL: every query, or with --base only the changed files' queries.
  let changed: Set<string> | undefined;
  let baseCommit: string | undefined;
  if (options.base) {
    baseCommit = await resolveRef(root, options.base);
    changed = await changedContentFiles(root, baseCommit);
    // A changed function changes every query calling it: analyse them all.
    if ([...changed].some((f) => f.startsWith(`${CONTENT_DIRS.functions}/`))) changed = undefined;
  }
  const only = options.paths?.length ? new Set(options.paths.map((p) => toRepoPath(root, p))) : undefined;
  // A changed declared schema can change any query's result: analyse them all (the per-query cache
  // keys make the queries that do not read it cache hits).
  const schemaChanged = changed !== undefined && [...changed].some((p) => declaredKindOf(p));
  const sites = [...querySites(repo), ...functionSites(repo.functions)].filter((s) => {
    if (only && !only.has(s.source.file)) return false;
    if (changed && !options.full && !schemaChanged && !changed.has(s.source.file)) return false;
    return true;
  });
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? join(root, '.sentinel', 'cache', 'kql'));
  const declared = declaredKql(repo.schemas);
  diagnostics.push(...declared.diagnostics);
  const tables = takenNames(declared);
  const functions = repo.functions.length ? usableFunctions(repo.functions, tables) : [];
  const workspaceSchemas = await loadWorkspaceSchemas(root);
  const analyzer = createKqlAnalyzer(withPulledFunctions(kqlSchemaOf({ watchlists: repo.watchlists, functions }, declared), workspaceSchemas), cacheDir ? { cacheDir } : {});
  const kql = await runKql(analyzer, sites, options.workers ?? 2);
  diagnostics.push(...kql.diagnostics);

  for (const r of repo.rules) diagnostics.push(...checkRule(r, kql.byRuleFile.get(r.source.file)));
  // Each rule against the pulled schema of every target it deploys to (schemas/workspaces/).
  diagnostics.push(...checkWorkspaceSchemas(repo, kql.byRuleFile, workspaceSchemas, options.now ?? new Date()));
  diagnostics.push(...checkRepo(repo));
  if (repo.functions.length) diagnostics.push(...checkFunctions(repo.functions, tables));
  diagnostics.push(...checkFunctionTests(repo.functions, repo.functionTests, repo.failed));
  // A repository without the shared snippet files (e.g. a fresh fork) simply has no blocks to check.
  if (SNIPPET_SOURCES.every((s) => existsSync(join(root, s.file)))) {
    const canonical = await readSharedSnippets(root);
    diagnostics.push(...checkSharedSnippetsInContent(repo, canonical));
    // Function bodies may embed a snippet too (or must not copy its guarded constructs).
    const bodies = functionSites(repo.functions);
    for (const c of canonical) diagnostics.push(...checkSites(bodies, c));
  }
  if (baseCommit) {
    const base = await loadRepo(root, { files: await contentAtRef(root, baseCommit) });
    diagnostics.push(...checkVersions(repo.rules, base.rules, options.base!));
    diagnostics.push(...checkMoves(repo.rules, base.rules, repo.targets, options.base!));
    diagnostics.push(...checkFunctionVersions(repo.functions, base.functions, options.base!));
  }
  for (const extra of options.extraChecks ?? []) diagnostics.push(...(await extra(repo)));

  const reported = only ? diagnostics.filter((d) => only.has(d.file)) : diagnostics;
  const loaded = [
    ...repo.rules, ...repo.ruleTests, ...repo.watchlists, ...repo.workbooks, ...repo.targets, ...repo.functions, ...repo.functionTests,
    ...repo.schemas.tables, ...repo.schemas.functions,
  ].map((f) => f.source.file);
  const files = new Set([...loaded, ...repo.diagnostics.map((d) => d.file)]).size;
  return {
    repo,
    diagnostics: sortDiagnostics(dedupeDiagnostics(reported)),
    analyses: kql.byRuleFile,
    stats: { files, rules: repo.rules.length, queriesAnalysed: sites.length },
  };
}

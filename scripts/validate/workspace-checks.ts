/**
 * Rules against the workspaces they deploy to. With a pulled schema (`schemas/workspaces/<target>.json`,
 * `sentinel schema pull`), every table and workspace function a rule reads must exist in each
 * target's workspace — Azure runs the query there on PUT and rejects the rule otherwise. A target
 * without a pulled schema is checked against the built-in catalogue and declared schemas only (the
 * KQL stage). A rule deploys to a target unless the target's `disableRules` selects it.
 * Pure: content, analyses and schemas in, findings out.
 */
import { diagAt, diagAtOffset } from '../model/diagnostics.ts';
import type { Diagnostic, Repo, RuleFile, TargetFile } from '../model/types.ts';
import { ruleMatches } from '../model/select.ts';
import { loadAsimFunctions } from '../kusto/catalogue.ts';
import type { KqlAnalysis, KqlSchemaInput, SavedFunction } from '../kusto/types.ts';
import { loadCatalogue } from '../kusto/catalogue.ts';
import { schemaAgeDays, WORKSPACE_SCHEMA_MAX_AGE_DAYS } from '../model/workspace-schema.ts';
import type { WorkspaceSchemas } from '../content/workspace-schemas.ts';

export interface WorkspaceFinding {
  rule: RuleFile;
  target: TargetFile;
  /** The table or function missing there. */
  name: string;
  kind: 'table' | 'function';
  schemaFile: string;
}

export interface WorkspaceCheckOptions {
  /** Functions the repository itself deploys to every target (functions/ content): never missing. */
  contentFunctions?: Iterable<string>;
}

/**
 * Aliases of the functions the repository deploys itself (`functions/<alias>.yaml`, deployed to
 * every target as saved searches): a target that lacks one now gets it on apply, so it is never
 * "missing". Read structurally, so this check works with and without the functions content kind.
 */
export function contentFunctionAliases(repo: object): string[] {
  const fns = (repo as { functions?: { fn?: { alias?: unknown } }[] }).functions ?? [];
  return fns.map((f) => f.fn?.alias).filter((a): a is string => typeof a === 'string');
}

/** Does `target` deploy `rule`? (its `disableRules` does not select it) */
export function deploysTo(rule: RuleFile, target: TargetFile): boolean {
  return !(target.target.disableRules ?? []).some((g) => ruleMatches(g, rule));
}

/** Every (rule, target, missing table/function) for targets that have a pulled schema. */
export function missingInWorkspaces(
  repo: Pick<Repo, 'rules' | 'targets'>,
  analyses: ReadonlyMap<string, KqlAnalysis>,
  schemas: WorkspaceSchemas,
  opts: WorkspaceCheckOptions = {},
): WorkspaceFinding[] {
  const builtIn = new Set([...loadAsimFunctions().keys(), '_GetWatchlist']);
  const fromContent = new Set(opts.contentFunctions ?? contentFunctionAliases(repo));
  // A called name is a workspace function when some pulled workspace defines it as one.
  const workspaceFunctions = new Set([...schemas.byTarget.values()].flatMap((s) => Object.keys(s.schema.functions)));
  const out: WorkspaceFinding[] = [];
  for (const t of repo.targets) {
    const pulled = schemas.byTarget.get(t.target.name);
    if (!pulled) continue;
    for (const rule of repo.rules) {
      const a = analyses.get(rule.source.file);
      if (!a || !deploysTo(rule, t)) continue;
      for (const table of a.tables) {
        if (!Object.hasOwn(pulled.schema.tables, table)) out.push({ rule, target: t, name: table, kind: 'table', schemaFile: pulled.file });
      }
      for (const fn of a.functionsCalled) {
        if (!workspaceFunctions.has(fn) || builtIn.has(fn) || fromContent.has(fn)) continue;
        if (!Object.hasOwn(pulled.schema.functions, fn)) out.push({ rule, target: t, name: fn, kind: 'function', schemaFile: pulled.file });
      }
    }
  }
  return out;
}

/** The one-line reason (validate's message; plan prefixes the rule). */
export function findingMessage(f: WorkspaceFinding): string {
  const what = f.kind === 'table' ? `${f.name} does not exist there` : `function ${f.name} does not exist there`;
  const fix = f.kind === 'table' ? 'enable its connector or disable the rule for this target' : 'deploy the function there or disable the rule for this target';
  return `Azure rejects this rule in ${f.target.target.name}: ${what} (${f.schemaFile}); ${fix}`;
}

/** Offset of the first use of `name` as a word in the query, or -1. */
function firstUse(query: string, name: string): number {
  const m = new RegExp(`(?<![\\w.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`).exec(query);
  return m ? m.index : -1;
}

/** validate's findings: missing tables/functions at the rule's query, stale schemas, schemas of unknown targets. */
export function checkWorkspaceSchemas(
  repo: Pick<Repo, 'rules' | 'targets'>,
  analyses: ReadonlyMap<string, KqlAnalysis>,
  schemas: WorkspaceSchemas,
  now: Date,
  opts: WorkspaceCheckOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [...schemas.diagnostics];
  const targets = new Set(repo.targets.map((t) => t.target.name));
  for (const s of schemas.byTarget.values()) {
    const line = s.lineOf('pulledAt');
    if (!targets.has(s.target)) {
      out.push({ file: s.file, line: 1, col: 1, severity: 'error', code: 'target/unknown-schema', message: `pulled schema for target '${s.target}', but there is no targets/${s.target}.yaml; delete ${s.file} or restore the target` });
      continue;
    }
    const age = schemaAgeDays(s.schema.pulledAt, now);
    if (age > WORKSPACE_SCHEMA_MAX_AGE_DAYS) {
      out.push({ file: s.file, line, col: 5, severity: 'warning', code: 'target/stale-schema', message: `the schema of ${s.target} was pulled ${age} days ago (over ${WORKSPACE_SCHEMA_MAX_AGE_DAYS}); run \`sentinel schema pull --targets ${s.target}\`` });
    }
  }
  for (const f of missingInWorkspaces(repo, analyses, schemas, opts)) {
    const at = firstUse(f.rule.rule.query, f.name);
    const code = f.kind === 'table' ? 'target/missing-table' : 'target/missing-function';
    out.push(at < 0 ? diagAt(f.rule.source, ['query'], 'error', code, findingMessage(f)) : diagAtOffset(f.rule.source, ['query'], at, f.name.length, 'error', code, findingMessage(f)));
  }
  return out;
}

/** plan/apply: blocking problems per target name, one line each naming rule, target and table. */
export function workspaceProblems(findings: readonly WorkspaceFinding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    const line = `${f.rule.source.file}: rule ${f.rule.area}/${f.rule.slug}: ${findingMessage(f)}`;
    const list = out.get(f.target.target.name) ?? [];
    list.push(line);
    out.set(f.target.target.name, list);
  }
  return out;
}


/**
 * The schema input plus the saved functions of the pulled workspaces, so a rule calling a vendor
 * parser that some customers' workspaces have resolves in the KQL stage (and the per-target check
 * then reports the workspaces that lack it). A function already in the input (repository content)
 * or named like a catalogue table keeps that meaning; of several workspaces with the same alias,
 * the first target by name gives the definition.
 */
export function withPulledFunctions(input: KqlSchemaInput, schemas: WorkspaceSchemas): KqlSchemaInput {
  const taken = new Set([...(input.functions ?? []).map((f) => f.name), ...loadCatalogue().keys()]);
  const extra: SavedFunction[] = [];
  for (const target of [...schemas.byTarget.keys()].sort()) {
    for (const [name, f] of Object.entries(schemas.byTarget.get(target)!.schema.functions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (taken.has(name)) continue;
      taken.add(name);
      extra.push({ name, parameters: f.parameters, body: f.body, description: `saved function of ${target}'s workspace (${schemas.byTarget.get(target)!.file})` });
    }
  }
  return extra.length ? { ...input, functions: [...(input.functions ?? []), ...extra] } : input;
}

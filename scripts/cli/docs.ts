/**
 * `sentinel docs` — regenerates everything derived from the content:
 *   - the shared KQL snippet blocks embedded in rules and workbooks (scripts/content/shared-snippets.ts),
 *   - docs/rules/<slug>.md per rule and docs/rules/README.md (the pack table),
 *   - docs/attack-navigator-layer.json.
 * `sentinel docs --check` writes nothing and exits 1 listing what is stale. `staleDocs(repo)` is the
 * same check as diagnostics, for `sentinel validate`.
 */
import { followsPackConventions } from '../model/conventions.ts';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { VerbHandler } from './context.ts';
import { verbCommand } from './main.ts';
import { kindOf, loadRepo } from '../content/load.ts';
import type { Diagnostic, Repo, RuleFile } from '../model/types.ts';
import { fixSharedSnippets, readSharedSnippets, SNIPPET_SOURCES, type SharedSnippet } from '../content/shared-snippets.ts';
import { ATTACK_LAYER_PATH, renderAttackLayer } from '../render/attack-layer.ts';
import { renderPackTable, renderRuleDoc, renderRuleIndex, ruleDocPath, RULE_INDEX_PATH } from '../render/rule-docs.ts';

const RULE_DOCS_DIR = 'docs/rules';
const FIX = 'run `sentinel docs` to regenerate';

export interface GeneratedFile {
  /** Repo-relative path. */
  path: string;
  text: string;
}

/** Every generated documentation file for these rules. Pure. */
export function generateDocs(rules: readonly RuleFile[]): GeneratedFile[] {
  const sorted = [...rules].sort((a, b) => a.slug.localeCompare(b.slug));
  return [
    ...sorted.map((r) => ({ path: ruleDocPath(r), text: renderRuleDoc(r) })),
    { path: RULE_INDEX_PATH, text: renderRuleIndex(sorted) },
    { path: ATTACK_LAYER_PATH, text: renderAttackLayer(sorted) },
  ];
}

/** The README carries the pack table between these markers; `sentinel docs` keeps it current. */
export const README_PATH = 'README.md';
export const README_BEGIN = '<!-- BEGIN generated:rule-pack (sentinel docs) -->';
export const README_END = '<!-- END generated:rule-pack -->';

/** `readme` with its rule-pack block regenerated, or undefined when it has no such block. Pure. */
export function withPackTable(readme: string, rules: readonly RuleFile[]): string | undefined {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) return undefined;
  const sorted = [...rules].sort((a, b) => a.slug.localeCompare(b.slug));
  return `${readme.slice(0, begin + README_BEGIN.length)}\n${renderPackTable(sorted, 'docs/rules/')}\n${readme.slice(end)}`;
}

/** The README with a current pack table, when it has the markers and the table changed. */
async function readmeUpdate(root: string, rules: readonly RuleFile[]): Promise<GeneratedFile | undefined> {
  const readme = await readIfExists(join(root, README_PATH));
  const updated = readme === undefined ? undefined : withPackTable(readme, rules);
  return updated !== undefined && updated !== readme ? { path: README_PATH, text: updated } : undefined;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Markdown files in docs/rules/ that no rule generates any more. */
async function orphanDocs(root: string, expected: ReadonlySet<string>): Promise<string[]> {
  const dir = join(root, RULE_DOCS_DIR);
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  return names.map((n) => `${RULE_DOCS_DIR}/${n}`).filter((p) => !expected.has(p));
}

function firstDifferentLine(a: string, b: string): number {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i + 1;
}

/** Stale, missing and orphaned generated docs as diagnostics (one per file). */
export async function staleDocs(repo: Pick<Repo, 'root' | 'rules' | 'failed'>): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  // A rule file that failed to load is reported where it fails; its page (now "orphaned") and the
  // shared files listing every rule (now "stale") follow from that one cause, so they are not reported.
  const failedRules = [...(repo.failed ?? [])].filter((f) => kindOf(f) === 'rule');
  const failedPages = new Set(failedRules.map((f) => ruleDocPath({ slug: posix.basename(f).replace(/\.ya?ml$/, '') })));
  const sharedSuppressed = failedRules.length > 0;
  const generated = generateDocs(repo.rules);
  const pageOwner = new Map(repo.rules.map((r) => [ruleDocPath(r), r]));
  // Imported rules without their pages yet also make the shared pages (index, layer, README table)
  // differ; that follows from the same cause, so it is a warning too while such pages are missing.
  let importedMissing = false;
  for (const g of generated) {
    const owner = pageOwner.get(g.path);
    if (owner && !followsPackConventions(owner) && !existsSync(join(repo.root, g.path))) importedMissing = true;
  }
  const shared = importedMissing ? 'warning' : 'error';
  for (const g of generated) {
    const actual = await readIfExists(join(repo.root, g.path));
    const owner = pageOwner.get(g.path);
    if (!owner && sharedSuppressed) continue;
    if (actual === undefined) {
      const severity = owner ? (followsPackConventions(owner) ? 'error' : 'warning') : shared;
      out.push({ file: g.path, line: 1, col: 1, severity, code: 'docs/missing', message: `generated file ${g.path} is missing; ${FIX}` });
    } else if (actual !== g.text) {
      out.push({
        file: g.path, line: firstDifferentLine(actual, g.text), col: 1, severity: owner ? 'error' : shared, code: 'docs/stale',
        message: `${g.path} is out of date with the content it is generated from; ${FIX}`,
      });
    }
  }
  const readme = await readmeUpdate(repo.root, repo.rules);
  if (readme && !sharedSuppressed) {
    const actual = (await readIfExists(join(repo.root, README_PATH)))!;
    out.push({
      file: README_PATH, line: firstDifferentLine(actual, readme.text), col: 1, severity: shared, code: 'docs/stale',
      message: `the rule-pack table in ${README_PATH} is out of date; ${FIX}`,
    });
  }
  for (const p of await orphanDocs(repo.root, new Set(generated.map((g) => g.path)))) {
    if (failedPages.has(p)) continue;
    out.push({ file: p, line: 1, col: 1, severity: 'error', code: 'docs/orphan', message: `${p} belongs to no rule; ${FIX} (it removes the file)` });
  }
  return out;
}

async function snippets(root: string): Promise<SharedSnippet[]> {
  return SNIPPET_SOURCES.every((s) => existsSync(join(root, s.file))) ? readSharedSnippets(root) : [];
}

function loadErrors(repo: Repo): Diagnostic[] {
  return repo.diagnostics.filter((d) => d.severity === 'error');
}

export const runDocs: VerbHandler<{ check?: boolean }> = async ({ opts: values }, ctx) => {
  let repo = await loadRepo(ctx.root);
  const errors = loadErrors(repo);
  if (errors.length) {
    for (const d of errors) ctx.err(`${d.file}:${d.line}:${d.col} error ${d.message} [${d.code}]`);
    ctx.err(`sentinel docs: ${errors.length} content error(s); fix them (see \`sentinel validate\`) before generating docs`);
    return 1;
  }
  const canonical = await snippets(ctx.root);
  const snippetFixes = fixSharedSnippets([...repo.rules, ...repo.workbooks, ...repo.functions], canonical);

  if (values.check) {
    const stale = [
      ...snippetFixes.map((f) => `${f.file}: shared snippet block differs from its canonical text`),
      ...(await staleDocs(repo)).map((d) => `${d.file}: ${d.code === 'docs/missing' ? 'missing' : d.code === 'docs/orphan' ? 'belongs to no rule' : 'stale'}`),
    ];
    if (stale.length === 0) {
      ctx.out('sentinel docs: generated files are up to date');
      return 0;
    }
    for (const line of stale) ctx.out(line);
    ctx.out(`sentinel docs: ${stale.length} stale file(s); run \`sentinel docs\` and commit the result`);
    return 1;
  }

  for (const f of snippetFixes) await writeFile(join(ctx.root, f.file), f.text, 'utf8');
  if (snippetFixes.length) repo = await loadRepo(ctx.root);
  const readme = await readmeUpdate(ctx.root, repo.rules);
  const generated = [...generateDocs(repo.rules), ...(readme ? [readme] : [])];
  let written = 0;
  for (const g of generated) {
    const target = join(ctx.root, g.path);
    if ((await readIfExists(target)) === g.text) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, g.text, 'utf8');
    written++;
  }
  const orphans = await orphanDocs(ctx.root, new Set(generated.map((g) => g.path)));
  for (const p of orphans) await rm(join(ctx.root, p));
  for (const f of snippetFixes) ctx.out(`rewrote shared snippet blocks in ${f.file}`);
  ctx.out(
    `sentinel docs: ${written} file(s) written, ${orphans.length} removed, ${generated.length - written} up to date ` +
      `(${repo.rules.length} rules)`,
  );
  return 0;
};

/** `sentinel docs` called with raw arguments. */
export const docs = verbCommand('docs');

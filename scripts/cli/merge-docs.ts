/**
 * `sentinel merge-docs <base> <ours> <theirs> <path>` — the git merge driver for the files
 * `sentinel docs` generates (`.gitattributes`: `merge=sentinel-docs`; set up with
 * `git config merge.sentinel-docs.driver "node bin/sentinel.mjs merge-docs %O %A %B %P"`).
 *
 * Generated files are a function of the content, so two branches that each add a rule must not
 * conflict on them: the content files merge as usual, and the generated files are regenerated from
 * the merged content by `sentinel docs` (a merge driver sees only the three versions of one file,
 * not the merged rules, so it cannot regenerate by itself). The driver therefore never stops a merge
 * on generated text:
 *   - docs/rules/README.md, docs/attack-navigator-layer.json: a clean three-way merge is kept
 *     (the layer only if it is still valid JSON); otherwise our side is kept whole;
 *   - README.md: the hand-written text merges three-way as usual (real conflicts stay conflicts, with
 *     markers); the generated pack table between its markers is taken from the clean merge, else ours.
 * It says on stderr when it kept our side; `sentinel docs --check` (and `sentinel validate`) report
 * the file as stale until `sentinel docs` is run and committed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { VerbHandler } from './context.ts';
import { UsageError } from './context.ts';
import { README_BEGIN, README_END, README_PATH } from './docs.ts';
import { ATTACK_LAYER_PATH } from '../render/attack-layer.ts';
import { RULE_INDEX_PATH } from '../render/rule-docs.ts';

const exec = promisify(execFile);

/** The files the driver is for (and .gitattributes names). */
export const GENERATED_MERGE_PATHS = [RULE_INDEX_PATH, ATTACK_LAYER_PATH, README_PATH] as const;

export interface MergeResult {
  text: string;
  /** Whether the result still has conflict markers (only hand-written README text can). */
  conflicted: boolean;
  /** Whether generated text was taken from our side because the sides did not merge cleanly. */
  keptOurs: boolean;
}

/** A three-way text merge: `git merge-file -p` (exit status = number of conflicts). */
export type Merge3 = (base: string, ours: string, theirs: string) => Promise<{ text: string; conflicts: number }>;

/** `git merge-file` over three texts, through temporary files. */
export function gitMerge3(): Merge3 {
  return async (base, ours, theirs) => {
    const tmp = await mkdtemp(join(tmpdir(), 'sentinel-merge-'));
    try {
      const files = ['ours', 'base', 'theirs'].map((n) => join(tmp, n));
      await Promise.all([writeFile(files[0]!, ours), writeFile(files[1]!, base), writeFile(files[2]!, theirs)]);
      try {
        const { stdout } = await exec('git', ['merge-file', '-p', '-L', 'ours', '-L', 'base', '-L', 'theirs', ...files], { maxBuffer: 256 * 1024 * 1024 });
        return { text: stdout, conflicts: 0 };
      } catch (e) {
        const err = e as { code?: number; stdout?: string; stderr?: string };
        if (typeof err.code === 'number' && err.code > 0 && err.code < 127 && typeof err.stdout === 'string') return { text: err.stdout, conflicts: err.code };
        throw new Error(`git merge-file failed: ${(err.stderr ?? String(e)).trim().split('\n')[0]}`);
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
}

/** The README split around its generated block: [before + BEGIN, block, END + after], or undefined. */
function splitReadme(text: string): { outside: string; block: string } | undefined {
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  if (begin < 0 || end < begin) return undefined;
  const head = text.slice(0, begin + README_BEGIN.length);
  return { outside: `${head}\n${text.slice(end)}`, block: text.slice(begin + README_BEGIN.length, end) };
}

function joinReadme(outside: string, block: string): string | undefined {
  const at = outside.indexOf(`${README_BEGIN}\n${README_END}`);
  if (at < 0) return undefined;
  return `${outside.slice(0, at + README_BEGIN.length)}${block}${outside.slice(at + README_BEGIN.length + 1)}`;
}

/** Merges one generated file's three versions; `path` says which rules apply. */
export async function mergeGenerated(path: string, base: string, ours: string, theirs: string, merge3: Merge3): Promise<MergeResult> {
  if (path === README_PATH) {
    const [b, o, t] = [splitReadme(base), splitReadme(ours), splitReadme(theirs)];
    if (b && o && t) {
      const outside = await merge3(b.outside, o.outside, t.outside);
      const block = await merge3(b.block, o.block, t.block);
      const joined = joinReadme(outside.text, block.conflicts ? o.block : block.text);
      if (joined !== undefined) return { text: joined, conflicted: outside.conflicts > 0, keptOurs: block.conflicts > 0 };
    }
    // No (or a damaged) generated block on some side: an ordinary text merge.
    const plain = await merge3(base, ours, theirs);
    return { text: plain.text, conflicted: plain.conflicts > 0, keptOurs: false };
  }
  const merged = await merge3(base, ours, theirs);
  const usable = merged.conflicts === 0 && (!path.endsWith('.json') || isJson(merged.text));
  return usable ? { text: merged.text, conflicted: false, keptOurs: false } : { text: ours, conflicted: false, keptOurs: true };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The driver: writes the result over <ours> (%A); exit 0 when resolved, 1 when conflicts remain. */
export const runMergeDocs: VerbHandler = async ({ operands }, ctx) => {
  const [basePath, oursPath, theirsPath, path] = operands;
  if (!basePath || !oursPath || !theirsPath || !path) throw new UsageError('usage: sentinel merge-docs <base> <ours> <theirs> <path> (git passes %O %A %B %P)');
  const [base, ours, theirs] = await Promise.all([basePath, oursPath, theirsPath].map((p) => readFile(p, 'utf8')));
  const result = await mergeGenerated(path, base!, ours!, theirs!, gitMerge3());
  await writeFile(oursPath, result.text, 'utf8');
  if (result.keptOurs) ctx.err(`sentinel merge-docs: ${path}: generated text differs on both sides; kept ours — run \`sentinel docs\` after the merge and commit the result`);
  if (result.conflicted) ctx.err(`sentinel merge-docs: ${path}: the hand-written text conflicts; resolve the markers, then run \`sentinel docs\``);
  return result.conflicted ? 1 : 0;
};

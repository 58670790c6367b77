/** Reading content as it was at a git revision (for `validate --base <ref>`). */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { DECLARED_DIRS, declaredKindOf } from './declared.ts';
import { CONTENT_DIRS, kindOf } from './load.ts';

const exec = promisify(execFile);

export class GitError extends Error {}

async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const msg = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n')[0];
    throw new GitError(`git ${args.join(' ')}: ${msg}`);
  }
}

/** Resolves `ref` to a commit, with a clear error when it does not exist (e.g. a shallow clone). */
export async function resolveRef(root: string, ref: string): Promise<string> {
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new GitError(`base ref "${ref}" not found; fetch it first (in CI: actions/checkout with fetch-depth: 0)`);
  }
}

/** Content files at `commit`: repo-relative path → bytes. One `git cat-file --batch` process. */
export async function contentAtRef(root: string, commit: string): Promise<Map<string, Buffer>> {
  const listing = await git(root, ['ls-tree', '-r', '--name-only', commit, '--', ...Object.values(CONTENT_DIRS)]);
  const paths = listing.split('\n').filter((p) => p && kindOf(p));
  const files = new Map<string, Buffer>();
  if (paths.length === 0) return files;
  const out = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new GitError(`git cat-file exited with ${code}`))));
    child.stdin.end(paths.map((p) => `${commit}:${p}\n`).join(''));
  });
  let pos = 0;
  for (const p of paths) {
    const nl = out.indexOf(0x0a, pos);
    const header = out.subarray(pos, nl).toString();
    const size = Number(header.split(' ')[2]);
    files.set(p, out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return files;
}

/** Content paths (declared schemas included) changed between `commit` and the working tree (including untracked files). */
export async function changedContentFiles(root: string, commit: string): Promise<Set<string>> {
  const dirs = [...Object.values(CONTENT_DIRS), ...Object.values(DECLARED_DIRS)];
  const diff = await git(root, ['diff', '--name-only', commit, '--', ...dirs]);
  const untracked = await git(root, ['ls-files', '--others', '--exclude-standard', '--', ...dirs]);
  return new Set([...diff.split('\n'), ...untracked.split('\n')].filter((p) => p && (kindOf(p) || declaredKindOf(p))));
}

/** The commit checked out at `root`, or undefined outside a git work tree (or with no commit yet). */
export async function headCommit(root: string): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

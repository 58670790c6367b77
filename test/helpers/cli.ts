/** Runs the CLI in-process (fast) or as a real child process (end to end), capturing output. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../scripts/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, (root) => ({
    root,
    out: (t) => { stdout += t.endsWith('\n') ? t : t + '\n'; },
    err: (t) => { stderr += t.endsWith('\n') ? t : t + '\n'; },
    env: { ...env },
    isTTY: false,
  }));
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL('../../bin/sentinel.mjs', import.meta.url));

export function spawnCli(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], {
      cwd: options.cwd,
      env: { ...process.env, GITHUB_ACTIONS: '', ...options.env },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `sentinel <verb> …` against an emulator with `--auth emulator` as owner `repoName`; `apply` gets
 * `--yes` (off a TTY it would ask first). `at` is read per call: tests make the repo and emulator in beforeAll.
 */
export function emulatorCli(at: () => { root: string; url: string }, repoName: string): (verb: string, ...flags: string[]) => Promise<CliRun> {
  return (verb, ...flags) => {
    const { root, url } = at();
    return runCli([verb, '--root', root, '--endpoint', url, '--auth', 'emulator', '--repo-name', repoName, ...(verb === 'apply' ? ['--yes'] : []), ...flags]);
  };
}

/** A CliContext that records what a verb prints, over a given root and environment. */
import type { CliContext } from '../../scripts/cli/context.ts';

export interface RecordingContext extends CliContext {
  stdout: string[];
  stderr: string[];
}

export function recordingContext(root: string, env: NodeJS.ProcessEnv): RecordingContext {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    root,
    env,
    isTTY: false,
    stdout,
    stderr,
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
  };
}

/** What every CLI verb receives: the repository root and the process's streams/environment. */
export interface CliContext {
  /** Repository root (content folders live here). */
  root: string;
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** A CLI verb: returns the exit code (0 ok, 1 findings/failures, 2 usage or environment error). */
export type Command = (args: string[], ctx: CliContext) => Promise<number>;

/** Thrown for bad flags/arguments; the CLI prints the message and exits 2, never a stack trace. */
export class UsageError extends Error {}

/** What every CLI verb receives: the repository root and the process's streams/environment. */
export interface CliContext {
  /** Repository root (content folders live here). */
  root: string;
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colour, confirmation). */
  isTTY: boolean;
  /** Whether stderr is a terminal: live progress goes there whatever stdout is (default false). */
  stderrIsTTY?: boolean;
  /** Writes to stderr without a newline (the live progress line); defaults to `err`. */
  errRaw?(text: string): void;
  /** Asks a yes/no question on the terminal; absent when stdin or stdout is not a terminal. */
  confirm?(question: string): Promise<boolean>;
  /** Aborted on the first Ctrl-C (SIGINT); the CLI always sets it for the verbs it runs. */
  signal?: AbortSignal;
}

/** The context a verb's handler runs with: the signal is always there. */
export type VerbContext = CliContext & { signal: AbortSignal };

/** A CLI verb called with raw arguments: returns the exit code (0 ok, 1 findings/failures, 2 usage or environment error). */
export type Command = (args: string[], ctx: CliContext) => Promise<number>;

/** A verb's parsed command line, as the one parser (commander, scripts/cli/main.ts) hands it over. */
export interface VerbInput<O = Record<string, unknown>> {
  /** Option values by camel-cased name (`--repo-name` → `repoName`), defaults filled in. */
  opts: O;
  /** The positional arguments. */
  operands: string[];
  /** Whether the user gave this option (camel-cased name) on the command line, as opposed to its default. */
  given(option: string): boolean;
}

/** The body of a verb: parsing is done; returns the exit code. */
export type VerbHandler<O = any> = (input: VerbInput<O>, ctx: VerbContext) => Promise<number>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Thrown for bad flags/arguments; the CLI prints `sentinel <verb>: <message>` once on stderr and
 * exits 2, never a stack trace. `hint` adds the `run 'sentinel <verb> --help'` line.
 */
export class UsageError extends Error {
  readonly hint: boolean;
  constructor(message: string, hint = false) {
    super(message);
    this.hint = hint;
  }
}

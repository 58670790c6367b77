/**
 * `sentinel <verb> [options]` — one executable for every pipeline stage, and its one argument
 * parser (commander): every verb's options come from verbs.ts; help, --version, "did you mean",
 * the error style and the exit codes (0 ok, 1 findings/failures, 2 usage or environment error,
 * 130 interrupted) are decided here and nowhere else.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Command as Program, CommanderError, Option } from 'commander';
import { UsageError, type CliContext, type Command, type VerbContext } from './context.ts';
import { findContentRoot, isContentRoot, NOT_A_REPO } from './root.ts';
import { VERBS, type VerbName, type VerbSpec } from './verbs.ts';

const isVerb = (a: string): a is VerbName => Object.hasOwn(VERBS, a);

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function defaultContext(root: string): CliContext {
  return {
    root,
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    errRaw: (t) => process.stderr.write(t),
    ...(process.stdin.isTTY && process.stdout.isTTY ? { confirm: askOnTerminal } : {}),
  };
}

/** Terraform's rule: only the word "yes" confirms. */
async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(`${question} Only 'yes' will be accepted: `)).trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** Where a run's root comes from: found from the cwd / --root (the CLI), or fixed (a verb called directly). */
type RootSource = { fixed: CliContext } | { makeContext: (root: string) => CliContext; cwd: string };

interface Run {
  code?: number;
  verb?: VerbName;
}

/** commander's message ("error: unknown option '--x'\n(Did you mean --y?)") in our style. */
function usageText(message: string): string {
  return message
    .replace(/^error: /, '')
    .replace(/^unknown command /, 'unknown verb ')
    .replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)');
}

/** Input paths the user typed are relative to the cwd, as in git; absolute ones pass through. */
function resolvePaths(spec: VerbSpec, opts: Record<string, unknown>, operands: string[], cwd: string): string[] {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  for (const name of spec.paths ?? []) {
    const v = opts[name];
    if (typeof v === 'string') opts[name] = abs(v);
    else if (Array.isArray(v)) opts[name] = v.map((p) => abs(String(p)));
  }
  return spec.paths?.includes('operands') ? operands.map(abs) : operands;
}

function rootFor(spec: VerbSpec, given: string | undefined, cwd: string): { root: string; discovered: boolean } {
  if (given !== undefined) {
    const root = resolve(cwd, given);
    if (!isContentRoot(root)) throw new UsageError(`--root ${given}: ${NOT_A_REPO}`);
    return { root, discovered: false };
  }
  const found = findContentRoot(cwd);
  if (found) return { root: found, discovered: true };
  if (spec.needsRepo) throw new UsageError(`${NOT_A_REPO} here or in any parent folder of ${cwd}; cd into one or pass --root <dir>`);
  return { root: cwd, discovered: false };
}

function buildProgram(io: CliContext, source: RootSource, signal: AbortSignal, run: Run): Program {
  const program = new Program('sentinel');
  const configure = (cmd: Program, verb?: VerbName) =>
    cmd
      .exitOverride((e) => {
        if (e.exitCode === 0 || e.code === 'commander.help') throw e;
        throw new UsageError(usageText(e.message), true);
      })
      .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t), outputError: () => {} })
      .configureHelp({ showGlobalOptions: true, subcommandTerm: (c) => c.name() })
      .showSuggestionAfterError(true)
      .helpOption('-h, --help', verb ? `show the options of ${verb}` : 'show this help');
  configure(program)
    .description('Detection-as-code for Microsoft Sentinel: validate, test and deploy the content of this repository.')
    .usage('<verb> [options]')
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(new Option('--root <dir>', 'the content repository').default(undefined, 'the nearest folder at or above the cwd with analytics-rules/, watchlists/, workbooks/, targets/, functions/ or .sentinel/'))
    .helpCommand('help [verb]', 'show the help of a verb')
    .addHelpText('after', "\nRun 'sentinel <verb> --help' for the options of a verb. Exit codes: 0 ok, 1 findings or failures, 2 usage or environment error, 130 interrupted.");
  for (const [name, spec] of Object.entries(VERBS) as [VerbName, VerbSpec][]) {
    const cmd = configure(program.command(name), name).summary(spec.summary).description(spec.summary);
    for (const operand of spec.operands ?? []) cmd.addArgument(operand());
    for (const option of spec.options()) cmd.addOption(option);
    if (spec.help) cmd.addHelpText('after', `\n${spec.help}`);
    cmd.action(async (...args: unknown[]) => {
      run.verb = name;
      const self = args[args.length - 1] as Program;
      const opts = self.opts();
      let ctx: CliContext;
      let operands = self.args;
      if ('fixed' in source) ctx = source.fixed;
      else {
        const { root, discovered } = rootFor(spec, program.opts().root as string | undefined, source.cwd);
        if (discovered) operands = resolvePaths(spec, opts, operands, source.cwd);
        ctx = source.makeContext(root);
      }
      const handler = await spec.load();
      const verbCtx: VerbContext = { ...ctx, signal: ctx.signal ?? signal };
      run.code = await handler({ opts, operands, given: (o) => self.getOptionValueSource(o) === 'cli' }, verbCtx);
    });
  }
  return program;
}

/** Parses `argv` and runs the verb; every error is printed here, once, in one style. */
async function execute(argv: string[], io: CliContext, source: RootSource, signal: AbortSignal): Promise<number> {
  const run: Run = {};
  try {
    await buildProgram(io, source, signal, run).parseAsync(argv, { from: 'user' });
    return run.code ?? 0;
  } catch (e) {
    const named = run.verb ?? argv.find(isVerb);
    const where = named ? `sentinel ${named}` : 'sentinel';
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // help or version was printed; no verb: help on stderr
    if (e instanceof UsageError) {
      io.err(`${where}: ${e.message}${e.hint ? `\nrun '${where} --help'` : ''}`);
      return 2;
    }
    // Anything else is an environment problem (or a bug): one line, and the stack only on request.
    io.err(`${where}: ${(e as Error)?.message ?? String(e)}`);
    if (io.env.SENTINEL_DEBUG) io.err(String((e as Error)?.stack ?? ''));
    return 2;
  }
}

/** A verb as a function of raw arguments, with ctx.root as the root: exactly `sentinel <verb> args` (tests, demo). */
export function verbCommand(verb: VerbName): Command {
  return (args, ctx) => execute([verb, ...args], ctx, { fixed: ctx }, ctx.signal ?? new AbortController().signal);
}

/**
 * The CLI: finds the root, runs the verb, and owns Ctrl-C. The first SIGINT aborts the verbs'
 * signal: a graceful verb (apply, emulator) finishes cleanly, any other exits at once; a second
 * SIGINT exits at once. Either way the exit code is 130.
 */
export async function main(argv: string[], makeContext: (root: string) => CliContext = defaultContext): Promise<number> {
  const controller = new AbortController();
  const cwd = process.cwd();
  const verb = argv.find(isVerb);
  const graceful = verb !== undefined && (VERBS[verb] as VerbSpec).graceful === true;
  const onSigint = () => {
    if (controller.signal.aborted || !graceful) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const code = await execute(argv, makeContext(cwd), { makeContext, cwd }, controller.signal);
    return controller.signal.aborted ? EXIT_INTERRUPTED : code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

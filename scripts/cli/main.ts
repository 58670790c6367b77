/**
 * `sentinel <verb> [options]` — one executable for every pipeline stage.
 * Verbs are loaded lazily so `validate` never pays for the Azure SDK and `plan` never for the evaluator.
 */
import { resolve } from 'node:path';
import { UsageError, type CliContext, type Command } from './context.ts';

interface Verb {
  summary: string;
  load: () => Promise<Command>;
}

const VERBS: Record<string, Verb> = {
  validate: { summary: 'schema, KQL and cross-checks of all content (file:line:col)', load: async () => (await import('./validate.ts')).validateCommand },
  test: { summary: 'run rule tests (true-positive / true-negative fixtures) locally', load: async () => (await import('./evaluate.ts')).test },
  query: { summary: "run an ad-hoc KQL query on the local evaluator", load: async () => (await import('./evaluate.ts')).query },
  plan: { summary: 'show what apply would change in each target workspace', load: async () => (await import('./deploy.ts')).plan },
  apply: { summary: 'deploy the content to the target workspaces (waves, journal, retries)', load: async () => (await import('./deploy.ts')).apply },
  drift: { summary: 'report repo-managed items changed outside the repo', load: async () => (await import('./deploy.ts')).drift },
  demo: { summary: 'the main job: validate, test, plan and apply to the embedded emulator', load: async () => (await import('./deploy.ts')).demo },
  import: { summary: 'bring rules made in the portal (or exported as ARM JSON) under version control', load: async () => (await import('./import.ts')).importCommand },
  emulator: { summary: 'run the local SecurityInsights ARM emulator in the foreground', load: async () => (await import('./emulator.ts')).emulator },
  docs: { summary: 'generate docs/rules/*.md and the ATT&CK Navigator layer (--check: fail when stale)', load: async () => (await import('./docs.ts')).docs },
  summary: { summary: 'render the Markdown job summary from JSON results', load: async () => (await import('./pr-comment.ts')).summary },
  'pr-comment': { summary: 'create or update the one PR comment with the review summary', load: async () => (await import('./pr-comment.ts')).prComment },
  bench: { summary: 'print validation, evaluator and deployment benchmarks', load: async () => (await import('./bench.ts')).bench },
};

function help(): string {
  const width = Math.max(...Object.keys(VERBS).map((v) => v.length));
  return [
    'usage: sentinel <verb> [options]        (global: --root <dir>, default: current directory)',
    '',
    ...Object.entries(VERBS).map(([name, v]) => `  ${name.padEnd(width)}  ${v.summary}`),
    '',
    'Run `sentinel <verb> --help` for the options of a verb. Exit codes: 0 ok, 1 findings or failures, 2 usage or environment error.',
  ].join('\n');
}

/** Pulls the global `--root` option out of argv. */
function takeRoot(argv: string[]): { root: string; rest: string[] } {
  const rest: string[] = [];
  let root = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--root') {
      const v = argv[++i];
      if (!v) throw new UsageError('--root needs a directory');
      root = resolve(v);
    } else if (a.startsWith('--root=')) root = resolve(a.slice(7));
    else rest.push(a);
  }
  return { root, rest };
}

export function defaultContext(root: string): CliContext {
  return {
    root,
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

export async function main(argv: string[], makeContext: (root: string) => CliContext = defaultContext): Promise<number> {
  let ctx: CliContext | undefined;
  try {
    const { root, rest } = takeRoot(argv);
    ctx = makeContext(root);
    const [verb, ...args] = rest;
    if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
      ctx.out(help());
      return verb ? 0 : 2;
    }
    const entry = VERBS[verb];
    if (!entry) throw new UsageError(`unknown verb "${verb}"\n\n${help()}`);
    const command = await entry.load();
    return await command(args, ctx);
  } catch (e) {
    const err = ctx?.err ?? ((t: string) => process.stderr.write(t + '\n'));
    if (e instanceof UsageError) {
      err(`sentinel: ${e.message}`);
      return 2;
    }
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      err(`sentinel: ${(e as Error).message}`);
      return 2;
    }
    // Anything else is a bug or an environment problem: one line, and the stack only on request.
    err(`sentinel: ${(e as Error)?.message ?? String(e)}`);
    if (process.env.SENTINEL_DEBUG) err(String((e as Error)?.stack ?? ''));
    return 2;
  }
}

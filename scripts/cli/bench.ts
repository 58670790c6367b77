/** `sentinel bench` / `npm run bench`: every stage's benchmark, printed. Numbers only; nothing asserted. */
import { parseArgs } from 'node:util';
import type { Command } from './context.ts';

const STAGES = {
  validate: async (print: (l: string) => void, quick: boolean) =>
    (await import('./bench/validate.ts')).benchValidate(print, quick ? [100] : undefined),
  evaluate: async (print: (l: string) => void) => (await import('./bench/evaluate.ts')).benchEvaluator(print),
  deploy: async (print: (l: string) => void) => (await import('./bench/deploy.ts')).benchDeploy(print),
} as const;

export const bench: Command = async (args, ctx) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { quick: { type: 'boolean', default: false } } });
  const chosen = positionals.length ? positionals : Object.keys(STAGES);
  for (const name of chosen) {
    const run = STAGES[name as keyof typeof STAGES];
    if (!run) {
      ctx.err(`sentinel bench: unknown stage "${name}"; stages: ${Object.keys(STAGES).join(', ')}`);
      return 2;
    }
    ctx.out(`\n== ${name} ==`);
    await run(ctx.out, values.quick);
  }
  return 0;
};

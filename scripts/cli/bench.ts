/** `sentinel bench` / `npm run bench`: every stage's benchmark, printed. Numbers only; nothing asserted. */
import type { VerbHandler } from './context.ts';

const STAGES = {
  'global-state': async (print: (l: string) => void, quick: boolean) =>
    void (await import('./bench/global-state.ts')).benchGlobalState(print, quick ? 60 : 300),
  validate: async (print: (l: string) => void, quick: boolean) =>
    (await import('./bench/validate.ts')).benchValidate(print, quick ? [100] : undefined),
  evaluate: async (print: (l: string) => void) => (await import('./bench/evaluate.ts')).benchEvaluator(print),
  deploy: async (print: (l: string) => void) => (await import('./bench/deploy.ts')).benchDeploy(print),
  startup: async (print: (l: string) => void) => (await import('./bench/startup.ts')).benchStartup(print),
} as const;

export const runBench: VerbHandler<{ quick?: boolean }> = async ({ opts, operands }, ctx) => {
  const chosen = (operands.length ? operands : Object.keys(STAGES)) as (keyof typeof STAGES)[];
  for (const name of chosen) {
    ctx.out(`\n== ${name} ==`);
    await STAGES[name](ctx.out, opts.quick === true);
  }
  return 0;
};

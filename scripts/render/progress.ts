/** Rollout progress as one line: the wave's own counts apart from the run's. Pure. */
import type { Progress } from '../deploy/apply/rollout.ts';

export function progressLine(p: Progress): string {
  return (
    `wave ${p.wave}: ${p.waveTargetsDone}/${p.waveTargetsTotal} target(s) · ` +
    `run: ${p.targetsDone}/${p.targetsTotal} target(s), ${p.writesDone}/${p.writesPlanned} write(s) planned so far, ${p.failures} failed`
  );
}

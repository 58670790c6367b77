/**
 * Counting a deployment plan: how many changes of each kind and how many ARM writes. The one
 * definition the planner, the rollout, the renderers and the CLI share; typed by the plan's shape
 * (deploy/plan/plan.ts produces it) so the model does not depend on the deploy stage.
 */

/** What a planned change does to one item. */
/**
 * `replace`: the change cannot be made in place (an alert rule's kind): delete, then create with the same id.
 * `adopt` (`--adopt` only): an item under the repo's name without any ownership record: its record is
 * written, then the item updated where its content differs.
 */
export type PlanOp = 'create' | 'update' | 'replace' | 'adopt' | 'delete' | 'noop' | 'conflict' | 'retain';

/** The part of a planned change that counting needs: its op and its writes, phase by phase. */
export interface CountableChange {
  op: PlanOp;
  phases: readonly (readonly unknown[])[];
}

export interface PlanCounts {
  create: number;
  update: number;
  replace: number;
  adopt: number;
  delete: number;
  noop: number;
  conflict: number;
  retain: number;
  writes: number;
}

export const writesOf = (c: CountableChange): number => c.phases.reduce((n, p) => n + p.length, 0);
export const planWrites = (p: { changes: readonly CountableChange[] }): number => p.changes.reduce((n, c) => n + writesOf(c), 0);

export function countPlan(plans: readonly { changes: readonly CountableChange[] }[]): PlanCounts {
  const c: PlanCounts = { create: 0, update: 0, replace: 0, adopt: 0, delete: 0, noop: 0, conflict: 0, retain: 0, writes: 0 };
  for (const p of plans) {
    for (const ch of p.changes) c[ch.op]++;
    c.writes += planWrites(p);
  }
  return c;
}

/**
 * Saved plans: `sentinel plan --out plan.json` writes what was reviewed, `sentinel apply plan.json`
 * applies exactly that. A saved plan records the repo commit and, per target, a digest of the
 * desired state it was made from and every write it would make (bodies and the etags read at plan
 * time). Applying it re-plans each target and refuses any target whose fresh plan differs — the
 * repo changed (commit or desired state) or the workspace changed (etags, items) — so the change
 * that lands is the change that was reviewed. Pure: reading and writing files is the CLI's.
 */
import type { Resolved } from '../desired/resolve.ts';
import { fingerprint, stableStringify } from '../desired/util.ts';
import type { PlannedChange, TargetPlan } from './plan.ts';

export const SAVED_PLAN_KIND = 'sentinel-plan';
/** 2: writes carry `etag` (sent in the body) and `absent` (re-read before a create) instead of If-Match / If-None-Match. */
export const SAVED_PLAN_VERSION = 2;

export interface SavedPlan {
  kind: typeof SAVED_PLAN_KIND;
  formatVersion: typeof SAVED_PLAN_VERSION;
  createdAt: string;
  repo: { name: string; commit: string | null };
  /**
   * The selection and flags the plan was made with; `apply plan.json` uses these. `adopt` (--adopt):
   * the plan takes over unrecorded items; absent in plans made before it existed (read as false).
   */
  selection: { targets: string[]; wave: number | null; prune: boolean; adopt?: boolean };
  /** Desired-state digest per target name (the repo side of staleness). */
  desired: Record<string, string>;
  targets: TargetPlan[];
}

export class SavedPlanError extends Error {}

export function desiredDigest(r: Resolved): string {
  return fingerprint({ desired: r.desired, problems: r.problems });
}

export function makeSavedPlan(
  plans: readonly TargetPlan[], resolved: readonly Resolved[],
  meta: { repoName: string; commit: string | undefined; targets: string[]; wave: number | undefined; prune: boolean; adopt?: boolean; now?: Date },
): SavedPlan {
  return {
    kind: SAVED_PLAN_KIND,
    formatVersion: SAVED_PLAN_VERSION,
    createdAt: (meta.now ?? new Date()).toISOString(),
    repo: { name: meta.repoName, commit: meta.commit ?? null },
    selection: { targets: meta.targets, wave: meta.wave ?? null, prune: meta.prune, adopt: meta.adopt ?? false },
    desired: Object.fromEntries(resolved.map((r) => [r.desired.target.name, desiredDigest(r)])),
    targets: [...plans],
  };
}

/** Parses a saved plan file; a file that is not one is a SavedPlanError naming what is wrong. */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SavedPlanError(`${file}: not JSON (${(e as Error).message}); make one with \`sentinel plan --out ${file}\``);
  }
  const d = doc as Partial<SavedPlan> | null;
  if (!d || typeof d !== 'object' || d.kind !== SAVED_PLAN_KIND) {
    throw new SavedPlanError(`${file}: not a saved plan (no "kind": "${SAVED_PLAN_KIND}"); make one with \`sentinel plan --out ${file}\``);
  }
  if (d.formatVersion !== SAVED_PLAN_VERSION) {
    throw new SavedPlanError(`${file}: plan format ${String(d.formatVersion)}, this sentinel reads ${SAVED_PLAN_VERSION}; plan again with this version`);
  }
  if (!Array.isArray(d.targets) || !d.selection || !d.repo || !d.desired || typeof d.desired !== 'object') {
    throw new SavedPlanError(`${file}: incomplete saved plan (targets, selection, repo and desired are required); plan again`);
  }
  return d as SavedPlan;
}

/** Why the repo no longer matches the plan (commit), or undefined. */
export function repoStaleness(saved: SavedPlan, commit: string | undefined): string | undefined {
  if (saved.repo.commit && commit && saved.repo.commit !== commit) {
    return `the plan was made at commit ${saved.repo.commit.slice(0, 12)}, the repo is at ${commit.slice(0, 12)}: plan again and review the new plan`;
  }
  return undefined;
}

/** What one planned change writes and why, in a comparable form. */
const signature = (c: PlannedChange) => stableStringify({ op: c.op, phases: c.phases, items: c.items ?? [] });

/**
 * Why the fresh plan of a target differs from its saved plan (the first difference, one line), or
 * undefined when applying the saved plan is applying the fresh one.
 */
export function targetStaleness(saved: TargetPlan, fresh: TargetPlan, savedDigest: string | undefined, freshDigest: string): string | undefined {
  if (savedDigest !== undefined && savedDigest !== freshDigest) return 'the repo content for this target changed since the plan';
  if (fresh.error) return undefined; // the target fails on its own error; nothing is written
  const before = new Map(saved.changes.map((c) => [c.key, c]));
  const after = new Map(fresh.changes.map((c) => [c.key, c]));
  for (const [key, c] of after) {
    const s = before.get(key);
    if (!s) return `${key} is new in the workspace or the repo since the plan`;
    if (signature(s) !== signature(c)) {
      return s.op !== c.op
        ? `${key}: the plan said ${s.op}, the workspace now needs ${c.op}`
        : `${key}: changed in the workspace since the plan (its etag or content differs)`;
    }
  }
  for (const key of before.keys()) if (!after.has(key)) return `${key} is gone from the workspace since the plan`;
  return undefined;
}

/**
 * Each fresh target plan that differs from the saved plan, by target name, with why: the one
 * staleness rule `apply <plan-file>` checks before any write and the rollout again per wave.
 */
export function staleTargets(
  saved: Pick<SavedPlan, 'targets' | 'desired'>, fresh: readonly TargetPlan[], resolved: readonly Resolved[],
): Map<string, string> {
  const before = new Map(saved.targets.map((p) => [p.target, p]));
  const out = new Map<string, string>();
  fresh.forEach((p, i) => {
    const was = before.get(p.target);
    const why = was ? targetStaleness(was, p, saved.desired[p.target], desiredDigest(resolved[i]!)) : 'the saved plan does not include this target';
    if (why) out.set(p.target, why);
  });
  return out;
}

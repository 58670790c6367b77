/**
 * Whether a rule is written to this pack's conventions or brought in as it is (from
 * Azure-Sentinel, the portal, an export). Some findings are errors for the first and warnings for
 * the second, because Azure-Sentinel's CI and Sentinel itself accept them (docs/content-format.md,
 * compatibility): a missing docs page, a technique listed under none of its tactics.
 */
import type { RuleFile } from './types.ts';

/** Fields that only a rule written to this pack's conventions has (the extensions its docs page renders). */
export const PACK_FIELDS = ['investigationGuide', 'falsePositives', 'references', 'lineage', 'parameters'] as const;

export function followsPackConventions(r: Pick<RuleFile, 'rule'>): boolean {
  return PACK_FIELDS.some((f) => r.rule[f] !== undefined);
}

/**
 * A target's desired state: which rules (with its overrides and parameter values applied), which
 * watchlists (repo items + this target's own items), which workbooks and which functions (saved
 * searches), as ARM bodies.
 * Pure: the same content and target always give the same result, and nothing from one target can
 * reach another (each call deep-copies what it takes from the content).
 */
import type { AnalyticRule, FunctionFile, RuleFile, Target, WatchlistFile, WorkbookFile } from '../../model/types.ts';
import { substituteLets, toKqlLiteral } from '../../kusto/parameters.ts';
import { functionToArm, ruleToArm, watchlistItemsToArm, watchlistToArm, workbookResourceName, workbookToArm } from './mapping.ts';
import type { DesiredItem, DesiredState } from './model.ts';
import { workspaceOf } from './model.ts';
import { ruleMatches } from '../../model/select.ts';
import { clone } from './util.ts';
import { ownerOf, type OwnerRef } from '../../model/identity.ts';

/** The content the deploy stage needs (a `Repo` satisfies it). */
export interface DeployContent {
  rules: readonly RuleFile[];
  watchlists: readonly WatchlistFile[];
  workbooks: readonly WorkbookFile[];
  /** KQL functions (functions/); every target gets all of them. */
  functions?: readonly FunctionFile[];
}

export interface ResolveOptions {
  /** Repository name written into ownership markers. */
  repoName: OwnerRef;
  /** The target's file, for messages (`targets/contoso-prod.yaml`). */
  file?: string;
}

export interface Resolved {
  desired: DesiredState;
  /** Blocking problems: the target is not deployed while any remain. One line each. */
  problems: string[];
  /** Non-blocking notes (an override glob that matches no rule…). */
  warnings: string[];
}


/** Applies the target's overrides to one rule; returns the new rule or pushes problems. */
function applyOverrides(rf: RuleFile, target: Target, where: string, problems: string[]): AnalyticRule {
  const rule = clone(rf.rule);
  const values: Record<string, unknown> = {};
  (target.overrides ?? []).forEach((o, i) => {
    if (!ruleMatches(o.rules, rf)) return;
    const at = `${where}: overrides[${i}] (${o.rules})`;
    if (o.enabled !== undefined) rule.enabled = o.enabled;
    if (o.severity !== undefined) rule.severity = o.severity;
    if (rule.kind === 'NRT' && (o.triggerThreshold !== undefined || o.queryFrequency || o.queryPeriod)) {
      problems.push(`${at}: rule ${rf.area}/${rf.slug} is NRT and has no triggerThreshold/queryFrequency/queryPeriod to override`);
      return;
    }
    if (o.triggerThreshold !== undefined) rule.triggerThreshold = o.triggerThreshold;
    if (o.queryFrequency !== undefined) rule.queryFrequency = o.queryFrequency;
    if (o.queryPeriod !== undefined) rule.queryPeriod = o.queryPeriod;
    for (const [name, value] of Object.entries(o.parameters ?? {})) {
      if (!rule.parameters?.[name]) {
        const declared = Object.keys(rule.parameters ?? {});
        problems.push(
          `${at}: rule ${rf.area}/${rf.slug} declares no parameter '${name}'` +
            (declared.length ? ` (declared: ${declared.join(', ')})` : ' (it declares none)'),
        );
        continue;
      }
      values[name] = value;
    }
  });
  if (Object.keys(values).length) {
    try {
      const literals: Record<string, string> = {};
      for (const [name, value] of Object.entries(values)) literals[name] = toKqlLiteral(value, rule.parameters![name]!.type);
      rule.query = substituteLets(rule.query, literals);
    } catch (e) {
      problems.push(`${where}: rule ${rf.area}/${rf.slug}: parameter values: ${(e as Error).message}`);
    }
  }
  return rule;
}

export function resolveTarget(content: DeployContent, target: Target, opts: ResolveOptions): Resolved {
  const where = opts.file ?? `targets/${target.name}.yaml`;
  const problems: string[] = [];
  const warnings: string[] = [];
  const workspace = workspaceOf(target);
  const items: DesiredItem[] = [];

  for (const glob of target.disableRules ?? []) {
    if (!content.rules.some((r) => ruleMatches(glob, r))) warnings.push(`${where}: disableRules '${glob}' matches no rule`);
  }
  (target.overrides ?? []).forEach((o, i) => {
    if (!content.rules.some((r) => ruleMatches(o.rules, r))) {
      warnings.push(`${where}: overrides[${i}] '${o.rules}' matches no rule`);
    }
  });

  for (const rf of content.rules) {
    if ((target.disableRules ?? []).some((g) => ruleMatches(g, rf))) continue;
    const rule = applyOverrides(rf, target, where, problems);
    try {
      items.push({
        type: 'alertRule',
        name: rule.id,
        displayName: rule.name,
        version: rule.version,
        file: rf.source.file,
        body: ruleToArm(rule),
      });
    } catch (e) {
      problems.push(`${rf.source.file}: ${(e as Error).message}`);
    }
  }

  const aliases = new Set(content.watchlists.map((w) => w.watchlist.alias.toLowerCase()));
  for (const alias of Object.keys(target.watchlistItems ?? {})) {
    if (!aliases.has(alias.toLowerCase())) {
      problems.push(`${where}: watchlistItems.${alias}: no watchlist with alias '${alias}' in watchlists/`);
    }
  }
  for (const wf of content.watchlists) {
    const w = clone(wf.watchlist);
    const own = Object.entries(target.watchlistItems ?? {}).find(([a]) => a.toLowerCase() === w.alias.toLowerCase());
    try {
      items.push({
        type: 'watchlist',
        name: w.alias,
        displayName: w.displayName,
        version: '1.0.0',
        file: wf.source.file,
        body: watchlistToArm(w),
        items: watchlistItemsToArm(w, [...w.items, ...clone(own?.[1] ?? [])]),
      });
    } catch (e) {
      problems.push(`${wf.source.file}: ${(e as Error).message}`);
    }
  }

  for (const wb of content.workbooks) {
    items.push({
      type: 'workbook',
      name: workbookResourceName(wb.workbook.id, workspace),
      displayName: wb.workbook.displayName,
      version: wb.workbook.version,
      file: wb.source.file,
      body: workbookToArm(clone(wb.workbook), workspace, ownerOf(opts.repoName).name),
    });
  }

  for (const ff of content.functions ?? []) {
    try {
      items.push({
        type: 'function',
        // The saved search id: the alias (ARM names are case-insensitive; validate rejects aliases differing only in case).
        name: ff.fn.alias,
        displayName: ff.fn.displayName,
        version: ff.fn.version ?? '1.0.0',
        file: ff.source.file,
        body: functionToArm(clone(ff.fn), ownerOf(opts.repoName).name),
      });
    } catch (e) {
      problems.push(`${ff.source.file}: ${(e as Error).message}`);
    }
  }

  return { desired: { target: clone(target), workspace, items }, problems, warnings };
}

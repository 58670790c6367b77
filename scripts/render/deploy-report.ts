/** The apply report (per target) and the drift report, as text, JSON or Markdown. Pure. */
import type { ForeignItem, PlannedChange, TargetPlan } from '../deploy/plan/plan.ts';
import { Document } from 'yaml';
import { fieldLines, JSON_FORMAT_VERSION, targetHeader, type Format } from './plan.ts';
import { paint, PLAIN, type Style } from './style.ts';
import type { RolloutReport, TargetReport } from '../deploy/apply/rollout.ts';

const STATUS: Record<TargetReport['status'], string> = { ok: '✓', failed: '✗', skipped: '–', aborted: '⏸' };

function totals(r: RolloutReport) {
  const t = { created: 0, updated: 0, adopted: 0, deleted: 0, unchanged: 0, failed: 0 };
  for (const x of r.targets) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += x[k] ?? 0;
  return t;
}

function headline(r: RolloutReport, runId: string): string {
  const t = totals(r);
  const state = r.aborted ? 'interrupted' : r.stopped ? 'stopped' : r.targets.every((x) => x.status === 'ok') ? 'complete' : 'finished with failures';
  return `Apply ${state} (run ${runId}): ${t.created} created, ${t.updated} updated, ${t.adopted ? `${t.adopted} adopted, ` : ''}${t.deleted} deleted, ${t.unchanged} unchanged, ${t.failed} failed · ${r.writes} write(s)`;
}

const STATUS_COLOUR: Record<TargetReport['status'], Parameters<typeof paint>[1]> = { ok: 'green', failed: 'red', skipped: 'dim', aborted: 'yellow' };

/** One target's result line (also printed as each target finishes). */
export function targetReportLine(t: TargetReport, style: Style = PLAIN): string {
  return `${paint(style, STATUS_COLOUR[t.status], STATUS[t.status])} ${t.target} (wave ${t.wave}, tenant ${t.tenantId}, ${t.resourceGroup}/${t.workspaceName}): +${t.created} ~${t.updated}${t.adopted ? ` ⇐${t.adopted}` : ''} -${t.deleted} =${t.unchanged}` + (t.failed ? ` ✗${t.failed}` : '') + ` · ${t.writes} write(s)`;
}

export function renderReportText(r: RolloutReport, runId: string, style: Style = PLAIN): string {
  const lines: string[] = [];
  for (const t of r.targets) {
    lines.push(targetReportLine(t, style));
    if (t.error) lines.push(`    ${t.error}`);
    for (const x of t.results) {
      if (x.status !== 'done') lines.push(`    ${paint(style, 'red', '✗')} ${x.key}: ${x.error ?? x.status}`);
      if (x.replanned) lines.push(...fieldLines(x.replanned, '        ', style));
      for (const w of x.warnings ?? []) lines.push(`    ${paint(style, 'yellow', '⚠')} ${w}`);
    }
  }
  if (r.stopped) lines.push(`Stopped: ${r.stopped}`);
  lines.push(paint(style, 'bold', headline(r, runId)));
  return lines.join('\n');
}

export function renderReportMarkdown(r: RolloutReport, runId: string): string {
  // An Adopted column only when something was adopted (the usual table stays as it was).
  const adopted = r.targets.some((t) => t.adopted > 0);
  const lines = [
    `## Sentinel deployment`, '', headline(r, runId), '',
    `| | Target | Wave | Tenant | Workspace | Created | Updated |${adopted ? ' Adopted |' : ''} Deleted | Unchanged | Failed | Writes |`,
    `|---|---|---:|---|---|---:|---:|${adopted ? '---:|' : ''}---:|---:|---:|---:|`,
  ];
  for (const t of r.targets) {
    lines.push(`| ${STATUS[t.status]} | ${t.target} | ${t.wave} | \`${t.tenantId}\` | ${t.resourceGroup}/${t.workspaceName} | ${t.created} | ${t.updated} |${adopted ? ` ${t.adopted} |` : ''} ${t.deleted} | ${t.unchanged} | ${t.failed} | ${t.writes} |`);
  }
  const problems = r.targets.flatMap((t) => [...(t.error ? [`- **${t.target}**: ${t.error}`] : []), ...t.results.filter((x) => x.status !== 'done').map((x) => `- **${t.target}** \`${x.key}\`: ${x.error ?? x.status}`)]);
  if (problems.length) lines.push('', '### Failures', '', ...problems);
  if (r.stopped) lines.push('', `**Stopped:** ${r.stopped}`);
  return lines.join('\n');
}

export function renderReport(r: RolloutReport, format: Format, runId: string, style: Style = PLAIN): string {
  if (format === 'json') return JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, runId, summary: { ...totals(r), writes: r.writes }, aborted: r.aborted, stopped: r.stopped ?? null, targets: r.targets }, null, 2);
  if (format === 'markdown') return renderReportMarkdown(r, runId);
  return renderReportText(r, runId, style);
}

/** Managed items changed or deleted outside the repo. */
export function driftOf(p: TargetPlan): PlannedChange[] {
  return p.changes.filter((c) => c.drift || (c.op === 'create' && c.reason === 'managed item was deleted outside the repo'));
}

/** A watchlist item added outside the repo, with the watchlist it is in. */
export interface AddedOutside extends ForeignItem {
  watchlist: string;
}

/** Items of managed watchlists that were added outside the repo (one entry per item). */
export function addedOutsideOf(p: TargetPlan): AddedOutside[] {
  return p.changes.flatMap((c) => (c.foreign ?? []).map((f) => ({ watchlist: c.name, ...f })));
}

/** The YAML entry that adopts `f` (goes under `items:` of the watchlist file, or a target's `watchlistItems.<alias>`). */
export function adoptYaml(f: ForeignItem): string {
  return new Document([f.values]).toString({ lineWidth: 0 }).trimEnd();
}

function addedOutsideLines(list: readonly AddedOutside[], indent: string): string[] {
  const lines: string[] = [];
  for (const f of list) {
    lines.push(`${indent}? watchlist ${f.watchlist} item ${f.key} (id ${f.name})${f.duplicate ? ': conflict — a second row for a key the repo lists (the repo keeps its own item; delete this one in the portal or adopt its values)' : f.conflict ? ": conflict — the repo lists this key too; the repo's item is not written while this one exists" : ''}`);
    lines.push(`${indent}    adopt: add under \`items:\` in watchlists/${f.watchlist}.yaml (or the target's \`watchlistItems.${f.watchlist}\`), then delete this item in the portal so apply writes the repo's copy:`);
    for (const l of adoptYaml(f).split('\n')) lines.push(`${indent}      ${l}`);
    lines.push(`${indent}    or remove: delete it in the portal (Watchlist → ${f.watchlist} → Update watchlist).`);
  }
  return lines;
}

/**
 * The drift report. `drifted` counts managed items changed or deleted outside the repo (exit 1,
 * `apply` restores them); `conflicts` counts items added outside the repo whose key the repo also
 * lists (exit 1: the repo's item is not deployed); other items added outside the repo are listed
 * in their own section and do not fail the check (`addedOutside`).
 */
export function renderDrift(plans: readonly TargetPlan[], format: Format): { text: string; drifted: number; addedOutside: number; conflicts: number } {
  const drifted = plans.reduce((n, p) => n + driftOf(p).length, 0);
  const outside = plans.flatMap((p) => addedOutsideOf(p));
  const counts = { drifted, addedOutside: outside.length, conflicts: outside.filter((f) => f.conflict).length };
  if (format === 'json') {
    const targets = plans.map((p) => ({
      target: p.target, tenantId: p.tenantId, subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, workspaceName: p.workspaceName,
      error: p.error ?? null, drift: driftOf(p), addedOutside: addedOutsideOf(p),
    }));
    return { ...counts, text: JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, ...counts, checked: plans.filter((p) => !p.error).length, failed: plans.filter((p) => p.error).length, targets }, null, 2) };
  }
  const md = format === 'markdown';
  const lines: string[] = md ? ['## Sentinel drift', ''] : [];
  for (const p of plans) {
    const items = driftOf(p);
    const added = addedOutsideOf(p);
    if (!items.length && !added.length && !p.error) continue;
    lines.push(md ? `### ${p.target}` : targetHeader(p));
    if (p.error) lines.push(`  ✗ ${p.error}`);
    if (md && items.length) lines.push('```diff');
    for (const c of items) {
      const what = c.op === 'create' ? 'deleted outside the repo' : 'changed outside the repo (current → repo)';
      lines.push(`  ~ ${c.type} ${c.name} "${c.displayName}": ${what}`);
      if (c.op === 'update' || c.op === 'replace') lines.push(...fieldLines(c.changes, '      '));
      for (const i of c.items ?? []) lines.push(`      ${i.op === 'create' ? '- missing' : i.op === 'delete' ? '+ extra' : '~ changed'} item ${i.key}`);
    }
    if (md && items.length) lines.push('```');
    if (added.length) {
      lines.push(md ? '' : '  Added outside the repo (kept; never written or pruned by plan/apply):');
      if (md) lines.push('#### Added outside the repo', '', '```');
      lines.push(...addedOutsideLines(added, '  '));
      if (md) lines.push('```');
    }
    lines.push('');
  }
  const failed = plans.filter((p) => p.error).length;
  if (drifted) lines.push(`Drift: ${drifted} managed item(s) changed outside the repo; \`sentinel apply\` restores them.`);
  if (outside.length) lines.push(`Added outside the repo: ${outside.length} watchlist item(s)${counts.conflicts ? `, ${counts.conflicts} holding a key the repo lists (conflict)` : ''}; adopt each into the watchlist file or delete it in the portal.`);
  // A target that could not be read was not checked: never report it as "no drift".
  if (failed) lines.push(`Drift check incomplete: ${failed} of ${plans.length} target(s) could not be checked (errors above).`);
  else if (!drifted) lines.push('No drift: every managed item matches what this repo deployed.');
  return { ...counts, text: lines.join('\n') };
}

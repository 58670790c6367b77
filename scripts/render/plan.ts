/** Plans, apply reports and drift as text (Terraform-like), JSON and Markdown. Pure. */
import type { FieldChange } from '../deploy/plan/diff.ts';
import type { PlannedChange, TargetPlan } from '../deploy/plan/plan.ts';
import { countPlan, planWrites } from '../model/plan-counts.ts';

export type Format = 'text' | 'json' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'markdown'];

const SYMBOL: Record<PlannedChange['op'], string> = {
  create: '+', update: '~', delete: '-', noop: '=', conflict: '!', retain: '○',
};

function show(v: unknown, max = 80): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Line diff of two multi-line strings (changed lines only, bounded). */
function lineDiff(before: string, after: string, indent: string, maxLines = 12): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const inB = new Set(b);
  const inA = new Set(a);
  const out = [
    ...a.filter((l) => !inB.has(l)).map((l) => `${indent}- ${l}`),
    ...b.filter((l) => !inA.has(l)).map((l) => `${indent}+ ${l}`),
  ];
  return out.length > maxLines ? [...out.slice(0, maxLines), `${indent}… ${out.length - maxLines} more changed line(s)`] : out;
}

export function fieldLines(changes: readonly FieldChange[], indent: string): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (typeof c.before === 'string' && typeof c.after === 'string' && (c.before.includes('\n') || c.after.includes('\n'))) {
      out.push(`${indent}~ ${c.path}:`, ...lineDiff(c.before, c.after, `${indent}    `));
    } else if (c.before === undefined) out.push(`${indent}+ ${c.path}: ${show(c.after)}`);
    else if (c.after === undefined) out.push(`${indent}- ${c.path}: ${show(c.before)}`);
    else out.push(`${indent}~ ${c.path}: ${show(c.before, 50)} → ${show(c.after, 50)}`);
  }
  return out;
}

const label = (c: PlannedChange): string =>
  `${c.type} ${c.name}${c.displayName && c.displayName !== c.name ? ` "${c.displayName}"` : ''}`;

function watchlistSummary(c: PlannedChange): string {
  const n = { create: 0, update: 0, delete: 0 };
  for (const i of c.items ?? []) n[i.op]++;
  return n.create + n.update + n.delete ? ` (items: +${n.create} ~${n.update} -${n.delete})` : '';
}

export function targetHeader(p: TargetPlan): string {
  return `${p.target}${p.displayName ? ` (${p.displayName})` : ''} — tenant ${p.tenantId}, subscription ${p.subscriptionId}, ${p.resourceGroup}/${p.workspaceName}, wave ${p.wave}`;
}

function summaryLine(plans: readonly TargetPlan[]): string {
  const c = countPlan(plans);
  return (
    `Plan: ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.noop} unchanged` +
    (c.conflict ? `, ${c.conflict} conflict(s) not touched` : '') +
    (c.retain ? `, ${c.retain} kept (not in repo; --prune deletes)` : '') +
    ` · ${c.writes} write(s) across ${plans.length} target(s)`
  );
}

export function renderPlanText(plans: readonly TargetPlan[], opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(targetHeader(p));
    if (p.error) {
      lines.push(`  ✗ ${p.error}`, '');
      continue;
    }
    for (const pr of p.problems) lines.push(`  ✗ ${pr}`);
    for (const w of p.warnings) lines.push(`  ⚠ ${w}`);
    let unchanged = 0;
    for (const c of p.changes) {
      if (c.op === 'noop' && !opts.verbose) {
        unchanged++;
        continue;
      }
      const drift = c.drift ? ' [changed outside the repo]' : '';
      lines.push(`  ${SYMBOL[c.op]} ${label(c)}${c.type === 'watchlist' ? watchlistSummary(c) : ''}${drift}${c.reason ? ` — ${c.reason}` : ''}`);
      if (c.op === 'update') lines.push(...fieldLines(c.changes, '      '));
      if (c.op === 'update' || c.op === 'create') {
        for (const i of c.items ?? []) {
          lines.push(`      ${SYMBOL[i.op]} item ${i.key}`);
          if (i.op === 'update') lines.push(...fieldLines(i.changes, '          '));
        }
      }
    }
    if (unchanged) lines.push(`  = ${unchanged} unchanged`);
    lines.push(`  ${planWrites(p)} write(s); ${p.unmanaged} item(s) in the workspace not managed by this repo (never touched)`, '');
  }
  lines.push(summaryLine(plans));
  return lines.join('\n');
}

const mdEscape = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderPlanMarkdown(plans: readonly TargetPlan[], title = 'Sentinel deployment plan'): string {
  const lines = [`## ${title}`, '', summaryLine(plans), '', '| Target | Tenant | Workspace | Wave | Create | Update | Delete | Unchanged | Conflicts | Writes |', '|---|---|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const p of plans) {
    const c = countPlan([p]);
    lines.push(
      `| ${mdEscape(p.target)}${p.error ? ' ✗' : ''} | \`${p.tenantId}\` | ${mdEscape(`${p.resourceGroup}/${p.workspaceName}`)} | ${p.wave} | ${c.create} | ${c.update} | ${c.delete} | ${c.noop} | ${c.conflict} | ${c.writes} |`,
    );
  }
  for (const p of plans) {
    const interesting = p.changes.filter((c) => c.op !== 'noop');
    if (!interesting.length && !p.error && !p.problems.length) continue;
    lines.push('', `<details><summary><b>${mdEscape(p.target)}</b>: ${interesting.length} change(s)</summary>`, '', '```diff');
    if (p.error) lines.push(`! ${p.error}`);
    for (const pr of p.problems) lines.push(`! ${pr}`);
    for (const c of interesting) {
      lines.push(`${SYMBOL[c.op] === '○' ? '#' : SYMBOL[c.op] === '~' ? '!' : SYMBOL[c.op]} ${label(c)}${c.type === 'watchlist' ? watchlistSummary(c) : ''}${c.reason ? ` — ${c.reason}` : ''}`);
      if (c.op === 'update') lines.push(...fieldLines(c.changes, '    ').map((l) => l.replace(/^(\s*)~/, '$1!')));
    }
    lines.push('```', '', '</details>');
  }
  return lines.join('\n');
}

export function renderPlan(plans: readonly TargetPlan[], format: Format): string {
  if (format === 'json') return JSON.stringify({ summary: countPlan(plans), targets: plans }, null, 2);
  if (format === 'markdown') return renderPlanMarkdown(plans);
  return renderPlanText(plans);
}

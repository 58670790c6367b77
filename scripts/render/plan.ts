/** Plans, apply reports and drift as text (Terraform-like), JSON and Markdown. Pure. */
import { structuredPatch } from 'diff';
import type { FieldChange } from '../deploy/plan/diff.ts';
import type { PlannedChange, TargetPlan } from '../deploy/plan/plan.ts';
import { formatMs, isoDurationMs } from '../model/duration.ts';
import { countPlan, planWrites, type PlanCounts } from '../model/plan-counts.ts';
import { paint, PLAIN, type Style } from './style.ts';

export type Format = 'text' | 'json' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'markdown'];

/** Version of the JSON documents of plan, apply and drift; bumped when a field changes meaning. */
export const JSON_FORMAT_VERSION = 1;

const SYMBOL: Record<PlannedChange['op'], string> = {
  create: '+', update: '~', replace: '-/+', adopt: '⇐', delete: '-', noop: '=', conflict: '!', retain: '○',
};

/** Ops whose field diff is printed under the item (the text and Markdown renderers). */
const SHOWS_FIELDS: ReadonlySet<PlannedChange['op']> = new Set(['update', 'replace', 'adopt']);

const COLOUR: Record<PlannedChange['op'], Parameters<typeof paint>[1]> = {
  create: 'green', update: 'yellow', replace: 'red', adopt: 'blue', delete: 'red', noop: 'dim', conflict: 'magenta', retain: 'cyan',
};

/** The symbols a text plan uses, printed once above it. */
export function planLegend(style: Style = PLAIN): string {
  const entries: [PlannedChange['op'], string][] = [
    ['create', 'create'], ['update', 'update in place'], ['replace', 'replace (delete, then create with the same id)'],
    ['adopt', 'adopt (write this repo\'s ownership record, update where it differs)'], ['delete', 'delete'],
    ['conflict', 'conflict, not touched'], ['retain', 'kept (not in the repo; --prune deletes)'], ['noop', 'unchanged'],
  ];
  return 'Symbols: ' + entries.map(([op, what]) => `${paint(style, COLOUR[op], SYMBOL[op])} ${what}`).join('  ');
}

/** A value as written in the repo: ISO 8601 durations in their short form (`PT1H` → `1h`). */
function asWritten(v: unknown): unknown {
  if (typeof v !== 'string' || !v.startsWith('P')) return v;
  const ms = isoDurationMs(v);
  return ms === undefined || ms === 0 ? v : formatMs(ms).replace(/ /g, '');
}

function show(v: unknown, max = 80): string {
  if (v === undefined) return '(none)';
  const w = asWritten(v);
  const s = w !== v && typeof w === 'string' ? w : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Unified diff of two multi-line strings (jsdiff's structuredPatch): hunks with two lines of
 * context, so moved, duplicated and removed lines all show; bounded to `maxLines`.
 */
function lineDiff(before: string, after: string, indent: string, style: Style, maxLines = 40): string[] {
  const patch = structuredPatch('before', 'after', before, after, '', '', { context: 2 });
  const out: string[] = [];
  for (const h of patch.hunks) {
    out.push(`${indent}${paint(style, 'cyan', `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`)}`);
    for (const l of h.lines) {
      if (l.startsWith('\\')) continue; // "\ No newline at end of file"
      const mark = l[0];
      out.push(`${indent}${mark === '+' ? paint(style, 'green', l) : mark === '-' ? paint(style, 'red', l) : l}`);
    }
  }
  return out.length > maxLines ? [...out.slice(0, maxLines), `${indent}… ${out.length - maxLines} more diff line(s)`] : out;
}

export function fieldLines(changes: readonly FieldChange[], indent: string, style: Style = PLAIN): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (typeof c.before === 'string' && typeof c.after === 'string' && (c.before.includes('\n') || c.after.includes('\n'))) {
      out.push(`${indent}${paint(style, 'yellow', '~')} ${c.path}:`, ...lineDiff(c.before, c.after, `${indent}    `, style));
    } else if (c.before === undefined) out.push(`${indent}${paint(style, 'green', '+')} ${c.path}: ${show(c.after)}`);
    else if (c.after === undefined) out.push(`${indent}${paint(style, 'red', '-')} ${c.path}: ${show(c.before)}`);
    else out.push(`${indent}${paint(style, 'yellow', '~')} ${c.path}: ${show(c.before, 50)} → ${show(c.after, 50)}`);
  }
  return out;
}

const label = (c: PlannedChange): string =>
  `${c.type} ${c.name}${c.displayName && c.displayName !== c.name ? ` "${c.displayName}"` : ''}`;

function watchlistSummary(c: PlannedChange): string {
  const n = { create: 0, update: 0, delete: 0 };
  for (const i of c.items ?? []) n[i.op]++;
  const uploads = c.phases.flat().filter((w) => w.upload).length;
  const bulk = uploads ? `; ${(c.items ?? []).filter((i) => i.bulk).length} in ${uploads} bulk upload(s)` : '';
  return n.create + n.update + n.delete ? ` (items: +${n.create} ~${n.update} -${n.delete}${bulk})` : '';
}

export function targetHeader(p: TargetPlan): string {
  return `${p.target}${p.displayName ? ` (${p.displayName})` : ''} — tenant ${p.tenantId}, subscription ${p.subscriptionId}, ${p.resourceGroup}/${p.workspaceName}, wave ${p.wave}`;
}

function summaryLine(plans: readonly TargetPlan[]): string {
  const c = countPlan(plans);
  return (
    `Plan: ${c.create} to create, ${c.update} to update, ${c.replace ? `${c.replace} to replace, ` : ''}${c.adopt ? `${c.adopt} to adopt, ` : ''}${c.delete} to delete, ${c.noop} unchanged` +
    (c.conflict ? `, ${c.conflict} conflict(s) not touched` : '') +
    (c.retain ? `, ${c.retain} kept (not in repo; --prune deletes)` : '') +
    ` · ${c.writes} write(s) across ${plans.length} target(s)`
  );
}

export interface PlanTextOptions {
  verbose?: boolean;
  style?: Style;
  /** Print the symbol legend above the plan (the CLI does once per run). */
  legend?: boolean;
}

export function renderPlanText(plans: readonly TargetPlan[], opts: PlanTextOptions = {}): string {
  const style = opts.style ?? PLAIN;
  const lines: string[] = opts.legend ? [planLegend(style), ''] : [];
  for (const p of plans) {
    lines.push(paint(style, 'bold', targetHeader(p)));
    if (p.error) {
      lines.push(`  ${paint(style, 'red', '✗')} ${p.error}`, '');
      continue;
    }
    for (const pr of p.problems) lines.push(`  ${paint(style, 'red', '✗')} ${pr}`);
    for (const w of p.warnings) lines.push(`  ${paint(style, 'yellow', '⚠')} ${w}`);
    let unchanged = 0;
    for (const c of p.changes) {
      if (c.op === 'noop' && !opts.verbose && !c.foreign?.length) {
        unchanged++;
        continue;
      }
      const drift = c.drift ? ' [changed outside the repo]' : '';
      lines.push(`  ${paint(style, COLOUR[c.op], SYMBOL[c.op])} ${label(c)}${c.type === 'watchlist' ? watchlistSummary(c) : ''}${drift}${c.reason ? ` — ${c.reason}` : ''}`);
      if (SHOWS_FIELDS.has(c.op)) lines.push(...fieldLines(c.changes, '      ', style));
      if (c.op === 'update' || c.op === 'create' || c.op === 'adopt') {
        for (const i of c.items ?? []) {
          lines.push(`      ${paint(style, COLOUR[i.op], SYMBOL[i.op])} item ${i.key}`);
          if (i.op === 'update') lines.push(...fieldLines(i.changes, '          ', style));
        }
      }
      for (const f of c.foreign ?? []) {
        const op = f.conflict ? 'conflict' : 'retain';
        const why = !f.conflict ? 'added outside the repo: kept (never pruned)'
          : f.duplicate ? "added outside the repo, a second row for a key the repo lists: kept, not touched"
          : "added outside the repo, holds a key the repo lists: kept, the repo's item is not written";
        lines.push(`      ${paint(style, COLOUR[op], SYMBOL[op])} item ${f.key} — ${why}`);
      }
    }
    if (unchanged) lines.push(`  ${paint(style, 'dim', '=')} ${unchanged} unchanged`);
    lines.push(`  ${planWrites(p)} write(s); ${p.unmanaged} item(s) in the workspace not managed by this repo (never touched)`, '');
  }
  lines.push(paint(style, 'bold', summaryLine(plans)));
  return lines.join('\n');
}

/** Plan counts under the names the text uses (`unchanged`, `kept`), for JSON. */
export function planSummaryJson(c: PlanCounts): { create: number; update: number; replace: number; adopt: number; delete: number; unchanged: number; conflict: number; kept: number; writes: number } {
  return { create: c.create, update: c.update, replace: c.replace, adopt: c.adopt, delete: c.delete, unchanged: c.noop, conflict: c.conflict, kept: c.retain, writes: c.writes };
}

const mdEscape = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderPlanMarkdown(plans: readonly TargetPlan[], title = 'Sentinel deployment plan'): string {
  // Replace and Adopt columns only when some target has one (the usual table stays as it was).
  const total = countPlan(plans);
  const extra = ([['replace', 'Replace'], ['adopt', 'Adopt']] as const).filter(([op]) => total[op] > 0);
  const head = ['Create', 'Update', ...extra.map(([, h]) => h), 'Delete', 'Unchanged', 'Conflicts', 'Writes'];
  const lines = [`## ${title}`, '', summaryLine(plans), '', `| Target | Tenant | Workspace | Wave | ${head.join(' | ')} |`, `|---|---|---|${'---:|'.repeat(head.length + 1)}`];
  for (const p of plans) {
    const c = countPlan([p]);
    const cells = [c.create, c.update, ...extra.map(([op]) => c[op]), c.delete, c.noop, c.conflict, c.writes];
    lines.push(`| ${mdEscape(p.target)}${p.error ? ' ✗' : ''} | \`${p.tenantId}\` | ${mdEscape(`${p.resourceGroup}/${p.workspaceName}`)} | ${p.wave} | ${cells.join(' | ')} |`);
  }
  for (const p of plans) {
    const interesting = p.changes.filter((c) => c.op !== 'noop' || c.foreign?.length);
    if (!interesting.length && !p.error && !p.problems.length) continue;
    lines.push('', `<details><summary><b>${mdEscape(p.target)}</b>: ${interesting.length} change(s)</summary>`, '', '```diff');
    if (p.error) lines.push(`! ${p.error}`);
    for (const pr of p.problems) lines.push(`! ${pr}`);
    for (const c of interesting) {
      lines.push(`${c.op === 'retain' ? '#' : c.op === 'update' || c.op === 'adopt' ? '!' : SYMBOL[c.op]} ${label(c)}${c.type === 'watchlist' ? watchlistSummary(c) : ''}${c.reason ? ` — ${c.reason}` : ''}`);
      if (SHOWS_FIELDS.has(c.op)) lines.push(...fieldLines(c.changes, '    ').map((l) => l.replace(/^(\s*)~/, '$1!')));
      for (const f of c.foreign ?? []) lines.push(`${f.conflict ? '!' : '#'}   item ${f.key} — added outside the repo: kept${f.duplicate ? ', a second row for a key the repo lists' : f.conflict ? ", holds a key the repo lists (the repo's item is not written)" : ''}`);
    }
    lines.push('```', '', '</details>');
  }
  return lines.join('\n');
}

export function renderPlan(plans: readonly TargetPlan[], format: Format, style: Style = PLAIN): string {
  if (format === 'json') return JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, summary: planSummaryJson(countPlan(plans)), targets: plans }, null, 2);
  if (format === 'markdown') return renderPlanMarkdown(plans);
  return renderPlanText(plans, { style, legend: true });
}

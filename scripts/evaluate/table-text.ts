/**
 * Text and JSON renderings of evaluator results (the evaluator's own output form, used by rule-test
 * failure messages and `sentinel query`): an aligned table for terminals and diffs, and the
 * `{"columns":[{"name","type"}],"rows":[[…]]}` JSON form.
 */
import type { EvalTable } from './evaluate.ts';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\r?\n/g, '\\n');
  return JSON.stringify(v);
}

function align(header: string[], body: string[][], indent: string): string {
  const widths = header.map((h, i) => Math.min(80, Math.max(h.length, ...body.map((r) => r[i]!.length))));
  const fit = (s: string, w: number): string => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  const line = (r: string[]): string => indent + r.map((c, i) => fit(c, widths[i]!)).join('  ').trimEnd();
  return [line(header), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Aligned text table of the whole result, with a row count line. */
export function formatTable(t: EvalTable): string {
  const header = t.columns.map((c) => c.name);
  const body = t.rows.map((r) => r.map(cell));
  return `${align(header, body, '')}\n(${t.rows.length} row${t.rows.length === 1 ? '' : 's'})`;
}

/** Aligned text of the chosen columns only (for expected-vs-actual diffs), at most `limit` rows. */
export function formatRows(t: EvalTable, columns: string[], limit = 20): string {
  const idx = columns.map((c) => t.columns.findIndex((x) => x.name === c));
  const body = t.rows.slice(0, limit).map((r) => idx.map((i) => (i < 0 ? '(no such column)' : cell(r[i]))));
  const more = t.rows.length > limit ? `\n  … ${t.rows.length - limit} more row(s)` : '';
  return align(columns, body, '  ') + more;
}

export function formatJson(t: EvalTable): string {
  return JSON.stringify({ columns: t.columns, rows: t.rows });
}

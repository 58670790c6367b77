/** Human-readable diagnostics: grouped by file, one line each, and a summary line. */
import { countBySeverity } from '../model/diagnostics.ts';
import type { Diagnostic } from '../model/types.ts';

export interface TextOptions {
  color?: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatDiagnosticsText(diagnostics: readonly Diagnostic[], opts: TextOptions = {}): string {
  const color = opts.color ?? false;
  const lines: string[] = [];
  let current = '';
  for (const d of diagnostics) {
    if (d.file !== current) {
      if (current) lines.push('');
      lines.push(paint(color, '1', d.file));
      current = d.file;
    }
    const sev = d.severity === 'error' ? paint(color, '31', 'error') : d.severity === 'warning' ? paint(color, '33', 'warning') : paint(color, '36', 'info');
    lines.push(`  ${d.file}:${d.line}:${d.col} ${sev} ${d.message} ${paint(color, '2', `[${d.code}]`)}`);
  }
  return lines.join('\n');
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const c = countBySeverity(diagnostics);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')} in ${plural(files, 'file')}`;
}

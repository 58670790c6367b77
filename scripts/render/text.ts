/** Human-readable diagnostics: grouped by file, one line each, and a summary line. */
import { countBySeverity } from '../model/diagnostics.ts';
import type { Diagnostic } from '../model/types.ts';
import { paint } from './style.ts';

export interface TextOptions {
  color?: boolean;
}

export function formatDiagnosticsText(diagnostics: readonly Diagnostic[], opts: TextOptions = {}): string {
  const style = { color: opts.color ?? false };
  const lines: string[] = [];
  let current = '';
  for (const d of diagnostics) {
    if (d.file !== current) {
      if (current) lines.push('');
      lines.push(paint(style, 'bold', d.file));
      current = d.file;
    }
    const sev = d.severity === 'error' ? paint(style, 'red', 'error') : d.severity === 'warning' ? paint(style, 'yellow', 'warning') : paint(style, 'cyan', 'info');
    lines.push(`  ${d.file}:${d.line}:${d.col} ${sev} ${d.message} ${paint(style, 'dim', `[${d.code}]`)}`);
  }
  return lines.join('\n');
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const c = countBySeverity(diagnostics);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')} in ${plural(files, 'file')}`;
}

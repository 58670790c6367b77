/** Building, ordering and counting diagnostics. */
import type { Diagnostic, NodePath, Severity, SourceFile } from './types.ts';

/** A diagnostic at the value (or with `onKey`, the key) of `path` in `source`. */
export function diagAt(source: SourceFile, path: NodePath, severity: Severity, code: string, message: string, onKey = false): Diagnostic {
  const p = onKey ? source.keyPos(path) : source.pos(path);
  return { file: source.file, line: p.line, col: p.col, severity, code, message };
}

/** A diagnostic at character `offset` (length `length`) of the string at `path`, e.g. inside a query. */
export function diagAtOffset(
  source: SourceFile, path: NodePath, offset: number, length: number, severity: Severity, code: string, message: string,
): Diagnostic {
  const start = source.offsetPos(path, offset);
  const end = source.offsetPos(path, offset + Math.max(0, length));
  return { file: source.file, line: start.line, col: start.col, endLine: end.line, endCol: end.col, severity, code, message };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || RANK[a.severity] - RANK[b.severity] || a.message.localeCompare(b.message),
  );
}

/** Drops exact repeats (same place, code and message). */
export function dedupeDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function countBySeverity(list: readonly Diagnostic[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of list) c[d.severity]++;
  return c;
}

/**
 * Unified diff of two texts (`--- a/<file>` / `+++ b/<file>`, 3 lines of context), as `git diff`
 * prints it, from jsdiff's structuredPatch (the same library the plan's query diffs use).
 */
import { structuredPatch } from 'diff';

/** The unified diff of `before` → `after` for `file`; empty when they are equal. */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = structuredPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 });
  const out = [`--- a/${file}`, `+++ b/${file}`];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines);
  }
  return out.join('\n') + '\n';
}

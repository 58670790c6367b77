/**
 * A query written as a plain, quoted or folded (`>`) YAML scalar has its line breaks folded into
 * spaces. A `//` comment in it then runs to the end of the *folded* line, so every later source line
 * it swallowed is silently missing from the query Sentinel runs — valid KQL, so the language service
 * has nothing to say. Only a literal block (`query: |`) keeps the lines.
 */
import { diagAtOffset } from '../model/diagnostics.ts';
import { commentStarts } from '../kusto/lexical.ts';
import type { Diagnostic, NodePath, SourceFile } from '../model/types.ts';

export function foldedCommentFindings(source: SourceFile, path: NodePath, query: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const start of commentStarts(query)) {
    const nl = query.indexOf('\n', start);
    let last = (nl < 0 ? query.length : nl) - 1;
    while (last > start && /\s/.test(query[last]!)) last--;
    const from = source.offsetPos(path, start).line;
    const to = source.offsetPos(path, last).line;
    if (to <= from) continue;
    out.push(diagAtOffset(
      source, path, start, last + 1 - start, 'error', 'check/folded-comment',
      `this // comment comments out lines ${from}–${to}: the query is a folded YAML scalar, which joins its lines into one, so Sentinel never runs them; write the query as a literal block (query: |)`,
    ));
  }
  return out;
}

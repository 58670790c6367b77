/**
 * A query written as a plain, quoted or folded (`>`) YAML scalar has its line breaks folded into
 * spaces. A `//` comment in it then runs to the end of the *folded* line, so every later source line
 * it swallowed is silently missing from the query Sentinel runs — valid KQL, so the language service
 * has nothing to say. Only a literal block (`query: |`) keeps the lines.
 */
import { diagAtOffset } from '../model/diagnostics.ts';
import type { Diagnostic, NodePath, SourceFile } from '../model/types.ts';

/** Offsets of `//` comment starts in KQL text, outside string literals. */
export function commentStarts(query: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (c === '/' && query[i + 1] === '/') {
      out.push(i);
      const nl = query.indexOf('\n', i);
      i = nl < 0 ? query.length : nl + 1;
    } else if (c === '"' || c === "'") {
      const verbatim = query[i - 1] === '@';
      i++;
      while (i < query.length && query[i] !== c && query[i] !== '\n') i += !verbatim && query[i] === '\\' ? 2 : 1;
      i++;
    } else {
      i++;
    }
  }
  return out;
}

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

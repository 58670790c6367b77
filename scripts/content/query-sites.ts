/**
 * Where the content holds KQL: every rule query and every workbook query (with the workbook's
 * `{Param}` tokens replaced by KQL of the right shape and an offset map back to the YAML value).
 * Validation analyses these sites; the shared-snippet check scans them.
 */
import type { NodePath, Repo, SourceFile } from '../model/types.ts';

/** One query somewhere in the content. */
export interface QuerySite {
  source: SourceFile;
  path: NodePath;
  /** The text the analyzer sees. */
  query: string;
  /** Maps an offset in `query` back to an offset in the YAML string value (identity when absent). */
  toValueOffset?: (offset: number) => number;
  /** Rule file this query belongs to, if any. */
  ruleFile?: string;
  /** Function file whose body this is, if any. */
  functionFile?: string;
}

export function querySites(repo: Pick<Repo, 'rules' | 'workbooks'>): QuerySite[] {
  const sites: QuerySite[] = repo.rules.map((r) => ({ source: r.source, path: ['query'], query: r.rule.query, ruleFile: r.source.file }));
  for (const wb of repo.workbooks) {
    walkWorkbookItems(wb.workbook.template.items as unknown[], ['template', 'items'], (item, path) => {
      const content = (item as { content?: { query?: unknown; queryType?: unknown } }).content;
      if (typeof content?.query !== 'string' || (content.queryType !== undefined && content.queryType !== 0)) return;
      const { text, toValueOffset } = substituteWorkbookParameters(content.query);
      sites.push({ source: wb.source, path: [...path, 'content', 'query'], query: text, toValueOffset });
    });
  }
  return sites;
}

function walkWorkbookItems(items: unknown[] | undefined, path: NodePath, visit: (item: unknown, path: NodePath) => void): void {
  (items ?? []).forEach((item, i) => {
    const here = [...path, i];
    visit(item, here);
    const nested = (item as { content?: { items?: unknown[] } }).content?.items;
    if (Array.isArray(nested)) walkWorkbookItems(nested, [...here, 'content', 'items'], visit);
  });
}

/**
 * Workbook queries use `{Param}` tokens that the workbook expands before running the query.
 * Replace them with KQL of the right shape (`{TimeRange}` → a time filter, `{X:start}` → a datetime,
 * anything else → a string literal) and keep an offset map back to the original text.
 */
export function substituteWorkbookParameters(query: string): { text: string; toValueOffset: (offset: number) => number } {
  const segments: { newStart: number; oldStart: number; newLen: number; oldLen: number }[] = [];
  let text = '';
  let last = 0;
  for (const m of query.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g)) {
    const [token, name, fmt] = m;
    const at = m.index!;
    text += query.slice(last, at);
    const replacement = /timerange/i.test(name!) && !fmt ? '> ago(1d)'
      : fmt === 'start' || fmt === 'end' ? 'now()'
      : fmt === 'grain' ? '1h'
      : `"${name}"`;
    segments.push({ newStart: text.length, oldStart: at, newLen: replacement.length, oldLen: token.length });
    text += replacement;
    last = at + token.length;
  }
  text += query.slice(last);
  const toValueOffset = (offset: number): number => {
    let delta = 0;
    for (const s of segments) {
      if (offset < s.newStart) break;
      if (offset < s.newStart + s.newLen) return s.oldStart;
      delta = s.oldStart + s.oldLen - (s.newStart + s.newLen);
    }
    return offset + delta;
  };
  return { text, toValueOffset };
}

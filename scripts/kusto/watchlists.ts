/**
 * `_GetWatchlist` aliases a query names that no watchlist defines, or that are not constant: the
 * same finding for validation and for the local evaluator (which would otherwise fail on the
 * service's less helpful "errors in its definition").
 */
import { watchlistAliasOf } from './extract.ts';
import { callArgs, callName, span } from './syntax.ts';
import type { TreeIndex } from './syntax.ts';
import type { KqlDiagnostic } from './types.ts';

export const CODE_UNKNOWN_WATCHLIST = 'KQL-UNKNOWN-WATCHLIST';
export const CODE_WATCHLIST_ALIAS = 'KQL-WATCHLIST-ALIAS';

export function watchlistAliasChecks(index: TreeIndex, known: readonly string[]): KqlDiagnostic[] {
  const out: KqlDiagnostic[] = [];
  const list = known.length ? `known aliases: ${[...known].sort().join(', ')}` : 'no watchlists are defined';
  for (const call of index.calls) {
    if (callName(call) !== '_GetWatchlist') continue;
    const [arg] = callArgs(call);
    const alias = watchlistAliasOf(arg);
    if (alias === null) {
      out.push({
        ...span(arg ?? call),
        severity: 'error',
        code: CODE_WATCHLIST_ALIAS,
        message: `_GetWatchlist needs the alias as a string literal, or a let bound to one, e.g. '${known[0] ?? 'MyWatchlist'}' (${list})`,
      });
    } else if (!known.includes(alias)) {
      out.push({ ...span(arg!), severity: 'error', code: CODE_UNKNOWN_WATCHLIST, message: `Unknown watchlist alias '${alias}'; ${list}` });
    }
  }
  return out;
}

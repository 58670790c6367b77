/** GETs a workspace's current state: alert rules, watchlists (+ items), workbooks, metadata, saved searches. */
import type { WorkspaceApi } from '../azure/arm.ts';
import type { ActualResource, ActualState, DesiredState } from '../desired/model.ts';
import { anyRecordOf, ownRecords } from './ownership.ts';
import { type OwnerRef } from '../../model/identity.ts';

export async function fetchActual(
  api: WorkspaceApi,
  desired: DesiredState,
  repoName: OwnerRef,
  limit: <T>(fn: () => Promise<T>) => Promise<T>,
  /** `--adopt`: also read the items of a wanted watchlist that has no metadata record at all (the one being adopted). */
  adopt = false,
): Promise<ActualState> {
  const [alertRules, watchlists, workbooks, metadata, functions] = await Promise.all([
    limit(() => api.list('alertRule')),
    limit(() => api.list('watchlist')),
    limit(() => api.list('workbook')),
    limit(() => api.list('metadata')),
    limit(() => api.list('function')),
  ]);
  // Items only of the watchlists that are ours or that we want (never read others' data).
  const records = ownRecords(metadata, desired.workspace, repoName);
  const wanted = new Set(desired.items.filter((d) => d.type === 'watchlist').map((d) => d.name.toLowerCase()));
  for (const key of records.keys()) if (key.startsWith('watchlist/')) wanted.add(key.slice('watchlist/'.length));
  const watchlistItems: Record<string, ActualResource[]> = {};
  await Promise.all(
    watchlists
      .filter((w) => wanted.has(w.name.toLowerCase()) && (records.has(`watchlist/${w.name.toLowerCase()}`) || (adopt && !anyRecordOf(metadata, 'watchlist', w.name, w.id))))
      .map(async (w) => {
        watchlistItems[w.name.toLowerCase()] = await limit(() => api.listItems(w.name));
      }),
  );
  return { alertRules, watchlists, watchlistItems, workbooks, metadata, functions };
}


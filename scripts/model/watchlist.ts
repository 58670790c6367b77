/**
 * Identity of a watchlist item, once. An item is identified by the value of the watchlist's search
 * key column, trimmed and case-folded; its ARM resource name is a UUIDv5 of the alias and that key.
 * These are deploy's semantics (what Azure sees): validate reports two items with the same key as
 * duplicates, deploy merges them into one resource (a target's own item replaces the repo's default
 * with the same key), and plan matches deployed items to desired ones by the same key. Whether a
 * deployed item is the repo's is `isRepoItem`: an item that is not was added outside the repo, and
 * plan never writes or prunes it (docs/deploy.md, "Items added outside the repo").
 */
import { uuidV5 } from './guid.ts';

/** The identity of a search-key value: `' 10.0.0.0/8 '` and `'10.0.0.0/8'` are one item; so are `Alice` and `alice`. */
export function itemKeyOf(value: unknown): string {
  return String(value ?? '').trim().toLowerCase();
}

/** The identity of `item` in a watchlist whose search key is `itemsSearchKey`; '' when the item has no key value. */
export function watchlistItemKey(watchlist: { itemsSearchKey: string }, item: Readonly<Record<string, unknown>>): string {
  return itemKeyOf(item[watchlist.itemsSearchKey]);
}

/** Stable watchlist item id (the ARM resource name): UUIDv5 of alias + item key, both case-insensitive. */
export function watchlistItemId(alias: string, keyValue: string): string {
  return uuidV5(`watchlist-item\n${alias.toLowerCase()}\n${itemKeyOf(keyValue)}`);
}

/**
 * Was the item named `itemName`, holding search-key value `keyValue`, written by this tool into
 * watchlist `alias`? Two ways in, one rule:
 * - an item the repo PUTs one by one has the id `watchlistItemId(alias, key)` (the portal and the API
 *   without an id choose a random GUID);
 * - an item the repo uploads in bulk (rawContent) gets an id the service chooses, so it is the repo's
 *   when it was created (`systemData.createdBy`, else `properties.createdBy.objectId`) by an identity
 *   that wrote the watchlist's ownership record (`repoWriters`: the record's systemData createdBy and
 *   lastModifiedBy; deploy/plan/ownership.ts `recordWriters`). Rows a person adds in the portal, or
 *   uploads there, are created by that person, not by the deploying identity.
 *   An item created before `created.since` is not: the caller passes the record's `systemData.createdAt`
 *   only for a watchlist older than its record (adopted, `--adopt`), whose rows from before the record
 *   came with the watchlist as another deployment left it, even one that ran as the same identity.
 *   Without both timestamps the check is skipped (deploy/plan/plan.ts `adoptedSince`).
 * Limit: an item added in the portal by the deploying identity itself (a person deploying with their
 * own sign-in) after the record was written counts as the repo's.
 */
export function isRepoItem(
  alias: string, itemName: string, keyValue: unknown, createdBy?: string, repoWriters: ReadonlySet<string> = new Set(),
  created: { at?: string | undefined; since?: string | undefined } = {},
): boolean {
  if (itemName.toLowerCase() === watchlistItemId(alias, String(keyValue ?? ''))) return true;
  if (createdBy === undefined || createdBy === '' || !repoWriters.has(createdBy.toLowerCase())) return false;
  const [at, since] = [Date.parse(created.at ?? ''), Date.parse(created.since ?? '')];
  return !(at < since);
}

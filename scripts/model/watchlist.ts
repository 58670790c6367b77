/**
 * Identity of a watchlist item, once. An item is identified by the value of the watchlist's search
 * key column, trimmed and case-folded; its ARM resource name is a UUIDv5 of the alias and that key.
 * These are deploy's semantics (what Azure sees): validate reports two items with the same key as
 * duplicates, deploy merges them into one resource (a target's own item replaces the repo's default
 * with the same key), and plan matches deployed items to desired ones by the same key. An item whose
 * id is not the id of its own key was added outside the repo (`isRepoItem`): plan never writes or
 * prunes it (docs/deploy.md, "Items added outside the repo").
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
 * watchlist `alias`? Every item the repo writes has the id `watchlistItemId(alias, key)`; the portal,
 * a CSV upload and the API without an id choose a random GUID. So in a watchlist the repo owns
 * (its ownership record), an item whose id is not that of its own key was added outside the repo.
 */
export function isRepoItem(alias: string, itemName: string, keyValue: unknown): boolean {
  return itemName.toLowerCase() === watchlistItemId(alias, String(keyValue ?? ''));
}

/** Watchlist items checked against their column types; NetworkAllowlist IPOrRange entries parsed. */
import { diagAt } from '../model/diagnostics.ts';
import type { Diagnostic, NodePath, SourceFile, Watchlist, WatchlistColumn, WatchlistItem } from '../model/types.ts';
import { closest } from '../model/suggest.ts';
import { canonicalIpOrRange, covers, parseIpOrRange, type IpEntry } from '../model/ip.ts';
import { isGuid } from '../model/guid.ts';
import { watchlistItemKey } from '../model/watchlist.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why `value` does not fit `column`, or undefined when it does. */
export function cellProblem(column: WatchlistColumn, value: string): string | undefined {
  switch (column.type) {
    case 'string': return undefined;
    case 'ipOrRange': {
      const r = parseIpOrRange(value);
      return r.ok ? undefined : r.error;
    }
    case 'datetime': return Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}/.test(value) ? `"${value}" is not an ISO 8601 date like 2027-01-31` : undefined;
    case 'int': return /^-?\d+$/.test(value) ? undefined : `"${value}" is not a whole number`;
    case 'bool': return /^(true|false)$/i.test(value) ? undefined : `"${value}" is not true or false`;
    case 'email': return EMAIL.test(value) ? undefined : `"${value}" is not an email address`;
    case 'guid': return isGuid(value) ? undefined : `"${value}" is not a GUID`;
  }
}

export interface ItemSet {
  items: WatchlistItem[];
  source: SourceFile;
  /** Path of the item list in `source`, e.g. ['items'] or ['watchlistItems', 'NetworkAllowlist']. */
  path: NodePath;
  /** The file's `acknowledgeTrustAll`: entries that trust every address on purpose. */
  acknowledged?: readonly string[];
}

/** Whether an allowlist entry covers every address of its family (0.0.0.0/0, ::/0, 0.0.0.0-255.255.255.255). */
export function trustsEverything(entry: IpEntry): boolean {
  const bits = entry.family === 4 ? 32 : 128;
  return entry.first === 0n && entry.last === (1n << BigInt(bits)) - 1n;
}

/** Checks item sets (the watchlist's defaults and any per-target extras) against the definition. */
export function checkWatchlistItems(w: Watchlist, sets: ItemSet[], now = new Date()): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map(w.columns.map((c) => [c.name, c]));
  const names = w.columns.map((c) => c.name);
  for (const set of sets) {
    const keys = new Map<string, number>();
    const ranges: { entry: IpEntry; index: number }[] = [];
    set.items.forEach((item, i) => {
      const at = (col: string | undefined, sev: 'error' | 'warning', code: string, msg: string) =>
        out.push(diagAt(set.source, col ? [...set.path, i, col] : [...set.path, i], sev, `watchlist/${code}`, msg));
      for (const c of w.columns) {
        if (c.required && (item[c.name] === undefined || item[c.name]!.trim() === '')) at(undefined, 'error', 'required', `item ${i + 1} is missing required column "${c.name}"`);
      }
      for (const [col, value] of Object.entries(item)) {
        const def = byName.get(col);
        if (!def) {
          const guess = closest(col, names);
          out.push(diagAt(set.source, [...set.path, i, col], 'error', 'watchlist/unknown-column',
            `"${col}" is not a column of watchlist ${w.alias}${guess ? ` (did you mean "${guess}"?)` : `; columns: ${names.join(', ')}`}`, true));
          continue;
        }
        const problem = cellProblem(def, value);
        // Entries that are fine once written canonically: `sentinel fix` writes that form (scripts/content/fix.ts).
        const fixable = def.type === 'ipOrRange' && canonicalIpOrRange(value) !== undefined ? ' (`sentinel fix` does it)' : '';
        if (problem) at(col, 'error', 'type', `${col} ${problem}${fixable}`);
        if (def.type === 'datetime' && !problem && /expir/i.test(col) && Date.parse(value) < now.getTime()) {
          at(col, 'warning', 'expired', `${col} ${value} is in the past; renew or remove this item`);
        }
        if (def.type === 'ipOrRange' && !problem) {
          const r = parseIpOrRange(value);
          if (r.ok && r.entry.hostBitsSet) {
            at(col, 'warning', 'host-bits', `${value} has host bits set; the network is ${r.entry.canonical} — write that to make the intent explicit`);
          }
          // Not canonical is an error: the item's identity in Azure is its text, so `/024` and `/24`
          // are two items, and a padded value never equals the address a query compares.
          if (r.ok && r.entry.notCanonical) at(col, 'error', 'not-canonical', `${col} "${value}": ${r.entry.notCanonical} (${r.entry.canonical})${fixable}`);
          else if (r.ok && value !== value.trim()) {
            at(col, 'error', 'not-canonical', `${col} "${value}" has spaces around it; write ${canonicalIpOrRange(value) ?? value.trim()}${fixable}`);
          }
          if (r.ok && trustsEverything(r.entry) && !(set.acknowledged ?? []).includes(value)) {
            at(col, 'error', 'trusts-everything',
              `${col} "${value}" matches every IPv${r.entry.family} address, so this allowlist trusts everyone; remove it, or if that is really meant list "${value}" under acknowledgeTrustAll in ${set.source.file}`);
          }
          if (r.ok) ranges.push({ entry: r.entry, index: i });
        }
      }
      const key = item[w.itemsSearchKey];
      const identity = watchlistItemKey(w, item);
      if (identity !== '') {
        // The identity deploy names the item by (model/watchlist.ts): same key → one item in Azure.
        const first = keys.get(identity);
        if (first !== undefined) at(w.itemsSearchKey, 'error', 'duplicate', `${w.itemsSearchKey} "${key}" duplicates item ${first + 1}; each item needs a unique search key`);
        else keys.set(identity, i);
      } else {
        at(undefined, 'error', 'search-key', `item ${i + 1} has no value for the search key column "${w.itemsSearchKey}"`);
      }
    });
    // The same addresses written two ways are two items to Sentinel; an entry inside another is redundant.
    for (const a of ranges) {
      const same = ranges.find((b) => b.index < a.index && b.entry.first === a.entry.first && b.entry.last === a.entry.last && b.entry.family === a.entry.family);
      const key = (r: { index: number }) => set.items[r.index]![w.itemsSearchKey];
      if (same && watchlistItemKey(w, set.items[same.index]!) !== watchlistItemKey(w, set.items[a.index]!)) {
        out.push(diagAt(set.source, [...set.path, a.index, w.itemsSearchKey], 'error', 'watchlist/duplicate',
          `${w.itemsSearchKey} "${key(a)}" is the same network as item ${same.index + 1} (${key(same)}, canonically ${same.entry.canonical}); keep one of them`));
        continue;
      }
      const outer = ranges.find((b) => b !== a && covers(b.entry, a.entry) && !(b.entry.first === a.entry.first && b.entry.last === a.entry.last));
      if (outer) {
        out.push(diagAt(set.source, [...set.path, a.index, w.itemsSearchKey], 'warning', 'watchlist/redundant',
          `${a.entry.canonical} is already covered by item ${outer.index + 1} (${outer.entry.canonical})`));
      }
    }
  }
  return out;
}

/** Structural checks of a watchlist definition. */
export function checkWatchlistDefinition(w: Watchlist, source: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = w.columns.map((c) => c.name);
  if (!names.includes(w.itemsSearchKey)) {
    out.push(diagAt(source, ['itemsSearchKey'], 'error', 'watchlist/search-key', `itemsSearchKey "${w.itemsSearchKey}" is not a declared column; columns: ${names.join(', ')}`));
  }
  const seen = new Set<string>();
  w.columns.forEach((c, i) => {
    if (seen.has(c.name.toLowerCase())) out.push(diagAt(source, ['columns', i, 'name'], 'error', 'watchlist/duplicate-column', `column "${c.name}" is declared twice`));
    seen.add(c.name.toLowerCase());
    if (['SearchKey', '_DTItemId', 'LastUpdatedTimeUTC'].includes(c.name)) {
      out.push(diagAt(source, ['columns', i, 'name'], 'error', 'watchlist/reserved-column', `column name "${c.name}" is reserved by Sentinel watchlists`));
    }
  });
  const stem = source.file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  if (stem !== w.alias) {
    out.push(diagAt(source, ['alias'], 'warning', 'watchlist/file-name', `file is named ${stem}.yaml but the alias is ${w.alias}; name the file ${w.alias}.yaml`));
  }
  return out;
}

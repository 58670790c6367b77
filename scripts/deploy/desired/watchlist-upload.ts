/**
 * Watchlist items as bulk uploads: the `rawContent` CSV of a watchlist PUT ("To create a Watchlist
 * and its Items, we should call this endpoint with rawContent and contentType properties",
 * Watchlists_CreateOrUpdate), cut into requests that each stay within the service's limit. Pure.
 *
 * "Local file uploads are currently limited to files of up to 3.8 MB in size" (Microsoft Sentinel
 * docs, watchlist limitations); the docs do not say whether MB means 10^6 or 2^20 bytes, so a chunk
 * stays under 3.6 × 10^6 bytes of UTF-8, below either reading. A re-PUT with rawContent appends its
 * rows ("A bulk update of a watchlist appends items to the existing watchlist", Manage watchlists),
 * so the first chunk creates the watchlist and the later ones add to it.
 */

/** Bytes of CSV per upload request. */
export const UPLOAD_CHUNK_BYTES = 3_600_000;

/** One upload: the header and its rows, in order. */
export interface WatchlistUpload {
  columns: string[];
  rows: string[][];
}

/** RFC 4180 field: quoted when it holds a comma, quote, line break or edge whitespace. */
function field(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const line = (fields: readonly string[]): string => `${fields.map(field).join(',')}\r\n`;

/** The upload's rawContent (`text/csv`, header first, CRLF line ends). */
export function uploadCsv(u: WatchlistUpload): string {
  return line(u.columns) + u.rows.map(line).join('');
}

/** The watchlist properties that carry an upload: its CSV as `rawContent`, header on the first line. */
export function uploadProperties(u: WatchlistUpload): { contentType: 'text/csv'; numberOfLinesToSkip: 0; rawContent: string } {
  return { contentType: 'text/csv', numberOfLinesToSkip: 0, rawContent: uploadCsv(u) };
}

/**
 * Items (column → value) as uploads of at most `limit` bytes each: the columns are every column
 * any item has, the search key first; an item without a column uploads an empty value there.
 */
export function uploadsOf(searchKey: string, items: ReadonlyArray<Readonly<Record<string, string>>>, limit = UPLOAD_CHUNK_BYTES): WatchlistUpload[] {
  if (!items.length) return [];
  const columns = [searchKey];
  const seen = new Set([searchKey]);
  for (const item of items) for (const c of Object.keys(item)) if (!seen.has(c)) (seen.add(c), columns.push(c));
  const header = Buffer.byteLength(line(columns));
  const out: WatchlistUpload[] = [];
  let rows: string[][] = [];
  let size = header;
  for (const item of items) {
    const row = columns.map((c) => item[c] ?? '');
    const bytes = Buffer.byteLength(line(row));
    if (header + bytes > limit) throw new Error(`a watchlist item with ${searchKey} '${item[searchKey] ?? ''}' is larger than one upload (${limit} bytes)`);
    if (rows.length && size + bytes > limit) {
      out.push({ columns, rows });
      rows = [];
      size = header;
    }
    rows.push(row);
    size += bytes;
  }
  out.push({ columns, rows });
  return out;
}

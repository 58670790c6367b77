/**
 * Bulk uploads of watchlist items (deploy/desired/watchlist-upload.ts): the CSV the service parses
 * (read back with csv-parse, the RFC 4180 parser the emulator uses) and the cut into requests under
 * the size limit.
 */
import { describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_BYTES, uploadCsv, uploadsOf } from '../../scripts/deploy/desired/watchlist-upload.ts';
import { parse } from 'csv-parse/sync';

describe('watchlist uploads', () => {
  it('writes RFC 4180 CSV with the search key first; an item without a column uploads an empty value', () => {
    const items: Array<Record<string, string>> = [
      { Description: 'comma, "quoted"\nand a line break', Upn: 'alice@contoso.com' },
      { Upn: ' bob@contoso.com', Role: 'Billing' },
    ];
    const [u, ...rest] = uploadsOf('Upn', items);
    expect(rest).toEqual([]);
    expect(u!.columns).toEqual(['Upn', 'Description', 'Role']);
    const parsed = parse(uploadCsv(u!)) as string[][];
    expect(parsed).toEqual([
      ['Upn', 'Description', 'Role'],
      ['alice@contoso.com', 'comma, "quoted"\nand a line break', ''],
      [' bob@contoso.com', '', 'Billing'],
    ]);
    expect(uploadsOf('Upn', [])).toEqual([]);
  });

  it('cuts a large item set into uploads that each stay under the limit, every item once, in order', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ Key: `k${i}`, Note: 'x'.repeat(40) }));
    const uploads = uploadsOf('Key', items, 20_000);
    expect(uploads.length).toBeGreaterThan(1);
    for (const u of uploads) expect(Buffer.byteLength(uploadCsv(u))).toBeLessThanOrEqual(20_000);
    expect(uploads.flatMap((u) => u.rows.map((r) => r[0]))).toEqual(items.map((i) => i.Key));
    expect(() => uploadsOf('Key', [{ Key: 'big', Note: 'x'.repeat(30_000) }], 20_000)).toThrow("a watchlist item with Key 'big' is larger than one upload (20000 bytes)");
    // The default chunk stays below the docs' 3.8 MB in its stricter reading (10^6 bytes per MB).
    expect(UPLOAD_CHUNK_BYTES).toBeLessThan(3_800_000);
  });
});

/** The KQL disk cache stays bounded: unused entries age out, surplus ones go least-recently-used first. */
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from '../../../scripts/validate/kql/disk-cache.ts';
import type { KqlAnalysis } from '../../../scripts/kusto/types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kql-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const value = { diagnostics: [], resultColumns: null, tables: [], functionsCalled: [], watchlistAliases: [], lets: [], maxAgoLookback: null, searchStar: [] } as KqlAnalysis;
const DAY = 86_400_000;
const age = (name: string, days: number) => {
  const t = new Date(Date.now() - days * DAY);
  utimesSync(join(dir, name), t, t);
};

describe('DiskCache bounds', () => {
  it('removes entries unused for longer than maxAgeDays and stale temp files; a hit counts as use', () => {
    const c = new DiskCache(dir, { maxAgeDays: 30 });
    for (const k of ['old', 'recent', 'used']) c.set(k, value);
    writeFileSync(join(dir, 'x.json.123.tmp'), '{');
    age('old.json', 40);
    age('used.json', 20);
    age('x.json.123.tmp', 2);
    const next = new DiskCache(dir, { maxAgeDays: 30 });
    expect(next.get('old')).toBeUndefined(); // the first call sweeps: old.json is gone
    expect(next.get('used')).toEqual(value); // 20 days unused: kept, and this hit marks it used now
    expect(Date.now() - statSync(join(dir, 'used.json')).mtimeMs).toBeLessThan(DAY);
    expect(readdirSync(dir).sort()).toEqual(['recent.json', 'used.json']);
  });

  it('keeps at most maxEntries, the most recently used', () => {
    const c = new DiskCache(dir, { maxEntries: 3 });
    for (let i = 0; i < 6; i++) c.set(`k${i}`, value);
    for (let i = 0; i < 6; i++) age(`k${i}.json`, 6 - i); // k5 newest
    expect(new DiskCache(dir, { maxEntries: 3 }).sweep()).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['k3.json', 'k4.json', 'k5.json']);
  });

  it('a missing directory is no error', () => {
    expect(new DiskCache(join(dir, 'none')).sweep()).toBe(0);
  });
});

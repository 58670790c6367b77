/**
 * On-disk cache of analysis results: one JSON file per key (sha256 of query + schema fingerprint
 * + options) under a directory the caller chooses, e.g. `<repo>/.sentinel/cache/kql`.
 * A missing, unreadable or corrupt entry is a miss; writes are atomic (temp file + rename).
 *
 * Bounded: a hit marks its entry used (mtime), and once per cache object the directory is swept —
 * entries unused for `maxAgeDays` go, and beyond `maxEntries` the least recently used go too — so a
 * long-lived clone or CI cache does not grow with every query version it has ever seen.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KqlAnalysis } from '../../kusto/types.ts';

export interface DiskCacheLimits {
  /** Entries not used for this many days are removed (default 30). */
  maxAgeDays: number;
  /** At most this many entries are kept, the most recently used (default 20,000). */
  maxEntries: number;
}

export const DEFAULT_CACHE_LIMITS: DiskCacheLimits = { maxAgeDays: 30, maxEntries: 20_000 };

const DAY_MS = 86_400_000;

export class DiskCache {
  private made = false;
  private swept = false;
  private readonly dir: string;
  private readonly limits: DiskCacheLimits;
  constructor(dir: string, limits: Partial<DiskCacheLimits> = {}) {
    this.dir = dir;
    this.limits = { ...DEFAULT_CACHE_LIMITS, ...limits };
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  get(key: string): KqlAnalysis | undefined {
    this.sweepOnce();
    try {
      const file = this.file(key);
      const value = JSON.parse(readFileSync(file, 'utf8')) as KqlAnalysis;
      if (!Array.isArray(value?.diagnostics)) return undefined;
      const now = new Date();
      utimesSync(file, now, now);
      return value;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: KqlAnalysis): void {
    this.sweepOnce();
    try {
      if (!this.made) {
        mkdirSync(this.dir, { recursive: true });
        this.made = true;
      }
      const tmp = `${this.file(key)}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, this.file(key));
    } catch {
      // A cache that cannot be written only costs speed, never correctness.
    }
  }

  /** Removes stale and surplus entries (and leftover temp files); returns how many. Never throws. */
  sweep(now = Date.now()): number {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    const entries: { name: string; used: number }[] = [];
    let removed = 0;
    const remove = (name: string) => {
      try {
        rmSync(join(this.dir, name), { force: true });
        removed++;
      } catch {
        // another process may hold or have removed it
      }
    };
    for (const name of names) {
      let used: number;
      try {
        used = statSync(join(this.dir, name)).mtimeMs;
      } catch {
        continue;
      }
      if (name.endsWith('.tmp')) {
        if (now - used > DAY_MS) remove(name); // a crashed writer's leftover
      } else if (name.endsWith('.json')) {
        if (now - used > this.limits.maxAgeDays * DAY_MS) remove(name);
        else entries.push({ name, used });
      }
    }
    if (entries.length > this.limits.maxEntries) {
      entries.sort((a, b) => b.used - a.used);
      for (const e of entries.slice(this.limits.maxEntries)) remove(e.name);
    }
    return removed;
  }

  private sweepOnce(): void {
    if (this.swept) return;
    this.swept = true;
    this.sweep();
  }
}

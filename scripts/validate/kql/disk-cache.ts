/**
 * On-disk cache of analysis results: one JSON file per key (sha256 of query + schema fingerprint
 * + options) under a directory the caller chooses, e.g. `<repo>/.sentinel/cache/kql`.
 * A missing, unreadable or corrupt entry is a miss; writes are atomic (temp file + rename).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KqlAnalysis } from '../../kusto/types.ts';

export class DiskCache {
  private made = false;
  private readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  get(key: string): KqlAnalysis | undefined {
    try {
      const value = JSON.parse(readFileSync(this.file(key), 'utf8')) as KqlAnalysis;
      return Array.isArray(value?.diagnostics) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: KqlAnalysis): void {
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
}

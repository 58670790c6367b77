/** The `.json` files below `dir` (an export folder), as full paths, sorted. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? jsonFiles(p) : p.endsWith('.json') ? [p] : [];
    })
    .sort();
}

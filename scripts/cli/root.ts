/**
 * Finding the content repository, as git finds its work tree: from the current folder upwards, the
 * first folder that holds one of the content folders (analytics-rules/, watchlists/, workbooks/, functions/,
 * targets/) or the tool's state folder .sentinel/ is the root. `--root <dir>` overrides the search
 * and must itself be such a folder.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folders that mark a content repository (the content folders of content/load.ts CONTENT_DIRS, and .sentinel/). */
export const ROOT_MARKERS = ['analytics-rules', 'watchlists', 'workbooks', 'targets', 'functions', '.sentinel'] as const;

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isContentRoot(dir: string): boolean {
  return ROOT_MARKERS.some((m) => isDir(join(dir, m)));
}

/** The nearest folder at or above `from` that is a content repository, or undefined. */
export function findContentRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (isContentRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export const NOT_A_REPO = `not a content repository (no ${ROOT_MARKERS.map((m) => `${m}/`).join(', ')} folder)`;

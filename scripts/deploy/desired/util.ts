/** Small pure helpers shared by the deploy stage: canonical JSON, fingerprints, UUIDv5. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal data always serialises to equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Content fingerprint of a normalised item: `sha256:<32 hex>`. */
export function fingerprint(value: unknown): string {
  return 'sha256:' + createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, 32);
}

/** Name-based UUIDs live in model/guid.ts; re-exported for existing importers (cli/bench). */
export { UUID_NAMESPACE, uuidV5 } from '../../model/guid.ts';

/** Deep copy of plain JSON-like data (no shared references between targets' desired states). */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** True for values that carry no information: undefined, null, '', [] and {}. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}

/** Drops empty values (recursively) so `[]`, `{}`, `null` and absent compare equal. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = pruneEmpty(v);
      if (!isEmpty(p)) out[k] = p;
    }
    return out;
  }
  return value;
}

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

/** Namespace of this tool's name-based UUIDs (a fixed random v4 GUID; never change it). */
export const UUID_NAMESPACE = '6f1c7a52-3c1e-4d8b-9a57-0c2f4be9d3a1';

/** RFC 4122 version-5 (SHA-1, name-based) UUID: the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

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

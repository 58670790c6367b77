/** GUIDs: rule ids, watchlist item ids, tenant and subscription ids; name-based (v5) ids. */
import { createHash } from 'node:crypto';

/** The 8-4-4-4-12 hex form (any case), unanchored: the RegExp source to embed or search with. */
const GUID_TEXT = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** JSON Schema / RegExp source of a GUID in its 8-4-4-4-12 hex form (any case). */
export const GUID_PATTERN = `^${GUID_TEXT}$`;

const GUID_RE = new RegExp(GUID_PATTERN);

export function isGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_RE.test(text);
}

/** Every GUID inside `text`, in order (e.g. the rule id inside an ARM template name expression). */
export function findGuids(text: string): string[] {
  return text.match(new RegExp(GUID_TEXT, 'g')) ?? [];
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

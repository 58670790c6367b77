/** GUIDs: rule ids, watchlist item ids, tenant and subscription ids. */

/** JSON Schema / RegExp source of a GUID in its 8-4-4-4-12 hex form (any case). */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const GUID_RE = new RegExp(GUID_PATTERN);

export function isGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_RE.test(text);
}

/** Field-level differences between two normalised items. Pure. */
import { stableStringify } from '../desired/util.ts';

export interface FieldChange {
  /** Dotted path, e.g. `incidentConfiguration.groupingConfiguration.enabled`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** Recurses into objects; arrays and scalars compare as whole values. */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffFields(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (stableStringify(before) === stableStringify(after)) return [];
  const change: FieldChange = { path: path || '(value)' };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return [change];
}

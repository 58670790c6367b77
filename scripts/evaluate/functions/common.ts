/** What every scalar built-in shares: the call shape and argument readers. */
import type { Value } from '../values.ts';
import { toDynamic, toLong, toReal, toStr } from '../values.ts';

export interface CallInfo {
  now: Date;
  /** Analyzer result type name of the call (`string`, `long`, `dynamic`, …). */
  resultType: string;
  /** Analyzer types of the arguments. */
  argTypes: string[];
}

export type ScalarFn = (args: Value[], call: CallInfo) => Value;

export const str = (v: Value | undefined): string => toStr(v ?? null);
export const num = (v: Value | undefined): number | null => toReal(v ?? null);
export const int = (v: Value | undefined): number | null => toLong(v ?? null);

export function asArray(v: Value): Value[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    const d = toDynamic(v);
    return Array.isArray(d) ? d : null;
  }
  return null;
}

/** Flattens arguments that are dynamic arrays (as `ipv4_is_in_any_range`, `array_concat`, `has_any` do). */
export function flattenArgs(args: Value[]): Value[] {
  const out: Value[] = [];
  for (const a of args) {
    if (Array.isArray(a)) out.push(...a);
    else out.push(a);
  }
  return out;
}

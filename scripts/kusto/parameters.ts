/**
 * Per-target rule parameters: a rule's query declares `let <name> = <default>;` at top level and
 * a target may override the value. `toKqlLiteral` turns a YAML value into a KQL literal of the
 * declared type; `substituteLets` swaps the value expressions of those lets in the query text.
 */
import { loadKusto } from './bridge.ts';
import { topLevelLets } from './extract.ts';
import type { KqlType } from './types.ts';
import { isKqlTimespanLiteral } from '../model/duration.ts';
import { isGuid } from '../model/guid.ts';

/** Bad parameter value or name; the message is one sentence meant for the rule author. */
export class ParameterError extends Error {
  override name = 'ParameterError';
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function fail(value: unknown, type: string, hint: string): never {
  throw new ParameterError(`${JSON.stringify(value)} is not a valid ${type} parameter value (${hint})`);
}

function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

function integer(value: unknown, type: string): string {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) fail(value, type, 'expected a whole number');
  if (type === 'int' && (n < -2147483648 || n > 2147483647)) fail(value, type, 'out of the 32-bit int range');
  return type === 'int' ? `int(${n})` : String(n);
}

/** A KQL literal for `value` of the declared parameter type; throws ParameterError when it does not fit. */
export function toKqlLiteral(value: unknown, type: Exclude<KqlType, 'decimal'>): string {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail(value, type, 'expected text');
      return quote(value);
    case 'int':
    case 'long':
      return integer(value, type);
    case 'real': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail(value, type, 'expected a number');
      return `real(${n})`;
    }
    case 'bool':
      if (typeof value !== 'boolean') fail(value, type, 'expected true or false');
      return String(value);
    case 'timespan':
      if (typeof value !== 'string' || !isKqlTimespanLiteral(value.trim())) fail(value, type, 'expected a duration such as 30m, 6h or 14d');
      return value.trim();
    case 'datetime': {
      const s = value instanceof Date ? value.toISOString() : value;
      if (typeof s !== 'string' || !ISO_DATETIME.test(s.trim()) || Number.isNaN(Date.parse(s))) {
        fail(value, type, 'expected an ISO 8601 date such as 2024-05-01T00:00:00Z');
      }
      return `datetime(${s.trim()})`;
    }
    case 'guid':
      if (typeof value !== 'string' || !isGuid(value.trim())) fail(value, type, 'expected a GUID');
      return `guid(${value.trim()})`;
    case 'dynamic':
      if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) fail(value, type, 'expected a list, map or scalar');
      return `dynamic(${JSON.stringify(value)})`;
  }
}

/**
 * Replaces the value of each top-level `let <name> = …;` named in `values` with the given KQL
 * literal. Every name must be a top-level let of the query.
 */
export function substituteLets(query: string, values: Readonly<Record<string, string>>): string {
  const names = Object.keys(values);
  if (names.length === 0) return query;
  const code = loadKusto().Language.KustoCode.Parse(query)!;
  const lets = topLevelLets(code.Syntax!, query);
  const missing = names.filter((n) => !lets.some((l) => l.name === n));
  if (missing.length) {
    const declared = lets.length ? `the query declares: ${lets.map((l) => l.name).join(', ')}` : 'the query declares no top-level let';
    throw new ParameterError(`parameter ${missing.map((n) => `'${n}'`).join(', ')} has no top-level 'let ${missing[0]} = …;' in the query (${declared})`);
  }
  let out = query;
  for (const l of [...lets].filter((l) => names.includes(l.name)).sort((a, b) => b.valueStart - a.valueStart)) {
    out = out.slice(0, l.valueStart) + values[l.name] + out.slice(l.valueStart + l.valueLength);
  }
  return out;
}

/**
 * Kusto scalar types as table schemas name them, and the spellings other tools use for them.
 * Azure-Sentinel's `CustomTables/*.json` and `CustomFunctions/*.json` (and the Log Analytics Tables
 * API) write types in .NET or mixed case — `String`, `DateTime`, `Int32`, `Boolean`, `Double`,
 * `Guid`, `TimeSpan` — which all map to the one Kusto name here
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/: bool/boolean, datetime/date,
 * guid/uuid/uniqueid, int, long, real/double, string, timespan/time, decimal, dynamic).
 */

export const KQL_TYPES = ['string', 'int', 'long', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid', 'decimal'] as const;

/** Kusto scalar type names as used in table schemas. */
export type KqlType = (typeof KQL_TYPES)[number];

/** Every accepted spelling (lower case) of each type. */
const SPELLINGS: Record<string, KqlType> = {
  string: 'string', uri: 'string',
  int: 'int', int32: 'int', integer: 'int',
  long: 'long', int64: 'long', bigint: 'long',
  real: 'real', double: 'real', float: 'real', single: 'real',
  bool: 'bool', boolean: 'bool', sbyte: 'bool',
  datetime: 'datetime', date: 'datetime',
  timespan: 'timespan', time: 'timespan',
  dynamic: 'dynamic', object: 'dynamic',
  guid: 'guid', uuid: 'guid', uniqueid: 'guid',
  decimal: 'decimal',
};

/** The Kusto type a spelling names (`DateTime`, `Int32`, `system.string`, …), or undefined. */
export function toKqlType(spelling: string): KqlType | undefined {
  const key = spelling.trim().toLowerCase().replace(/\s+/g, '').replace(/^system\./, '');
  return Object.hasOwn(SPELLINGS, key) ? SPELLINGS[key] : undefined;
}

/** The spellings `toKqlType` accepts, for messages and editor hints. */
export const KQL_TYPE_SPELLINGS: readonly string[] = Object.keys(SPELLINGS);

/** The watchlist schema (watchlist.schema.json): definition, typed columns and default items. */
import { Type } from '@sinclair/typebox';
import { ISO_DURATION_PATTERN } from '../duration.ts';
import { ItemValues, JSON_SCHEMA_DRAFT, patterned, stringEnum, text } from './common.ts';

export const WATCHLIST_COLUMN_TYPES = ['string', 'ipOrRange', 'datetime', 'int', 'bool', 'email', 'guid'] as const;

export const WatchlistColumnSchema = Type.Object({
  name: patterned('^[A-Za-z_][A-Za-z0-9_]*$', 'a column name (letters, digits, _)'),
  type: stringEnum(WATCHLIST_COLUMN_TYPES),
  description: Type.Optional(Type.String()),
  required: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const WatchlistSchema = Type.Object({
  alias: patterned('^[A-Za-z][A-Za-z0-9_-]{0,63}$', 'letters, digits, _ or -, starting with a letter', {
    description: "Used by `_GetWatchlist('<alias>')`; the ARM resource name.",
  }),
  displayName: text({ maxLength: 256 }),
  description: text(),
  provider: text(),
  source: text(),
  itemsSearchKey: text({ description: 'The column that identifies an item (must be a declared column).' }),
  labels: Type.Optional(Type.Array(Type.String())),
  defaultDuration: Type.Optional(patterned(
    ISO_DURATION_PATTERN,
    'an ISO 8601 duration in weeks, days, hours, minutes or seconds like P365D (not years or months, which have no fixed length)',
    { description: 'ISO 8601 duration after which items expire in Sentinel, e.g. P365D.' },
  )),
  columns: Type.Array(WatchlistColumnSchema, { minItems: 1 }),
  items: Type.Array(ItemValues, { description: 'Default items: column name to value (stored as text).' }),
  acknowledgeTrustAll: Type.Optional(Type.Array(text(), { description: 'Allowlist entries that trust every address (0.0.0.0/0, ::/0, …) which are meant: each must be listed here, exactly as written in items, or validate refuses it. Never sent to Azure.' })),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'watchlist.schema.json',
  title: 'Microsoft Sentinel watchlist',
  additionalProperties: false,
});

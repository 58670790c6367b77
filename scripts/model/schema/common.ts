/**
 * Building blocks of the content schemas (TypeBox), and `common.schema.json`: the definitions
 * several content kinds share. Each schema here is at once the JSON Schema ajv validates with,
 * the file editors read, and (through `Static`) the TypeScript type of the validated value.
 *
 * Extra keywords carried into the JSON: `errorHint` — a phrase describing what a `pattern`
 * accepts, used by the error messages (scripts/content/schema.ts) and shown by editors.
 */
import {
  Type, type ObjectOptions, type SchemaOptions, type Static, type TObject, type TProperties, type TSchema, type TString,
  type TUnknown, type TUnsafe,
} from '@sinclair/typebox';
import { GUID_PATTERN } from '../guid.ts';
import { SHORT_DURATION_PATTERN } from '../duration.ts';

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** Options every schema node may carry: the standard annotations plus our `errorHint`. */
export interface NodeOptions extends SchemaOptions {
  errorHint?: string;
}

/** A string from a fixed list, emitted as `{ type: string, enum: [...] }` (one `enum` error, with did-you-mean). */
export function stringEnum<const T extends readonly string[]>(values: T, options: NodeOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** Text matching `pattern`; `errorHint` says in words what that is. */
export function patterned(pattern: string, errorHint: string, options: NodeOptions = {}): TString {
  return Type.String({ ...options, pattern, errorHint });
}

/** Non-empty text (most free-text fields). */
export function text(options: NodeOptions & { maxLength?: number } = {}): TString {
  return Type.String({ minLength: 1, ...options });
}

/**
 * A mapping with free keys (optionally constrained by `keys`, a string schema used as
 * `propertyNames`) whose values all match `values` (any value when omitted).
 */
export function mapOf<V extends TSchema = TUnknown>(
  spec: { values?: V; keys?: TString } & NodeOptions = {},
): TUnsafe<Record<string, Static<V>>> {
  const { values, keys, ...options } = spec;
  return Type.Unsafe<Record<string, Static<V>>>({
    ...options,
    type: 'object',
    ...(keys ? { propertyNames: keys } : {}),
    ...(values ? { additionalProperties: values } : {}),
  });
}

/** An object with these properties that may hold others too; its type says so (an index signature). */
export function openObject<P extends TProperties>(properties: P, options: ObjectOptions = {}): TUnsafe<Static<TObject<P>> & Record<string, unknown>> {
  return Type.Unsafe<Static<TObject<P>> & Record<string, unknown>>(Type.Object(properties, options));
}

/** A watchlist cell as YAML may write it; the loader turns every cell into text. */
export const Cell = Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] });

/** One watchlist item as written in YAML: column name → cell. */
export const ItemValues = mapOf({ values: Cell });

/** A `$ref` to `target` at `pointer`, typed as `target`. `options` (e.g. description) sit beside the `$ref`. */
export function ref<T extends TSchema>(pointer: string, _target: T, options: NodeOptions = {}): TUnsafe<Static<T>> {
  return Type.Unsafe<Static<T>>({ $ref: pointer, ...options });
}

// ---- enums shared by several content kinds ----------------------------------------------

import { ENTITY_TYPES, RULE_SEVERITIES as SEVERITIES } from '../sentinel.ts';

export { ENTITY_TYPES, SEVERITIES };

// ---- common.schema.json ---------------------------------------------------------------------

const definitions = {
  guid: patterned(GUID_PATTERN, 'a GUID like 3f2a8c1e-5b7d-4e2a-9c1f-0a1b2c3d4e5f'),
  duration: patterned(SHORT_DURATION_PATTERN, 'a duration like 5m, 6h or 14d'),
  severity: stringEnum(SEVERITIES),
  semver: patterned('^[0-9]+\\.[0-9]+\\.[0-9]+$', 'a version like 1.0.0'),
  url: patterned('^https?://\\S+$', 'an http(s) URL'),
  entityType: stringEnum(ENTITY_TYPES),
};

export const CommonSchema = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'common.schema.json',
  title: 'Shared definitions',
  definitions,
};

type Common = typeof definitions;

/** A reference to a definition of common.schema.json. */
export function common<K extends keyof Common>(name: K, options: NodeOptions = {}): TUnsafe<Static<Common[K]>> {
  return ref(`${CommonSchema.$id}#/definitions/${name}`, definitions[name], options);
}

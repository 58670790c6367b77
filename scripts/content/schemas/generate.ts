/**
 * Writes the JSON Schema files in this folder from their one source, the TypeBox definitions in
 * scripts/model/schema/. Editors read these files through the `# yaml-language-server: $schema=`
 * header of every content file; test/content/schema.test.ts fails when they are out of date.
 *
 *   npx tsx scripts/content/schemas/generate.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCHEMA_DOCUMENTS } from '../../model/schema/index.ts';

export const REGENERATE_COMMAND = 'npx tsx scripts/content/schemas/generate.ts';

export const SCHEMA_DIR = fileURLToPath(new URL('./', import.meta.url));

/** Keys in this order first (the rest after them, in definition order), so output never depends on how a schema was built. */
const KEY_ORDER = [
  '$schema', '$id', '$ref', 'title', 'type', 'const', 'enum', 'pattern', 'errorHint',
  'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'uniqueItems',
  'additionalProperties', 'required', 'propertyNames', 'properties', 'items',
];
/** A document's description follows its title; a field's comes after its constraints. */
const rank = (key: string, node: object): number =>
  key === 'description' ? ('title' in node ? RANK.get('title')! + 0.5 : KEY_ORDER.length + 1) : RANK.get(key) ?? KEY_ORDER.length;
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/** Plain JSON data in canonical key order (TypeBox's symbol-keyed bookkeeping dropped). */
function canonical(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== 'object') return value;
  let keys = Object.keys(value);
  // Under properties/definitions the keys are names whose order is the author's; elsewhere they are keywords.
  if (parentKey !== 'properties' && parentKey !== 'definitions') {
    keys = keys
      .map((k, i) => ({ k, r: rank(k, value), i }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((e) => e.k);
  }
  return Object.fromEntries(keys.map((k) => [k, canonical((value as Record<string, unknown>)[k], k)]));
}

const WIDTH = 120;

/** JSON on one line, with a space after `:` and `,` and inside braces. */
function flat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${flat(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

/** JSON with two-space indent; a value that fits on the rest of its line stays on one line. */
function format(value: unknown, indent: string, lead: number): string {
  const line = flat(value);
  if (indent.length + lead + line.length <= WIDTH || value === null || typeof value !== 'object') return line;
  const inner = indent + '  ';
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + format(v, inner, 1)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner, JSON.stringify(k).length + 3)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** Every schema file's name and text, deterministic. */
export function renderSchemas(): Map<string, string> {
  return new Map([...SCHEMA_DOCUMENTS].map(([file, schema]) => [file, format(canonical(schema), '', 0) + '\n']));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [file, text] of renderSchemas()) {
    writeFileSync(SCHEMA_DIR + file, text);
    console.log(`wrote scripts/content/schemas/${file}`);
  }
}

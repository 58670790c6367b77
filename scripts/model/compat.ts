/**
 * Azure-Sentinel compatibility, once: the quirks of rule files that Azure-Sentinel's CI accepts and
 * Sentinel deploys but that our schema spells one way (scripts/model/schema/rule.ts, "Azure-Sentinel
 * compatibility"). Pure: a parsed rule document in, the quirks found out, each with the edits that
 * make it canonical. The loader applies the edits to the plain value (`applyEdits`) and warns
 * `compat/<quirk>`; `sentinel fix` applies the same edits to the file's YAML tokens
 * (scripts/content/yaml-edit.ts), so what validate accepts and what fix writes cannot disagree.
 *
 * What stays an error: wrong types, missing required fields, values that are not in any case an
 * allowed value, techniques that do not exist, everything the cross-checks report.
 */
import type { NodePath } from './types.ts';
import { CommonSchema } from './schema/common.ts';
import {
  IGNORED_TEMPLATE_FIELDS, LEGACY_RULE_FIELDS, METADATA_FIELDS, NULL_AS_EMPTY_LIST, RULE_DURATION_PATHS, RuleSchema,
} from './schema/rule.ts';
import { ARM_TRIGGER_OPERATOR, type TriggerOperator } from './sentinel.ts';
import { DAY, HOUR, MINUTE, isoDurationMs, kqlTimespanMs } from './duration.ts';
import { PACK_FIELDS } from './conventions.ts';
import { closest } from './suggest.ts';

/** One change to a YAML document, by path of the node as the document has it before the edit. */
export type Edit =
  /** Rename the key at `path` (its last segment) to `to`. */
  | { op: 'rename'; path: NodePath; to: string }
  /** Replace the value at `path` with a scalar (string/number/boolean) or an empty list. */
  | { op: 'set'; path: NodePath; value: string | number | boolean | [] }
  /** Remove the map entry at `path`. */
  | { op: 'remove'; path: NodePath }
  /** Add `key: value` (a scalar) at the end of the mapping at `path`. */
  | { op: 'add'; path: NodePath; key: string; value: string }
  /** Move the top-level entry at `path` to the end of the top-level mapping `into` (created where the entry was when absent). */
  | { op: 'move'; path: NodePath; into: string };

export interface Quirk {
  /** `compat/<quirk>`. */
  code: string;
  /** Where it is (the key of a map entry when `onKey`). */
  path: NodePath;
  onKey?: boolean;
  message: string;
  /** The edits that make it canonical; absent when it needs a hand (the message says how). */
  edits?: Edit[];
}

type Json = Record<string, unknown>;
interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
}

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (path: NodePath) => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

function resolveRef(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace(/^.*#\/definitions\//, '') as keyof typeof CommonSchema.definitions;
  return (CommonSchema.definitions[name] as SchemaNode | undefined) ?? node;
}

/** Every compatibility quirk of a rule document (the parsed YAML value), in document order of detection. */
export function findRuleQuirks(doc: unknown): Quirk[] {
  if (!isMap(doc)) return [];
  const out: Quirk[] = [];
  legacyFields(doc, out);
  metadataFields(doc, out);
  walk(doc, RuleSchema as unknown as SchemaNode, [], out);
  kindMissing(doc, out);
  versionMissing(doc, out);
  triggerOperator(doc, out);
  durations(doc, out);
  tags(doc, out);
  unknownFields(doc, out);
  return out;
}

/**
 * A top-level field no alert rule has, in a rule brought in as it is (none of the pack's extension
 * fields): Azure-Sentinel's CI and Sentinel ignore unknown fields, so it is dropped with a warning
 * (with the closest field name, for a typo). In a rule written to the pack's conventions it stays
 * a schema error.
 */
function unknownFields(doc: Json, out: Quirk[]): void {
  if (PACK_FIELDS.some((f) => f in doc)) return;
  const fields = Object.keys(RuleSchema.properties);
  const known = new Set([...fields, ...Object.keys(LEGACY_RULE_FIELDS), ...METADATA_FIELDS, ...IGNORED_TEMPLATE_FIELDS].map((k) => k.toLowerCase()));
  for (const key of Object.keys(doc)) {
    if (known.has(key.toLowerCase())) continue;
    const guess = closest(key, fields);
    out.push({
      code: 'compat/unknown-field', path: [key], onKey: true,
      // No automatic edit: a typo's value may be meant for the field it resembles; a person decides.
      message: `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; Sentinel and Azure-Sentinel's CI ignore it, so it does nothing — remove or rename it`,
    });
  }
}

/** ARM or older-template fields: renamed to the current field or dropped. */
function legacyFields(doc: Json, out: Quirk[]): void {
  for (const field of IGNORED_TEMPLATE_FIELDS) {
    if (!(field in doc)) continue;
    const path = [field];
    out.push({
      code: 'compat/legacy-field', path, onKey: true,
      message: `"${field}" is an older template field that Sentinel's alert rules do not have; it is ignored (tactics and relevantTechniques are what deploy) — remove it`,
      edits: [{ op: 'remove', path }],
    });
  }
  for (const [field, current] of Object.entries(LEGACY_RULE_FIELDS)) {
    if (!(field in doc)) continue;
    const value = doc[field];
    const path = [field];
    if (current === undefined) {
      out.push({ code: 'compat/legacy-field', path, onKey: true, message: `"${field}" is set by Sentinel, not by a rule file; it is ignored — remove it`, edits: [{ op: 'remove', path }] });
      continue;
    }
    const existing = doc[current];
    const sameList = Array.isArray(value) && Array.isArray(existing) && value.every((v) => existing.includes(v));
    if (value === null || (existing !== undefined && (value === existing || sameList))) {
      out.push({ code: 'compat/legacy-field', path, onKey: true, message: `"${field}" is the ARM name of "${current}"${value === null ? ' and is empty' : `, which already says the same`}; remove it`, edits: [{ op: 'remove', path }] });
    } else if (existing === undefined && !(field === 'techniques' && 'subTechniques' in doc && doc.subTechniques !== null)) {
      out.push({ code: 'compat/legacy-field', path, onKey: true, message: `"${field}" is the ARM name of "${current}"; rename it`, edits: [{ op: 'rename', path, to: current }] });
    } else if (current === 'relevantTechniques') {
      out.push({ code: 'compat/legacy-field', path, onKey: true, message: `"${field}" is the ARM name of "${current}"; merge its values into "${current}" and remove it` });
    } else {
      out.push({ code: 'compat/legacy-field', path, onKey: true, message: `"${field}" is the ARM name of "${current}", which says something else; keep the right one under "${current}" and remove "${field}"` });
    }
  }
}

/** `source:`/`author:`/`support:`/`categories:` written beside the rule fields instead of under `metadata:`. */
function metadataFields(doc: Json, out: Quirk[]): void {
  for (const f of METADATA_FIELDS) {
    if (!(f in doc)) continue;
    const canMove = doc.metadata === undefined || (isMap(doc.metadata) && !(f in doc.metadata));
    out.push({
      code: 'compat/metadata-field', path: [f], onKey: true, message: `"${f}" is content-hub metadata; move it under "metadata:"`,
      ...(canMove ? { edits: [{ op: 'move' as const, path: [f], into: 'metadata' }] } : {}),
    });
  }
}

/** The schema-driven quirks: key case, enum value case, null for an optional field. */
function walk(value: unknown, schemaIn: SchemaNode, path: NodePath, out: Quirk[]): void {
  const schema = resolveRef(schemaIn);
  if (typeof value === 'string' && schema.enum && !schema.enum.includes(value)) {
    const match = schema.enum.find((e): e is string => typeof e === 'string' && e.toLowerCase() === value.toLowerCase());
    if (match) out.push({ code: 'compat/value-case', path, message: `${show(path)} is "${value}"; write "${match}"`, edits: [{ op: 'set', path, value: match }] });
    return;
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) => walk(v, schema.items!, [...path, i], out));
    return;
  }
  if (!isMap(value) || !schema.properties) return;
  const props = schema.properties;
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  const required = new Set(schema.required ?? []);
  for (const key of Object.keys(value)) {
    const canonical = key in props ? key : byLower.get(key.toLowerCase());
    if (canonical === undefined) continue;
    const at = [...path, key];
    const v = value[key];
    if (v === null && !required.has(canonical)) {
      const empty = path.length === 0 && (NULL_AS_EMPTY_LIST as readonly string[]).includes(canonical);
      out.push({
        code: 'compat/null-value', path: at, onKey: true,
        message: `${show(at)} is empty (null), which means the same as leaving it out; ${empty ? 'write []' : 'remove it'}`,
        edits: [empty ? { op: 'set', path: at, value: [] } : { op: 'remove', path: at }],
      });
    } else {
      walk(v, props[canonical]!, at, out);
    }
    if (canonical !== key) {
      if (canonical in value) {
        out.push({ code: 'compat/key-case', path: at, onKey: true, message: `"${key}" and "${canonical}" are the same field written twice; keep "${canonical}"` });
      } else {
        out.push({ code: 'compat/key-case', path: at, onKey: true, message: `"${key}" is spelled "${canonical}"`, edits: [{ op: 'rename', path: at, to: canonical }] });
      }
    }
  }
}

/** A rule without `kind` is deployed as a Scheduled rule (the only kind older templates had). */
function kindMissing(doc: Json, out: Quirk[]): void {
  if (Object.keys(doc).some((k) => k.toLowerCase() === 'kind')) return;
  out.push({ code: 'compat/kind-missing', path: [], message: 'the rule has no "kind"; it is read as "kind: Scheduled" — add that line', edits: [{ op: 'add', path: [], key: 'kind', value: 'Scheduled' }] });
}

/**
 * Older templates carry no `version` (Azure-Sentinel's CI does not require one: its model maps the
 * property to the wrong key). Read as 1.0.0, the first version; version discipline starts there.
 */
function versionMissing(doc: Json, out: Quirk[]): void {
  if (Object.keys(doc).some((k) => k.toLowerCase() === 'version')) return;
  out.push({ code: 'compat/version-missing', path: [], message: 'the rule has no "version"; it is read as "version: 1.0.0" — add that line', edits: [{ op: 'add', path: [], key: 'version', value: '1.0.0' }] });
}

/** `GreaterThan`/`LessThan`/`Equal`/`NotEqual` (the ARM spelling, also accepted by Azure-Sentinel's CI) → `gt`/`lt`/`eq`/`ne`. */
function triggerOperator(doc: Json, out: Quirk[]): void {
  const key = Object.keys(doc).find((k) => k.toLowerCase() === 'triggeroperator');
  const v = key === undefined ? undefined : doc[key];
  if (typeof v !== 'string') return;
  const short = (Object.entries(ARM_TRIGGER_OPERATOR) as [TriggerOperator, string][]).find(([, arm]) => arm.toLowerCase() === v.toLowerCase())?.[0];
  if (short) out.push({ code: 'compat/trigger-operator', path: [key!], message: `triggerOperator "${v}" is written "${short}" in rule files`, edits: [{ op: 'set', path: [key!], value: short }] });
}

/** Short form of a span when it is a whole number of days, hours or minutes. */
function shortForm(ms: number): string | undefined {
  if (ms <= 0) return undefined;
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return undefined;
}

/** ISO 8601 (`PT1H`, the ARM form) or .NET TimeSpan (`01:00:00`, read by Azure-Sentinel's CI) durations → `1h`. */
function durations(doc: Json, out: Quirk[]): void {
  for (const p of RULE_DURATION_PATHS) {
    let v: unknown = doc;
    for (const seg of p) v = isMap(v) ? v[seg] : undefined;
    if (typeof v !== 'string' || /^[1-9][0-9]*[mhd]$/.test(v)) continue;
    const ms = isoDurationMs(v.trim().toUpperCase()) ?? (/^\d+(\.\d+)?:\d{2}(:\d{2})?$|^\d+\.\d{1,2}:\d{2}(:\d{2})?$/.test(v.trim()) ? kqlTimespanMs(v) : undefined);
    const short = ms === undefined ? undefined : shortForm(ms);
    if (short) out.push({ code: 'compat/duration-form', path: p, message: `${show(p)} "${v}" is written "${short}" in rule files`, edits: [{ op: 'set', path: p, value: short }] });
  }
}

/** `tags:` as one string or one mapping instead of a list. */
function tags(doc: Json, out: Quirk[]): void {
  const v = doc.tags;
  if (v === undefined || v === null || Array.isArray(v)) return;
  out.push({ code: 'compat/tags-form', path: ['tags'], message: 'tags is a single value; write it as a list (one "- " item)' });
}

/* ------------------------------------------------------------------ applying edits to plain data */

function parentOf(root: unknown, path: NodePath): unknown {
  let v = root;
  for (const seg of path.slice(0, -1)) v = v == null ? undefined : (v as Record<string | number, unknown>)[seg];
  return v;
}

/** Renames a key keeping the mapping's key order. */
function renameKey(map: Json, from: string, to: string): void {
  const entries = Object.entries(map);
  for (const k of Object.keys(map)) delete map[k];
  for (const [k, v] of entries) map[k === from ? to : k] = v;
}

/** The document with the edits applied (a deep copy; the input is not changed). */
export function applyEdits<T>(doc: T, edits: readonly Edit[]): T {
  const copy = structuredClone(doc);
  for (const e of edits) {
    if (e.op === 'move') {
      const root = copy as unknown as Json;
      const key = String(e.path[0]);
      const target = isMap(root[e.into]) ? (root[e.into] as Json) : {};
      const value = root[key];
      delete root[key];
      root[e.into] = { ...target, [key]: value };
      continue;
    }
    if (e.op === 'add') {
      const target = e.path.length === 0 ? copy : (parentOf(copy, [...e.path, '']) as unknown);
      if (isMap(target)) target[e.key] = e.value;
      continue;
    }
    const parent = parentOf(copy, e.path);
    const last = e.path.at(-1)!;
    if (e.op === 'set') {
      if (isMap(parent) || Array.isArray(parent)) (parent as Record<string | number, unknown>)[last] = Array.isArray(e.value) ? [] : e.value;
    } else if (e.op === 'remove') {
      if (isMap(parent)) delete parent[String(last)];
    } else if (isMap(parent)) {
      renameKey(parent, String(last), e.to);
    }
  }
  return copy;
}

/**
 * The rule document as the schema expects it: the quirks' edits applied, plus the moves that need a
 * hand in the file (metadata fields under `metadata:`, a single tag as a list, ARM technique lists
 * merged). Returns the quirks too, for the warnings.
 */
export function normaliseRule(doc: unknown): { value: unknown; quirks: Quirk[] } {
  const quirks = findRuleQuirks(doc);
  if (quirks.length === 0 || !isMap(doc)) return { value: doc, quirks };
  const value = applyEdits(doc, quirks.flatMap((q) => q.edits ?? [])) as Json;
  for (const q of quirks) {
    if (q.edits) continue;
    if (q.code === 'compat/metadata-field') {
      const f = String(q.path[0]);
      value.metadata = { ...(isMap(value.metadata) ? value.metadata : {}), [f]: value[f] };
      delete value[f];
    } else if (q.code === 'compat/tags-form') {
      value.tags = [value.tags];
    } else if (q.code === 'compat/legacy-field') {
      const f = String(q.path[0]);
      const current = LEGACY_RULE_FIELDS[f]!;
      const merged = [value[current], value[f]].flatMap((v) => (Array.isArray(v) ? v : v == null ? [] : [v]));
      value[current] = current === 'relevantTechniques' ? [...new Set(merged)] : value[current] ?? value[f];
      delete value[f];
    } else if (q.code === 'compat/unknown-field') {
      delete value[String(q.path[0])];
    } else if (q.code === 'compat/key-case') {
      const parent = parentOf(value, q.path);
      if (isMap(parent)) delete parent[String(q.path.at(-1))];
    }
  }
  return { value, quirks };
}

/** Where a canonical path was in the document: undoes the renames, for positions of later findings. */
export function originalPath(path: NodePath, quirks: readonly Quirk[]): NodePath {
  let p = [...path];
  for (const q of quirks) {
    for (const e of q.edits ?? []) {
      if (e.op !== 'rename') continue;
      const renamed = [...e.path.slice(0, -1), e.to];
      if (renamed.length <= p.length && renamed.every((s, i) => s === p[i])) p = [...e.path, ...p.slice(renamed.length)];
    }
  }
  return p;
}

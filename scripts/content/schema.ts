/**
 * JSON Schema validation (ajv) of content files, with every ajv error turned into one human
 * sentence at the offending YAML node.
 */
import { closest } from '../model/suggest.ts';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic, NodePath, SourceFile } from '../model/types.ts';
import { CONTENT_SCHEMAS, SCHEMA_DOCUMENTS, type SchemaName } from '../model/schema/index.ts';
import type { Static } from '@sinclair/typebox';

export type { SchemaName };

/** The validated value of each schema: its TypeBox definition's static type. */
export type SchemaValue<N extends SchemaName> = Static<(typeof CONTENT_SCHEMAS)[N]>;

type Validators = { [N in SchemaName]: ValidateFunction<SchemaValue<N>> };

let validators: Validators | undefined;

/**
 * ajv compiles the TypeBox definitions themselves (not the generated JSON files): validation is
 * exactly what the types say even before the files are regenerated, and nothing is read from disk.
 */
function compile(): Validators {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  // Metadata keyword: a phrase describing a pattern, used in error messages.
  ajv.addKeyword({ keyword: 'errorHint', schemaType: 'string' });
  for (const schema of SCHEMA_DOCUMENTS.values()) ajv.addSchema(schema);
  const get = <N extends SchemaName>(name: N): ValidateFunction<SchemaValue<N>> => {
    const fn = ajv.getSchema<SchemaValue<N>>(`${name}.schema.json`);
    if (!fn) throw new Error(`no JSON Schema with $id ${name}.schema.json`);
    return fn;
  };
  validators = { rule: get('rule'), watchlist: get('watchlist'), workbook: get('workbook'), target: get('target'), 'rule-tests': get('rule-tests'),
    function: get('function'), 'declared-table': get('declared-table'), 'declared-function': get('declared-function'), 'repo-config': get('repo-config') };
  return validators;
}

export type SchemaResult<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** Validates `value` against the named schema: the value, typed, or diagnostics located in `source`. */
export function checkSchema<N extends SchemaName>(name: N, value: unknown, source: SourceFile): SchemaResult<SchemaValue<N>> {
  const fn: ValidateFunction<SchemaValue<N>> = compile()[name];
  if (fn(value)) return { ok: true, value };
  return { ok: false, diagnostics: describeErrors(fn.errors ?? [], value, source) };
}

/** Validates `value` against the named schema; returns diagnostics located in `source`. */
export function validateSchema(name: SchemaName, value: unknown, source: SourceFile): Diagnostic[] {
  const result = checkSchema(name, value, source);
  return result.ok ? [] : result.diagnostics;
}

/** ajv errors → one diagnostic per offending node, most specific message first. */
export function describeErrors(errors: ErrorObject[], value: unknown, source: SourceFile): Diagnostic[] {
  // oneOf/anyOf/if wrappers repeat what their branches said.
  // propertyNames reports twice: the wrapper and the failing keyword (with `propertyName` set).
  let useful = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not', 'propertyNames'].includes(e.keyword));
  if (useful.length === 0) useful = errors;
  // Several missing fields of one mapping make one sentence.
  const missing = new Map<string, string[]>();
  for (const e of useful) {
    if (e.keyword !== 'required') continue;
    const list = missing.get(e.instancePath) ?? [];
    list.push(String((e.params as { missingProperty: string }).missingProperty));
    missing.set(e.instancePath, list);
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of useful) {
    const path = pointerToPath(e.instancePath);
    const { message, at, useKey } =
      e.keyword === 'required' ? requiredSentence(path, missing.get(e.instancePath)!)
      : e.propertyName !== undefined ? keySentence(e, path)
      : sentence(e, path, value);
    const key = `${at.join('/')}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = useKey ? source.keyPos(at) : source.pos(at);
    out.push({ file: source.file, line: pos.line, col: pos.col, severity: 'error', code: `schema/${e.keyword}`, message });
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function getAt(value: unknown, path: NodePath): unknown {
  let v = value;
  for (const seg of path) v = v == null ? undefined : (v as Record<string | number, unknown>)[seg];
  return v;
}

function display(path: NodePath): string {
  if (path.length === 0) return 'the document';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${String(v)}`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false',
    array: 'a list', object: 'a mapping', null: 'null',
  };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

function requiredSentence(path: (string | number)[], fields: string[]): { message: string; at: (string | number)[]; useKey?: boolean } {
  const where = display(path);
  const list = fields.map((f) => `"${f}"`).join(', ');
  const noun = fields.length > 1 ? 'required fields' : 'required field';
  return { message: where === 'the document' ? `missing ${noun} ${list}` : `${where} is missing ${noun} ${list}`, at: path };
}

/** A map key that breaks a `propertyNames` rule. */
function keySentence(e: ErrorObject, path: (string | number)[]): { message: string; at: (string | number)[]; useKey: boolean } {
  const name = e.propertyName!;
  const hint = (e.parentSchema as { errorHint?: string } | undefined)?.errorHint;
  return { message: `key "${name}" in ${display(path)} must be ${hint ?? `text matching ${String((e.params as { pattern?: string }).pattern)}`}`, at: [...path, name], useKey: true };
}

function sentence(e: ErrorObject, path: (string | number)[], value: unknown): { message: string; at: (string | number)[]; useKey?: boolean } {
  const where = display(path);
  const got = getAt(value, path);
  const hint = (e.parentSchema as { errorHint?: string } | undefined)?.errorHint;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { message: `${where === 'the document' ? 'missing' : `${where} is missing`} required field "${String(p.missingProperty)}"`, at: path };
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closest(extra, allowed);
      return {
        message: `unknown field "${extra}"${where === 'the document' ? '' : ` in ${where}`}${guess ? ` (did you mean "${guess}"?)` : allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`,
        at: [...path, extra],
        useKey: true,
      };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const list = allowed.length > 2 ? `${allowed.slice(0, -1).join(', ')}, ${allowed.at(-1)}` : allowed.join(' or ');
      const guess = typeof got === 'string' ? closest(got, allowed) : undefined;
      return { message: `${where} must be one of ${list} (got ${show(got)})${guess ? `; did you mean "${guess}"?` : ''}`, at: path };
    }
    case 'const':
      return { message: `${where} must be ${JSON.stringify(p.allowedValue)} (got ${show(got)})`, at: path };
    case 'type':
      return { message: `${where} must be ${article(String(p.type))} (got ${show(got)})`, at: path };
    case 'pattern':
      return { message: `${where} must be ${hint ?? `text matching ${String(p.pattern)}`} (got ${show(got)})`, at: path };
    case 'minLength':
      return { message: Number(p.limit) === 1 ? `${where} must not be empty` : `${where} must be at least ${String(p.limit)} characters`, at: path };
    case 'maxLength':
      return { message: `${where} must be at most ${String(p.limit)} characters (got ${String((got as string)?.length)})`, at: path };
    case 'minimum':
    case 'maximum':
      return { message: `${where} must be ${e.keyword === 'minimum' ? '≥' : '≤'} ${String(p.limit)} (got ${show(got)})`, at: path };
    case 'minItems':
      return { message: `${where} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, at: path };
    case 'maxItems':
      return { message: `${where} must have at most ${String(p.limit)} items (got ${(got as unknown[]).length})`, at: path };
    case 'uniqueItems':
      return { message: `${where} lists items ${String(p.j)} and ${String(p.i)} twice; remove the duplicate`, at: [...path, Number(p.i)] };
    default:
      return { message: `${where} ${e.message ?? 'is invalid'}`, at: path };
  }
}

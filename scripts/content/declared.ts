/**
 * Declared schemas: `schemas/tables/*` and `schemas/functions/*` (`.json` as Azure-Sentinel's
 * CustomTables / CustomFunctions files, or the same shape in `.yaml`), parsed with positions into
 * the model. Every problem — bad JSON or YAML, a missing name, an unknown type, a duplicate column —
 * is a diagnostic at its file:line:col; nothing here throws on user input. How declared tables meet
 * the built-in catalogue is decided in kusto/declared.ts.
 */
import { posix } from 'node:path';
import { diagAt } from '../model/diagnostics.ts';
import { KQL_TYPE_SPELLINGS, KQL_TYPES, toKqlType } from '../model/kql-type.ts';
import { closest } from '../model/suggest.ts';
import type {
  DeclaredColumn, DeclaredFunctionFile, DeclaredParameter, DeclaredTableFile, Diagnostic, NodePath, SourceFile,
} from '../model/types.ts';
import { checkSchema } from './schema.ts';
import { parseYamlFile } from './yaml.ts';

export const DECLARED_DIRS = { tables: 'schemas/tables', functions: 'schemas/functions' } as const;

export type DeclaredKind = 'declaredTable' | 'declaredFunction';

/** Table and function names as queries write them without quoting. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Which kind of declared schema a repo-relative path holds (direct children of the two folders only). */
export function declaredKindOf(rel: string): DeclaredKind | undefined {
  const p = rel.replace(/\\/g, '/');
  if (!/\.(json|ya?ml)$/i.test(p)) return undefined;
  const dir = posix.dirname(p);
  if (dir === DECLARED_DIRS.tables) return 'declaredTable';
  if (dir === DECLARED_DIRS.functions) return 'declaredFunction';
  return undefined;
}

type Loaded = { file?: DeclaredTableFile | DeclaredFunctionFile; diagnostics: Diagnostic[] };

/** JSON documents (Azure-Sentinel writes some with tab indentation, which JSON allows and YAML does not). */
function asText(bytes: Uint8Array | string): { text: string | Uint8Array; json: boolean } {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { text: bytes, json: false }; // the YAML parser reports the bad byte
  }
  const json = /^\uFEFF?\s*[{[]/.test(text);
  // Same length, so every position stays where it was.
  return { text: json ? text.replace(/^[ \t]+/gm, (ws) => ws.replace(/\t/g, ' ')) : text, json };
}

/** Loads one declared schema file (bytes already read). */
export function loadDeclaredFile(rel: string, bytes: Uint8Array | string): Loaded {
  const kind = declaredKindOf(rel);
  if (!kind) return { diagnostics: [] };
  const { text, json } = asText(bytes);
  const parsed = parseYamlFile(rel, text);
  // For a JSON file, say JSON: the parser is a YAML 1.2 parser, and JSON is YAML's flow style.
  const diagnostics = parsed.diagnostics.map((d) => (json ? { ...d, code: d.code.replace(/^yaml\//, 'json/'), message: `invalid JSON: ${d.message}` } : d));
  if (parsed.value === undefined) return { diagnostics };
  const source = parsed.source;
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    const what = kind === 'declaredTable' ? '{ "Name": …, "Properties": [ … ] }' : '{ "FunctionName": …, "FunctionParameters": [ … ], "FunctionResultColumns": [ … ] }';
    return { diagnostics: [...diagnostics, diagAt(source, [], 'error', 'declared/type', `the document must be an object ${what}`)] };
  }
  const checked = checkSchema(kind === 'declaredTable' ? 'declared-table' : 'declared-function', parsed.value, source);
  if (!checked.ok) return { diagnostics: [...diagnostics, ...checked.diagnostics] };
  const reader = new Reader(source, parsed.value as Record<string, unknown>, diagnostics);
  const file = kind === 'declaredTable' ? reader.table() : reader.fn();
  return { file: diagnostics.some((d) => d.severity === 'error') ? undefined : file, diagnostics };
}

/** Reads the schema-checked document: either key case, types mapped, names and duplicates checked. */
class Reader {
  private readonly source: SourceFile;
  private readonly doc: Record<string, unknown>;
  private readonly out: Diagnostic[];
  constructor(
    source: SourceFile,
    doc: Record<string, unknown>,
    out: Diagnostic[],
  ) {
    this.source = source;
    this.doc = doc;
    this.out = out;
  }

  private error(path: NodePath, code: string, message: string, onKey = false): void {
    this.out.push(diagAt(this.source, path, 'error', code, message, onKey));
  }

  private warn(path: NodePath, code: string, message: string): void {
    this.out.push(diagAt(this.source, path, 'warning', code, message));
  }

  /** The value of `key` in either spelling (`Name`/`name`) with the spelling used; both spellings is an error. */
  private field(obj: Record<string, unknown>, at: NodePath, key: string): { value: unknown; path: NodePath } | undefined {
    const upper = key[0]!.toUpperCase() + key.slice(1);
    const has = (k: string) => Object.hasOwn(obj, k) && obj[k] !== undefined;
    if (has(upper) && has(key)) this.error([...at, key], 'declared/both-cases', `both ${upper} and ${key} are given; keep one`, true);
    if (has(upper)) return { value: obj[upper], path: [...at, upper] };
    if (has(key)) return { value: obj[key], path: [...at, key] };
    return undefined;
  }

  private name(obj: Record<string, unknown>, at: NodePath, key: string, what: string): { name: string; path: NodePath } | undefined {
    const f = this.field(obj, at, key);
    const upper = key[0]!.toUpperCase() + key.slice(1);
    if (!f) {
      this.error(at, 'declared/missing-name', `${what} has no ${upper}; add "${upper}": "<name>"`);
      return undefined;
    }
    const name = String(f.value);
    if (!IDENTIFIER.test(name)) {
      this.error(f.path, 'declared/bad-name', `${what} name "${name}" is not a KQL name (letters, digits and _, not starting with a digit)`);
      return undefined;
    }
    return { name, path: f.path };
  }

  private type(obj: Record<string, unknown>, at: NodePath, what: string): DeclaredColumn['type'] | undefined {
    const f = this.field(obj, at, 'type');
    if (!f) {
      this.error(at, 'declared/missing-type', `${what} has no Type; add "Type": "string" (or ${KQL_TYPES.filter((t) => t !== 'string').join(', ')})`);
      return undefined;
    }
    const spelled = String(f.value);
    const type = toKqlType(spelled);
    if (!type) {
      const guess = closest(spelled.toLowerCase(), [...KQL_TYPE_SPELLINGS]);
      this.error(f.path, 'declared/unknown-type', `unknown type "${spelled}" for ${what}${guess ? `; did you mean ${guess}?` : ''} (Kusto types: ${KQL_TYPES.join(', ')})`);
    }
    return type;
  }

  private description(obj: Record<string, unknown>, at: NodePath): string | undefined {
    const d = this.field(obj, at, 'description')?.value;
    return typeof d === 'string' && d.trim() ? d : undefined;
  }

  /** A list of `{Name, Type}` columns; duplicates (same name) are errors at the later one. */
  private columns(list: unknown[], at: NodePath, owner: string): DeclaredColumn[] {
    const out: DeclaredColumn[] = [];
    const seen = new Map<string, number>();
    list.forEach((raw, i) => {
      const obj = raw as Record<string, unknown>;
      const path = [...at, i];
      const n = this.name(obj, path, 'name', `column ${i + 1} of ${owner}`);
      const type = this.type(obj, path, n ? `column ${n.name}` : `column ${i + 1}`);
      if (!n || !type) return;
      const first = seen.get(n.name);
      if (first !== undefined) {
        // Azure-Sentinel's own CustomTables/CustomFunctions files have such repeats and its CI reads
        // them (the first wins): a warning, so the file stays usable.
        this.warn(n.path, 'declared/duplicate-column', `column ${n.name} is declared twice in ${owner} (also column ${first + 1}); the first is used — remove the other`);
        return;
      }
      seen.set(n.name, i);
      out.push({ name: n.name, type, at: path });
    });
    return out;
  }

  table(): DeclaredTableFile | undefined {
    const n = this.name(this.doc, [], 'name', 'the table');
    const props = this.field(this.doc, [], 'properties');
    if (!props) this.error([], 'declared/missing-columns', 'the table has no Properties; add "Properties": [ { "Name": "TimeGenerated", "Type": "datetime" }, … ]');
    if (!n || !props) return undefined;
    const columns = this.columns(props.value as unknown[], props.path, `table ${n.name}`);
    const description = this.description(this.doc, []);
    return { kind: 'declaredTable', name: n.name, ...(description ? { description } : {}), columns, nameAt: n.path, source: this.source };
  }

  fn(): DeclaredFunctionFile | undefined {
    const n = this.name(this.doc, [], 'functionName', 'the function');
    if (!n) return undefined;
    const parameters: DeclaredParameter[] = [];
    const params = this.field(this.doc, [], 'functionParameters');
    const seen = new Set<string>();
    (params?.value as unknown[] | undefined)?.forEach((raw, i) => {
      const obj = raw as Record<string, unknown>;
      const path = [...params!.path, i];
      const p = this.name(obj, path, 'name', `parameter ${i + 1} of ${n.name}`);
      const type = this.type(obj, path, p ? `parameter ${p.name}` : `parameter ${i + 1}`);
      if (!p || !type) return;
      if (seen.has(p.name)) return this.error(p.path, 'declared/duplicate-parameter', `parameter ${p.name} is declared twice; remove one`);
      seen.add(p.name);
      const d = this.field(obj, path, 'default');
      parameters.push({ name: p.name, type, ...(d ? { default: defaultLiteral(d.value as string | number | boolean, type) } : {}) });
    });
    const results = this.field(this.doc, [], 'functionResultColumns');
    const query = this.field(this.doc, [], 'query')?.value as string | undefined;
    const resultList = (results?.value as unknown[] | undefined) ?? [];
    // As Azure-Sentinel's KQL validation does: no result columns but a body → the body defines the output.
    const columns = resultList.length === 0 && query?.trim() ? null : this.columns(resultList, results?.path ?? [], `function ${n.name}`);
    const description = this.description(this.doc, []);
    return {
      kind: 'declaredFunction', name: n.name, ...(description ? { description } : {}), parameters, columns,
      ...(columns === null ? { body: query! } : {}), nameAt: n.path, source: this.source,
    };
  }
}

/** A parameter default as KQL literal text: numbers and booleans as written, bare text for a string parameter quoted. */
export function defaultLiteral(value: string | number | boolean, type: DeclaredColumn['type']): string {
  if (typeof value !== 'string') return String(value);
  const v = value.trim();
  if (type !== 'string' || /^(['"]).*\1$/s.test(v) || /^(h|H)?@?['"]/.test(v) || /^\w+\(.*\)$/s.test(v)) return v;
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

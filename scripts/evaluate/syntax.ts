/// <reference types="@kusto/language-service-next" />
/**
 * Small helpers over the analysed Kusto syntax tree: kind names, list elements, names, literal
 * values and result types. The tree is Bridge-typed; the evaluator treats nodes as `Node`.
 */
import { loadKusto, toArray } from '../kusto/bridge.ts';
import type { ColumnSpec } from './globals.ts';
import { tableColumns } from '../kusto/syntax.ts';
import type { Value } from './values.ts';
import { Timespan, parseDateTime, parseTimespan, TICKS_PER_MS } from './values.ts';

/** A syntax node or token of the analysed tree (Bridge object; accessed dynamically). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = any;

let syntaxKinds: Map<number, string> | undefined;
let symbolKinds: Map<number, string> | undefined;

function invert(e: Record<string, unknown>): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(e)) if (typeof v === 'number' && !m.has(v)) m.set(v, k);
  return m;
}

export function kindOf(node: Node): string {
  if (!syntaxKinds) syntaxKinds = invert(loadKusto().Language.Syntax.SyntaxKind as unknown as Record<string, unknown>);
  return syntaxKinds.get(node.Kind) ?? String(node.Kind);
}

export function symbolKindOf(symbol: Node): string {
  if (!symbolKinds) symbolKinds = invert(loadKusto().Language.Symbols.SymbolKind as unknown as Record<string, unknown>);
  return symbol ? symbolKinds.get(symbol.Kind) ?? '' : '';
}

/** Elements of a SyntaxList (separated or not). */
export function elems(list: Node): Node[] {
  const out: Node[] = [];
  if (!list) return out;
  for (let i = 0; i < list.ChildCount; i++) {
    const c = list.GetChild(i);
    if (!c) continue;
    if (kindOf(c) === 'SeparatedElement') out.push(c.Element);
    else if (!c.IsToken) out.push(c);
  }
  return out;
}

/** Whether an expression's analysed result is a table. */
export function isTabular(node: Node): boolean {
  const rt = node?.ResultType;
  if (!rt) return false;
  const k = symbolKindOf(rt);
  return k === 'Table' || k === 'Group';
}

export function resultColumns(node: Node): ColumnSpec[] {
  const rt = node?.ResultType;
  return rt && isTabular(node) ? tableColumns(rt) : [];
}

export function typeName(node: Node): string {
  return node?.ResultType?.Name ?? 'dynamic';
}

function unbox(v: unknown): unknown {
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$boxed' in o) return unbox(o.v);
    if (typeof (o as { toNumber?: unknown }).toNumber === 'function') return (o as unknown as { toNumber(): number }).toNumber();
  }
  return v;
}

/** Value of a literal expression (bool, int, long, real, decimal, string, datetime, timespan, guid, null). */
export function literalValue(node: Node): Value {
  const raw = unbox(node.LiteralValue);
  switch (kindOf(node)) {
    case 'DateTimeLiteralExpression':
      if (raw === null || raw === undefined) return null;
      if (raw instanceof Date) return new Date(raw.getTime());
      return parseDateTime(String(raw));
    case 'TimespanLiteralExpression': {
      if (raw === null || raw === undefined) return null;
      // time(0.12:34:56.7) is not always converted by the analyzer: parse the token text.
      const text = String(node.GetFirstToken?.()?.Text ?? '');
      const inner = /^(?:time|timespan)\((.*)\)$/i.exec(text.trim());
      const parsed = parseTimespan(inner ? inner[1]! : text);
      if (parsed) return parsed;
      const ticks = unbox((raw as { ticks?: unknown }).ticks ?? raw);
      return new Timespan(Number(String(ticks)) / TICKS_PER_MS);
    }
    case 'IntLiteralExpression':
    case 'LongLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression':
      return raw === null || raw === undefined ? null : Number(String(raw));
    case 'BooleanLiteralExpression':
      return raw === null || raw === undefined ? null : Boolean(raw);
    case 'NullLiteralExpression':
      return null;
    default:
      return raw === undefined ? null : (raw as Value);
  }
}

/** Text of a token literal parameter value (`kind=leftouter` → "leftouter"). */
export function paramValue(node: Node): Value {
  if (!node) return null;
  const k = kindOf(node);
  if (k === 'NameDeclaration' || k === 'NameReference') return node.SimpleName;
  if (k === 'TokenLiteralExpression') return String(unbox(node.LiteralValue) ?? node.GetFirstToken()?.Text ?? '');
  return literalValue(node);
}

/** Named operator parameters (`kind=inner`, `isfuzzy=true`, `with_itemindex=i`), hints dropped. */
export function namedParams(list: Node): Map<string, Value> {
  const m = new Map<string, Value>();
  for (const p of elems(list)) {
    const name = String(p.Name?.SimpleName ?? '').toLowerCase();
    if (name.startsWith('hint.')) continue;
    m.set(name, paramValue(p.Expression));
  }
  return m;
}

/** Parameter names of the function a call refers to, in declaration order. */
export function functionParameterNames(call: Node): string[] {
  const sig = call.ReferencedSignature ?? toArray<Node>(call.ReferencedSymbol?.Signatures)[0];
  return toArray<Node>(sig?.Parameters).map((p) => p.Name as string);
}

/** Default value expressions of the called function's parameters, by position (undefined: none). */
export function functionParameterDefaults(call: Node): (Node | undefined)[] {
  const sig = call.ReferencedSignature ?? toArray<Node>(call.ReferencedSymbol?.Signatures)[0];
  return toArray<Node>(sig?.Parameters).map((p) => (p.DefaultValue as Node | null) ?? undefined);
}

/** Text of the first token (e.g. `parse`, `evaluate`), used to name unsupported constructs. */
export function firstTokenText(node: Node): string {
  const t = node?.GetFirstToken?.();
  return t?.Text ?? kindOf(node);
}

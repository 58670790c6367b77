/// <reference types="@kusto/language-service-next" />
/**
 * The one typed facade over the language service's syntax tree (Bridge objects), used by
 * validation (checks, fact extraction) and by the evaluator. Accessors return plain values
 * (names, spans, kinds, column lists) or Bridge node types narrowed by a checked `instanceof`;
 * nothing here is `any`. No Bridge type leaves scripts/kusto, scripts/validate/kql and
 * scripts/evaluate.
 */
import { enumName, loadKusto, toArray } from './bridge.ts';

type K = typeof Kusto;
type Syn = typeof Kusto.Language.Syntax;
export type Element = Kusto.Language.Syntax.SyntaxElement;
export type Node = Kusto.Language.Syntax.SyntaxNode;
export type Expr = Kusto.Language.Syntax.Expression;
export type Sym = Kusto.Language.Symbols.Symbol;

/** Names of the Bridge syntax node classes (`FilterOperator`, `BinaryExpression`, …). */
export type NodeClass = { [C in keyof Syn]: Syn[C] extends { prototype: Node } ? C : never }[keyof Syn];
/** The node type of a class name: `NodeOf<'FilterOperator'>` is `Kusto.Language.Syntax.FilterOperator`. */
export type NodeOf<C extends NodeClass> = Syn[C] extends { prototype: infer P } ? P : never;

export function kusto(): K {
  return loadKusto();
}

/** Whether `node` is an instance of the named syntax class. */
export function is<C extends NodeClass>(node: unknown, cls: C): node is NodeOf<C> {
  const type = kusto().Language.Syntax[cls] as unknown as abstract new () => object;
  return node != null && node instanceof type;
}

/** `node` as the named syntax class; throws when the tree does not have that shape (a bug, not bad input). */
export function as<C extends NodeClass>(node: unknown, cls: C): NodeOf<C> {
  if (is(node, cls)) return node;
  throw new Error(`internal: expected a ${cls} syntax node`);
}

export function isInstance<T>(value: unknown, type: { prototype: T }): value is T {
  return value != null && (value as object) instanceof (type as unknown as new () => T);
}

export function kindName(node: { Kind: number }): string {
  return enumName(kusto().Language.Syntax.SyntaxKind, node.Kind);
}

let syntaxKinds: Map<number, string> | undefined;
let symbolKinds: Map<number, string> | undefined;

function invert(e: object): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(e)) if (typeof v === 'number' && !m.has(v)) m.set(v, k);
  return m;
}

/** SyntaxKind name of a node or token (`FilterOperator`, `LongLiteralExpression`, …); cached, for hot paths. */
export function kindOf(node: Element): string {
  syntaxKinds ??= invert(kusto().Language.Syntax.SyntaxKind);
  return syntaxKinds.get(node.Kind) ?? String(node.Kind);
}

/** SymbolKind name (`Table`, `Column`, `Function`, `Parameter`, …), '' for no symbol. */
export function symbolKindOf(symbol: Sym | null | undefined): string {
  symbolKinds ??= invert(kusto().Language.Symbols.SymbolKind);
  return symbol ? symbolKinds.get(symbol.Kind) ?? '' : '';
}

/** All descendants of `root` that are instances of the given syntax class. */
export function descendants<T>(root: Node, type: { prototype: T }): T[] {
  return toArray<T>(root.GetDescendants(type));
}

export function span(node: { TextStart: number; Width: number }): { start: number; length: number } {
  return { start: node.TextStart, length: node.Width };
}

/** Elements of a separated list (`a, b, c`) as nodes. */
export function separated<T>(list: unknown): T[] {
  return toArray<{ Element: T }>(list).map((e) => e.Element);
}

/** Nodes of a syntax list, separated (`a, b`) or not; separators and tokens dropped. */
export function elems<T extends Node>(list: Kusto.Language.Syntax.SyntaxList$1<Kusto.Language.Syntax.SeparatedElement$1<T>> | Kusto.Language.Syntax.SyntaxList$1<T> | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.ChildCount; i++) {
    const c = list.GetChild(i);
    if (!c) continue;
    if (is(c, 'SeparatedElement')) out.push(c.Element as T);
    else if (!c.IsToken) out.push(c as T);
  }
  return out;
}

/** The name a reference, declaration or call carries (`x`, `ago`), '' when none. */
export function simpleName(node: Element | null | undefined): string {
  if (is(node, 'FunctionCallExpression')) return node.Name?.SimpleName ?? '';
  if (is(node, 'NameReference') || is(node, 'NameDeclaration')) return node.SimpleName ?? '';
  return '';
}

/** The expression of `Name = expr`, or the expression itself. */
export function unnamed(e: Expr): Expr | null {
  return is(e, 'SimpleNamedExpression') ? e.Expression : e;
}

/** Name of the function a call expression invokes (as written), e.g. `ago`. */
export function callName(call: Kusto.Language.Syntax.FunctionCallExpression): string {
  return call.Name?.SimpleName ?? '';
}

export function callArgs(call: Kusto.Language.Syntax.FunctionCallExpression): Expr[] {
  return separated<Expr>(call.ArgumentList?.Expressions);
}

/** Arguments of a call; none for a bare name reference (a zero-argument function used without parentheses). */
export function argsOf(node: Node): Expr[] {
  return is(node, 'FunctionCallExpression') ? elems(node.ArgumentList?.Expressions) : [];
}

/** The analysed result type of an expression, null when the node is not an expression. */
export function resultType(node: Element | null | undefined): Kusto.Language.Symbols.TypeSymbol | null {
  return is(node, 'Expression') ? node.ResultType : null;
}

/** Type name of an analysed expression (`string`, `long`, `timespan`, …), '' when unknown. */
export function typeName(e: Element | null | undefined): string {
  return resultType(e)?.Name ?? '';
}

/** Whether an expression's analysed result is a table. */
export function isTabular(node: Element | null | undefined): boolean {
  const k = symbolKindOf(resultType(node));
  return k === 'Table' || k === 'Group';
}

/** Column name/type list of a table symbol. */
export function tableColumns(t: Kusto.Language.Symbols.TableSymbol): { name: string; type: string }[] {
  return toArray<Kusto.Language.Symbols.ColumnSymbol>(t.Columns).map((c) => ({ name: c.Name ?? '', type: c.Type?.Name ?? 'unknown' }));
}

/** Output columns of a tabular expression or operator, [] when it is not tabular. */
export function resultColumns(node: Element | null | undefined): { name: string; type: string }[] {
  const rt = resultType(node);
  return isInstance(rt, kusto().Language.Symbols.TableSymbol) ? tableColumns(rt) : [];
}

/** The string value of a string literal expression, or null. */
export function stringLiteral(e: Expr): string | null {
  if (!is(e, 'LiteralExpression')) return null;
  const v: unknown = e.LiteralValue;
  return typeof v === 'string' ? v : null;
}

/** A literal's value unboxed from Bridge wrappers (`$boxed`, Int64 → number); dates and TimeSpans as the library has them. */
export function literalRaw(node: Expr): unknown {
  return unbox(node.LiteralValue);
}

export function unbox(v: unknown): unknown {
  if (v !== null && typeof v === 'object') {
    const o = v as { $boxed?: unknown; v?: unknown; toNumber?: unknown };
    if ('$boxed' in o) return unbox(o.v);
    if (typeof o.toNumber === 'function') return (o as { toNumber(): number }).toNumber();
  }
  return v;
}

/** Text of the first token (e.g. `parse`, `evaluate`), used to name unsupported constructs. */
export function firstTokenText(node: Element): string {
  return node.GetFirstToken()?.Text ?? kindOf(node);
}

/** Text of an operator token of a binary/in/has_any/between expression (`==`, `!in~`, `has_cs`). */
export function operatorText(node: Element): string {
  const op = (node as { Operator?: unknown }).Operator;
  return isInstance(op, kusto().Language.Syntax.SyntaxToken) ? op.Text ?? '' : '';
}

/** Parameter names of the function a call or bare reference refers to, in declaration order. */
export function functionParameterNames(call: Node): string[] {
  const sig = call.ReferencedSignature ?? toArray<Kusto.Language.Symbols.Signature>((call.ReferencedSymbol as { Signatures?: unknown } | null)?.Signatures)[0];
  return toArray<Kusto.Language.Symbols.Parameter>(sig?.Parameters).map((p) => p.Name ?? '');
}

/** Default value expressions of the called function's parameters, by position (undefined: none). */
export function functionParameterDefaults(call: Node): (Expr | undefined)[] {
  const sig = call.ReferencedSignature ?? toArray<Kusto.Language.Symbols.Signature>((call.ReferencedSymbol as { Signatures?: unknown } | null)?.Signatures)[0];
  return toArray<Kusto.Language.Symbols.Parameter>(sig?.Parameters).map((p) => p.DefaultValue ?? undefined);
}

/** The analysed body of the user or saved function a call expands to, if any. */
export function calledBody(node: Node): Kusto.Language.Syntax.FunctionBody | null {
  const body = node.GetCalledFunctionBody();
  return is(body, 'FunctionBody') ? body : null;
}

/** Whether a scalar expression reads columns or function parameters (tabular subqueries excluded). */
export function referencesColumns(node: Element | null): boolean {
  if (!node || node.IsToken) return false;
  if (is(node, 'NameReference')) {
    const sk = symbolKindOf(node.ReferencedSymbol);
    if (sk === 'Column' || sk === 'Parameter') return true;
  }
  for (let i = 0; i < node.ChildCount; i++) {
    const c = node.GetChild(i);
    if (c && !c.IsToken && !isTabular(c) && referencesColumns(c)) return true;
  }
  return false;
}

/** The nodes our checks and fact extraction look at, gathered in one walk of the tree. */
export interface TreeIndex {
  names: Kusto.Language.Syntax.NameReference[];
  calls: Kusto.Language.Syntax.FunctionCallExpression[];
  binaries: Kusto.Language.Syntax.BinaryExpression[];
  ins: Kusto.Language.Syntax.InExpression[];
  searches: Kusto.Language.Syntax.SearchOperator[];
  unions: Kusto.Language.Syntax.UnionOperator[];
}

export function indexTree(root: Node): TreeIndex {
  const S = kusto().Language.Syntax;
  const index: TreeIndex = { names: [], calls: [], binaries: [], ins: [], searches: [], unions: [] };
  for (const n of descendants(root, S.SyntaxNode)) {
    if (n instanceof S.NameReference) index.names.push(n);
    else if (n instanceof S.FunctionCallExpression) index.calls.push(n);
    else if (n instanceof S.BinaryExpression) index.binaries.push(n);
    else if (n instanceof S.InExpression) index.ins.push(n);
    else if (n instanceof S.SearchOperator) index.searches.push(n);
    else if (n instanceof S.UnionOperator) index.unions.push(n);
  }
  return index;
}

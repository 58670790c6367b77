/**
 * Small helpers over the language service's syntax tree (Bridge objects). Only modules inside
 * scripts/kql/ use these; they turn nodes into plain spans, names and values.
 */
import { enumName, loadKusto, toArray } from './bridge.ts';

type K = typeof Kusto;
export type Node = Kusto.Language.Syntax.SyntaxNode;
export type Expr = Kusto.Language.Syntax.Expression;
export type Sym = Kusto.Language.Symbols.Symbol;

export function kusto(): K {
  return loadKusto();
}

export function kindName(node: { Kind: number }): string {
  return enumName(kusto().Language.Syntax.SyntaxKind, node.Kind);
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

export function isInstance<T>(value: unknown, type: { prototype: T }): value is T {
  return value != null && (value as object) instanceof (type as unknown as new () => T);
}

/** Name of the function a call expression invokes (as written), e.g. `ago`. */
export function callName(call: Kusto.Language.Syntax.FunctionCallExpression): string {
  return call.Name?.SimpleName ?? '';
}

export function callArgs(call: Kusto.Language.Syntax.FunctionCallExpression): Expr[] {
  return separated<Expr>(call.ArgumentList?.Expressions);
}

/** Type name of an analysed expression (`string`, `long`, `timespan`, …), '' when unknown. */
export function typeName(e: Expr | null | undefined): string {
  return e?.ResultType?.Name ?? '';
}

/** The string value of a string literal expression, or null. */
export function stringLiteral(e: Expr): string | null {
  if (!isInstance(e, kusto().Language.Syntax.LiteralExpression)) return null;
  const v: unknown = e.LiteralValue;
  return typeof v === 'string' ? v : null;
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

/**
 * Facts read off an analysed query's syntax tree: referenced tables and functions, watchlist
 * aliases, top-level lets, the longest ago() lookback and `search *` / `union *`.
 */
import { callArgs, callName, isInstance, kusto, span, separated, stringLiteral } from './syntax.ts';
import type { Expr, Node, TreeIndex } from './syntax.ts';
import type { KqlAnalysis, KqlLet, KqlSpan } from './types.ts';

export type Facts = Omit<KqlAnalysis, 'diagnostics' | 'resultColumns'>;

const TICKS_PER_MS = 10_000;

/** Milliseconds of a constant timespan value (a Bridge System.TimeSpan), or null. */
function timespanMs(value: unknown): number | null {
  const ticks = (value as { ticks?: { toNumber?: () => number } } | null)?.ticks;
  return typeof ticks?.toNumber === 'function' ? ticks.toNumber() / TICKS_PER_MS : null;
}

/** The alias a `_GetWatchlist(...)` argument evaluates to: a literal or a constant let. */
export function watchlistAliasOf(arg: Expr | undefined): string | null {
  if (!arg) return null;
  const literal = stringLiteral(arg);
  if (literal !== null) return literal;
  const constant: unknown = arg.IsConstant ? arg.ConstantValue : null;
  return typeof constant === 'string' ? constant : null;
}

/** Top-level `let name = <expr>;` statements (a syntax-only tree is enough). */
export function topLevelLets(root: Node, text: string): KqlLet[] {
  const S = kusto().Language.Syntax;
  if (!isInstance(root, S.QueryBlock)) return [];
  const lets: KqlLet[] = [];
  for (const stmt of separated<Node>(root.Statements)) {
    if (!isInstance(stmt, S.LetStatement) || !stmt.Name || !stmt.Expression) continue;
    const value = stmt.Expression;
    lets.push({
      name: stmt.Name.SimpleName ?? '',
      ...span(stmt.Name),
      valueStart: value.TextStart,
      valueLength: value.Width,
      valueText: text.slice(value.TextStart, value.End),
    });
  }
  return lets;
}

function starSpans(index: TreeIndex, text: string): KqlSpan[] {
  const out: KqlSpan[] = [];
  for (const op of index.searches) {
    const cond = op.Condition;
    if (!op.InClause && cond && text.slice(cond.TextStart, cond.End).trim() === '*') {
      out.push({ start: op.TextStart, length: cond.End - op.TextStart });
    }
  }
  for (const op of index.unions) {
    for (const e of separated<Expr>(op.Expressions)) {
      if (text.slice(e.TextStart, e.End).trim() === '*') out.push({ start: op.TextStart, length: e.End - op.TextStart });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export function extractFacts(root: Node, index: TreeIndex, text: string, knownTables: ReadonlySet<string>): Facts {
  const S = kusto().Language.Syntax;
  const Sym = kusto().Language.Symbols;
  const tables = new Set<string>();
  const functions = new Set<string>();
  for (const ref of index.names) {
    const sym = ref.ReferencedSymbol;
    if (isInstance(sym, Sym.TableSymbol) && sym.Name && knownTables.has(sym.Name)) tables.add(sym.Name);
    // Zero-argument functions may be called without parentheses (`TrustedNetworks`).
    if (isInstance(sym, Sym.FunctionSymbol) && sym.Name && !isInstance(ref.Parent, S.FunctionCallExpression)) functions.add(sym.Name);
  }
  const watchlistAliases: Facts['watchlistAliases'] = [];
  let maxAgoLookback: Facts['maxAgoLookback'] = null;
  for (const call of index.calls) {
    const name = callName(call);
    if (name) functions.add(name);
    const [arg] = callArgs(call);
    if (name === '_GetWatchlist') {
      const alias = watchlistAliasOf(arg);
      if (alias !== null && arg) watchlistAliases.push({ alias, ...span(arg) });
    } else if (name === 'ago' && arg && arg.IsConstant) {
      const ms = timespanMs(arg.ConstantValue);
      if (ms !== null && (!maxAgoLookback || ms > maxAgoLookback.ms)) maxAgoLookback = { ms, ...span(call) };
    }
  }
  return {
    tables: [...tables].sort(),
    functionsCalled: [...functions].sort(),
    watchlistAliases,
    lets: topLevelLets(root, text),
    maxAgoLookback,
    searchStar: starSpans(index, text),
  };
}

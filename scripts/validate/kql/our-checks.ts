/**
 * Checks the language service does not make: a string compared with a number literal
 * (`ResultType == 0` where ResultType is a string; Kusto does not convert) and `_GetWatchlist` aliases
 * that no watchlist in the repo defines.
 */
import { kindName, kusto, separated, span, typeName } from '../../kusto/syntax.ts';
import type { Expr, TreeIndex } from '../../kusto/syntax.ts';
import type { KqlDiagnostic } from '../../kusto/types.ts';

export const CODE_STRING_NUMBER = 'KQL-STRING-NUMBER';
export { CODE_UNKNOWN_WATCHLIST, CODE_WATCHLIST_ALIAS, watchlistAliasChecks } from '../../kusto/watchlists.ts';

const NUMERIC_LITERALS = new Set(['LongLiteralExpression', 'IntLiteralExpression', 'RealLiteralExpression', 'DecimalLiteralExpression']);
const COMPARISONS = new Set([
  'EqualExpression',
  'NotEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
]);
const IN_OPERATORS = new Set(['InExpression', 'NotInExpression']);

function isNumberLiteral(e: Expr | null): e is Expr {
  if (!e) return false;
  const kind = kindName(e);
  if (NUMERIC_LITERALS.has(kind)) return true;
  const S = kusto().Language.Syntax;
  return kind === 'UnaryMinusExpression' && e instanceof S.PrefixUnaryExpression && isNumberLiteral(e.Expression);
}

function describe(e: Expr, text: string): string {
  const t = text.slice(e.TextStart, e.End).replace(/\s+/g, ' ');
  return t.length > 40 ? t.slice(0, 37) + '...' : t;
}

function stringNumber(stringSide: Expr, literal: Expr, text: string): KqlDiagnostic {
  const num = text.slice(literal.TextStart, literal.End);
  return {
    ...span(literal),
    severity: 'error',
    code: CODE_STRING_NUMBER,
    message: `${describe(stringSide, text)} is a string but is compared with the number ${num}; compare with "${num}"`,
  };
}

export function stringNumberComparisons(index: TreeIndex, text: string): KqlDiagnostic[] {
  const out: KqlDiagnostic[] = [];
  for (const b of index.binaries) {
    if (!COMPARISONS.has(kindName(b)) || !b.Left || !b.Right) continue;
    if (typeName(b.Left) === 'string' && isNumberLiteral(b.Right)) out.push(stringNumber(b.Left, b.Right, text));
    else if (typeName(b.Right) === 'string' && isNumberLiteral(b.Left)) out.push(stringNumber(b.Right, b.Left, text));
  }
  for (const e of index.ins) {
    if (!IN_OPERATORS.has(kindName(e)) || !e.Left || typeName(e.Left) !== 'string') continue;
    for (const item of separated<Expr>(e.Right?.Expressions)) {
      if (isNumberLiteral(item)) out.push(stringNumber(e.Left, item, text));
    }
  }
  return out;
}

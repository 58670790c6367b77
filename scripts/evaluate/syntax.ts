/**
 * Evaluator values of syntax: literal and operator-parameter values in the evaluator's value
 * domain (`Value`). Tree access goes through the typed facade `scripts/kusto/syntax.ts`.
 */
import { elems, is, kindOf, literalRaw, simpleName, typeName, unbox } from '../kusto/syntax.ts';
import type { Element, Expr } from '../kusto/syntax.ts';
import type { Value } from './values.ts';
import { Timespan, parseDateTime, parseTimespan, TICKS_PER_MS } from './values.ts';

/** Type name of an analysed expression, `dynamic` when the analyzer has none. */
export function valueType(e: Element | null | undefined): string {
  return typeName(e) || 'dynamic';
}

/** Value of a literal expression (bool, int, long, real, decimal, string, datetime, timespan, guid, null). */
export function literalValue(node: Expr): Value {
  const raw = literalRaw(node);
  switch (kindOf(node)) {
    case 'DateTimeLiteralExpression':
      if (raw === null || raw === undefined) return null;
      if (raw instanceof Date) return new Date(raw.getTime());
      return parseDateTime(String(raw));
    case 'TimespanLiteralExpression': {
      if (raw === null || raw === undefined) return null;
      // time(0.12:34:56.7) is not always converted by the analyzer: parse the token text.
      const text = String(node.GetFirstToken()?.Text ?? '');
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
export function paramValue(node: Expr | null): Value {
  if (!node) return null;
  if (is(node, 'NameDeclaration') || is(node, 'NameReference')) return simpleName(node);
  if (kindOf(node) === 'TokenLiteralExpression') return String(literalRaw(node) ?? node.GetFirstToken()?.Text ?? '');
  return literalValue(node);
}

/** Named operator parameters (`kind=inner`, `isfuzzy=true`, `with_itemindex=i`), hints dropped. */
export function namedParams(list: Kusto.Language.Syntax.SyntaxList$1<Kusto.Language.Syntax.NamedParameter> | null): Map<string, Value> {
  const m = new Map<string, Value>();
  for (const p of elems(list)) {
    const name = simpleName(p.Name).toLowerCase();
    if (name.startsWith('hint.')) continue;
    m.set(name, paramValue(p.Expression));
  }
  return m;
}

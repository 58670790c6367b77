/**
 * Scalar expressions, compiled once per operator into closures over a row (`RowFn`). Tabular
 * sub-expressions (toscalar, `in (T)`, function calls) go back to the interpreter through `ScalarHost`.
 */
import { aggregates, rowSelectingAggregates } from './aggregates.ts';
import type { RowFn } from './aggregates.ts';
import type { Cx, Scope, Table } from './context.ts';
import { columnValues, firstValue } from './context.ts';
import type { EvaluationError } from './errors.ts';
import { scalarFunctions, flattenArgs } from './functions.ts';
import { has, stringPredicate } from './strings.ts';
import { literalValue, valueType } from './syntax.ts';
import { argsOf, as, calledBody, elems, firstTokenText, is, isTabular, kindOf, literalRaw, operatorText, referencesColumns, simpleName, symbolKindOf, typeName } from '../kusto/syntax.ts';
import type { Element, Expr, NodeOf } from '../kusto/syntax.ts';
import type { Value } from './values.ts';
import { Timespan, compareValues, isRecord, toReal, toStr, valueKey, valuesEqual } from './values.ts';

/** What scalar compilation needs from the interpreter: tabular evaluation, calls, positions. */
export interface ScalarHost {
  readonly now: Date;
  tabular(node: Expr | null, scope: Scope, implicit: Table | undefined): Table;
  tableCall(node: Expr, scope: Scope, piped: Table | undefined): Table;
  bindCall(node: Expr, scope: Scope, cx: Cx, piped: Table | undefined): { body: NodeOf<'FunctionBody'>; fnScope: Scope };
  withAnchor<T>(node: Element, f: () => T): T;
  unsupported(node: Element | null, construct?: string): EvaluationError;
  fail(node: Element | null, message: string): EvaluationError;
}

const stringOpKinds = /^(Not)?(Has|HasPrefix|HasSuffix|Contains|StartsWith|EndsWith)(Cs)?Expression$|^(MatchesRegex|EqualTilde|BangTilde)Expression$/;

export class ScalarCompiler {
  private readonly host: ScalarHost;
  constructor(host: ScalarHost) {
    this.host = host;
  }

  /** Evaluates a row-independent expression. */
  constant(node: Expr | null, scope: Scope): Value {
    return this.scalar(node, { cols: new Map(), scope })([]);
  }

  scalar(node: Expr | null, cx: Cx): RowFn {
    if (!node) throw this.host.fail(null, 'internal: missing scalar expression');
    const k = kindOf(node);
    if (/LiteralExpression$/.test(k) && k !== 'TokenLiteralExpression' && k !== 'TypeOfLiteralExpression' && k !== 'CompoundStringLiteralExpression') {
      const v = literalValue(node);
      return () => v;
    }
    switch (k) {
      case 'CompoundStringLiteralExpression': {
        const v = String(literalRaw(node) ?? '');
        return () => v;
      }
      case 'DynamicExpression': {
        const v = this.json(as(node, 'DynamicExpression').Expression);
        return () => v;
      }
      case 'ParenthesizedExpression':
        return this.scalar(as(node, 'ParenthesizedExpression').Expression, cx);
      case 'NameReference':
        return this.nameRef(as(node, 'NameReference'), cx);
      case 'PathExpression':
        return this.path(as(node, 'PathExpression'), cx);
      case 'ElementExpression':
        return this.element(as(node, 'ElementExpression'), cx);
      case 'FunctionCallExpression':
        return this.call(node, cx);
      case 'ToScalarExpression': {
        const expr = as(node, 'ToScalarExpression').Expression;
        let cached: { v: Value } | undefined;
        return () => (cached ??= { v: firstValue(this.host.tabular(expr, cx.scope, undefined)) }).v;
      }
      case 'UnaryMinusExpression': {
        const f = this.scalar(as(node, 'PrefixUnaryExpression').Expression, cx);
        return (r) => {
          const v = f(r);
          return v === null ? null : v instanceof Timespan ? new Timespan(-v.ms) : -(toReal(v) ?? 0);
        };
      }
      case 'UnaryPlusExpression':
        return this.scalar(as(node, 'PrefixUnaryExpression').Expression, cx);
      case 'AndExpression':
      case 'OrExpression': {
        const e = as(node, 'BinaryExpression');
        return this.logical(k === 'AndExpression', this.scalar(e.Left, cx), this.scalar(e.Right, cx));
      }
      case 'EqualExpression':
      case 'NotEqualExpression': {
        const e = as(node, 'BinaryExpression');
        const [a, b] = [this.scalar(e.Left, cx), this.scalar(e.Right, cx)];
        const neg = k === 'NotEqualExpression';
        const stringy = typeName(e.Left) === 'string' && typeName(e.Right) === 'string';
        return (r) => {
          const x = a(r);
          const y = b(r);
          // null-values (equality and inequality): null vs null is null; null vs a value is unequal.
          const eq = x === null && y === null ? null : x === null || y === null ? false : stringy ? toStr(x) === toStr(y) : valuesEqual(x, y);
          return eq === null ? null : neg ? !eq : eq;
        };
      }
      case 'LessThanExpression':
      case 'LessThanOrEqualExpression':
      case 'GreaterThanExpression':
      case 'GreaterThanOrEqualExpression': {
        const e = as(node, 'BinaryExpression');
        return this.comparison(k, this.scalar(e.Left, cx), this.scalar(e.Right, cx));
      }
      case 'AddExpression':
      case 'SubtractExpression':
      case 'MultiplyExpression':
      case 'DivideExpression':
      case 'ModuloExpression': {
        const e = as(node, 'BinaryExpression');
        return this.arithmetic(k, e, this.scalar(e.Left, cx), this.scalar(e.Right, cx));
      }
      case 'InExpression':
      case 'InCsExpression':
      case 'NotInExpression':
      case 'NotInCsExpression':
        return this.inList(as(node, 'InExpression'), cx);
      case 'HasAnyExpression':
        return this.hasList(as(node, 'HasAnyExpression'), cx, false);
      case 'HasAllExpression':
        return this.hasList(as(node, 'HasAllExpression'), cx, true);
      case 'BetweenExpression':
      case 'NotBetweenExpression':
        return this.between(as(node, 'BetweenExpression'), cx, k === 'NotBetweenExpression');
      default:
        if (stringOpKinds.test(k)) {
          const e = as(node, 'BinaryExpression');
          const opText = operatorText(e);
          const pred = stringPredicate(opText);
          if (!pred) throw this.host.unsupported(node, opText);
          const [a, b] = [this.scalar(e.Left, cx), this.scalar(e.Right, cx)];
          return (r) => pred(toStr(a(r)), toStr(b(r)));
        }
        throw this.host.unsupported(node, k === 'StarExpression' ? '*' : `${firstTokenText(node)} (${k})`);
    }
  }

  private json(node: Expr | null): Value {
    if (is(node, 'JsonObjectExpression')) {
      const o: Record<string, Value> = {};
      for (const p of elems(node.Pairs)) o[String(p.Name?.ValueText ?? p.Name?.Text)] = this.json(p.Value);
      return o;
    }
    if (is(node, 'JsonArrayExpression')) return elems(node.Values).map((v) => this.json(v));
    if (is(node, 'PrefixUnaryExpression') && kindOf(node) === 'UnaryMinusExpression') {
      const v = this.json(node.Expression);
      return typeof v === 'number' ? -v : v;
    }
    if (node && (node.IsLiteral || /LiteralExpression$/.test(kindOf(node)))) return literalValue(node);
    throw this.host.unsupported(node);
  }

  private nameRef(node: NodeOf<'NameReference'>, cx: Cx): RowFn {
    const name = simpleName(node);
    const sk = symbolKindOf(node.ReferencedSymbol);
    if (sk === 'Column') {
      const i = cx.cols.get(name);
      if (i === undefined) throw this.host.fail(node, `column ${name} is not available here`);
      return (r) => r[i]!;
    }
    const b = cx.scope.get(name);
    if (b?.kind === 'rowfn') return b.fn;
    if (b?.kind === 'table') {
      return () => firstValue(b.get());
    }
    if (sk === 'Function') return this.call(node, cx);
    throw this.host.fail(node, `'${name}' cannot be used as a scalar value`);
  }

  private path(node: NodeOf<'PathExpression'>, cx: Cx): RowFn {
    const side = simpleName(node.Expression);
    if (cx.sides && (side === '$left' || side === '$right')) {
      const name = simpleName(node.Selector);
      const i = (side === '$left' ? cx.sides.left : cx.sides.right).get(name);
      if (i === undefined) throw this.host.fail(node, `join: ${side} has no column ${name}`);
      return (r) => r[i]!;
    }
    const base = this.scalar(node.Expression, cx);
    const sel = node.Selector;
    if (is(sel, 'BracketedExpression')) return this.elementOf(base, this.scalar(sel.Expression, cx));
    const key = simpleName(sel);
    return (r) => member(base(r), key);
  }

  private element(node: NodeOf<'ElementExpression'>, cx: Cx): RowFn {
    return this.elementOf(this.scalar(node.Expression, cx), this.scalar(as(node.Selector, 'BracketedExpression').Expression, cx));
  }

  private elementOf(base: RowFn, sel: RowFn): RowFn {
    return (r) => {
      const v = base(r);
      const s = sel(r);
      if (typeof s === 'number') {
        const arr = typeof v === 'string' ? tryJson(v) : v;
        if (!Array.isArray(arr)) return null;
        const i = s < 0 ? arr.length + s : s;
        return arr[i] ?? null;
      }
      return member(v, toStr(s));
    };
  }

  private call(node: Expr, cx: Cx): RowFn {
    const name = simpleName(node);
    if (cx.agg && is(node, 'FunctionCallExpression') && (aggregates[name] || rowSelectingAggregates.has(name)) && !cx.scope.get(name)) {
      if (rowSelectingAggregates.has(name)) throw this.host.unsupported(node, `${name} inside an expression`);
      return cx.agg(node, name);
    }
    if (isTabular(node)) {
      const t = () => this.host.tableCall(node, cx.scope, undefined);
      let cached: Value | undefined;
      return () => (cached === undefined ? (cached = firstValue(t())) : cached);
    }
    if (calledBody(node)) {
      const { body, fnScope } = this.host.withAnchor(node, () => this.host.bindCall(node, cx.scope, cx, undefined));
      return this.host.withAnchor(node, () => this.scalar(body.Expression, { cols: cx.cols, scope: fnScope, ...(cx.agg ? { agg: cx.agg } : {}) }));
    }
    const args = argsOf(node);
    if (name === 'prev' || name === 'next' || name === 'row_number') return this.window(node, name, args, cx);
    if (name === 'ingestion_time' && !args.length) return this.ingestionTime(cx);
    if (name === 'column_ifexists') {
      const col = toStr(this.constant(args[0] ?? null, cx.scope));
      const i = cx.cols.get(col);
      return i === undefined ? this.scalar(args[1] ?? null, cx) : (r) => r[i]!;
    }
    const impl = scalarFunctions[name];
    if (!impl) throw this.host.unsupported(node, `function ${name}()`);
    const fns = args.map((a): RowFn => {
      if (kindOf(a) === 'TypeOfLiteralExpression') return () => null; // the analyzer's result type carries it
      if (isTabular(a)) {
        let cached: Value[] | undefined;
        return () => (cached ??= columnValues(this.host.tabular(a, cx.scope, undefined))) as Value;
      }
      return this.scalar(a, cx);
    });
    const info = { now: this.host.now, resultType: valueType(node), argTypes: args.map(valueType) };
    const stringResult = info.resultType === 'string';
    return (r) => {
      const v = impl(fns.map((f) => f(r)), info);
      return v === null && stringResult ? '' : v;
    };
  }

  /**
   * prev(col[, offset[, default]]), next(…), row_number([start]) over the operator's serialized rows
   * (prev-function, next-function, row-number-function). The analyzer rejects them on rows that are
   * not serialized; here an operator without a row cursor (summarize, join, …) fails loudly.
   */
  private window(node: Expr, name: string, args: Expr[], cx: Cx): RowFn {
    const serial = cx.serial;
    if (!serial) throw this.host.unsupported(node, `${name}() in this operator`);
    if (name === 'row_number') {
      // row_number([start[, restart]]): counts from `start`, back to `start` where `restart` is true.
      const start = args.length ? toReal(this.constant(args[0]!, cx.scope)) ?? 1 : 1;
      const restart = args[1] ? this.scalar(args[1], cx) : undefined;
      let n = start;
      let at = -1;
      return (r) => {
        if (serial.i !== at) {
          n = serial.i === 0 || at < 0 || serial.i < at || restart?.(r) === true ? start : n + (serial.i - at);
          at = serial.i;
        }
        return n;
      };
    }
    const col = this.scalar(args[0] ?? null, cx);
    const offset = args[1] ? toReal(this.constant(args[1], cx.scope)) ?? 1 : 1;
    const fallback = args[2] ? this.scalar(args[2], cx) : () => null;
    const dir = name === 'prev' ? -1 : 1;
    return (r) => {
      const j = serial.i + dir * offset;
      const row = j >= 0 && j < serial.rows.length ? serial.rows[j] : undefined;
      return row ? col(row) : fallback(r);
    };
  }

  /**
   * ingestion_time() (ingestion-time-function): the time the row was ingested. Fixture rows give it
   * in the Log Analytics column `_TimeReceived`; a row without one is taken as ingested at its
   * `TimeGenerated` (no delay); a table with neither has no ingestion time (null).
   */
  private ingestionTime(cx: Cx): RowFn {
    const received = cx.cols.get('_TimeReceived');
    const generated = cx.cols.get('TimeGenerated');
    return (r) => {
      const v = received !== undefined ? r[received] ?? null : null;
      if (v !== null) return v;
      return generated !== undefined ? r[generated] ?? null : null;
    };
  }

  private logical(and: boolean, a: RowFn, b: RowFn): RowFn {
    return (r) => {
      const x = a(r);
      if (and && x === false) return false;
      if (!and && x === true) return true;
      const y = b(r);
      if (and) return y === false ? false : x === null || y === null ? null : true;
      return y === true ? true : x === null || y === null ? null : false;
    };
  }

  private comparison(k: string, a: RowFn, b: RowFn): RowFn {
    const test =
      k === 'LessThanExpression' ? (c: number) => c < 0 : k === 'LessThanOrEqualExpression' ? (c: number) => c <= 0 : k === 'GreaterThanExpression' ? (c: number) => c > 0 : (c: number) => c >= 0;
    return (r) => {
      const x = a(r);
      const y = b(r);
      if (x === null || y === null) return null;
      const c = compareValues(x, y);
      return Number.isNaN(c) ? null : test(c);
    };
  }

  private arithmetic(k: string, node: Expr, a: RowFn, b: RowFn): RowFn {
    const integer = ['long', 'int'].includes(typeName(node));
    return (r) => arith(k, a(r), b(r), integer);
  }

  /**
   * Items of an `in`/`has_any` list: scalars, dynamic arrays (flattened) and tabular expressions
   * (first column). A list that does not depend on the row is computed once.
   */
  private rowList(node: NodeOf<'InExpression'> | NodeOf<'HasAnyExpression'> | NodeOf<'HasAllExpression'>, cx: Cx): { rowIndependent: boolean; items: (r: Value[]) => Value[] } {
    const exprs = elems(node.Right?.Expressions);
    const getters = exprs.map((e): ((r: Value[]) => Value[]) => {
      if (isTabular(e)) {
        let cached: Value[] | undefined;
        return () => (cached ??= columnValues(this.host.tabular(e, cx.scope, undefined)));
      }
      const f = this.scalar(e, cx);
      return (r) => flattenArgs([f(r)]);
    });
    const rowIndependent = exprs.every((e) => isTabular(e) || !referencesColumns(e));
    let cached: Value[] | undefined;
    const all = (r: Value[]): Value[] => getters.flatMap((g) => g(r));
    return { rowIndependent, items: rowIndependent ? (r) => (cached ??= all(r)) : all };
  }

  private inList(node: NodeOf<'InExpression'>, cx: Cx): RowFn {
    const op = operatorText(node).replace(/\s+/g, '');
    const ci = op.endsWith('~');
    const neg = op.startsWith('!');
    const left = this.scalar(node.Left, cx);
    const { rowIndependent, items } = this.rowList(node, cx);
    const key = (v: Value): string => (ci ? 's' + toStr(v).toLowerCase() : typeof v === 'string' || isRecord(v) || Array.isArray(v) ? 's' + toStr(v) : valueKey(v));
    let set: Set<string> | undefined;
    let listHasNull = false;
    return (r) => {
      const x = left(r);
      if (!rowIndependent || !set) {
        const all = items(r);
        listHasNull = all.some((v) => v === null);
        set = new Set(all.filter((v) => v !== null).map(key));
      }
      // null-values (in operator): `in` is an OR of equalities, `!in` an AND of inequalities, so a
      // null left side is false / true, or null when the list holds a null (null vs null is null).
      if (x === null) return listHasNull ? null : neg;
      const found = set.has(key(x));
      return neg ? !found : found;
    };
  }

  private hasList(node: NodeOf<'HasAnyExpression'> | NodeOf<'HasAllExpression'>, cx: Cx, all: boolean): RowFn {
    const left = this.scalar(node.Left, cx);
    const { items } = this.rowList(node, cx);
    return (r) => {
      const text = toStr(left(r));
      const needles = items(r).map((v) => toStr(v));
      return all ? needles.every((n) => has(text, n)) : needles.some((n) => has(text, n));
    };
  }

  private between(node: NodeOf<'BetweenExpression'>, cx: Cx, neg: boolean): RowFn {
    const x = this.scalar(node.Left, cx);
    const lo = this.scalar(node.Right?.First ?? null, cx);
    const hi = this.scalar(node.Right?.Second ?? null, cx);
    return (r) => {
      const v = x(r);
      const a = lo(r);
      let b = hi(r);
      if (v === null || a === null || b === null) return null;
      if (a instanceof Date && b instanceof Timespan) b = new Date(a.getTime() + b.ms);
      const inside = compareValues(v, a) >= 0 && compareValues(v, b) <= 0;
      return neg ? !inside : inside;
    };
  }
}

/* ------------------------------------------------------------------ helpers */

function tryJson(s: string): Value {
  try {
    return JSON.parse(s) as Value;
  } catch {
    return null;
  }
}

function member(v: Value, key: string): Value {
  const o = typeof v === 'string' ? tryJson(v) : v;
  if (isRecord(o)) return Object.prototype.hasOwnProperty.call(o, key) ? o[key]! : null;
  return null;
}

function arith(k: string, a: Value, b: Value, integer: boolean): Value {
  if (a === null || b === null) return null;
  const add = k === 'AddExpression';
  const sub = k === 'SubtractExpression';
  if (a instanceof Date) {
    if (b instanceof Timespan && (add || sub)) return new Date(a.getTime() + (add ? b.ms : -b.ms));
    if (b instanceof Date && sub) return new Timespan(a.getTime() - b.getTime());
    return null;
  }
  if (a instanceof Timespan) {
    if (b instanceof Timespan) {
      if (add) return new Timespan(a.ms + b.ms);
      if (sub) return new Timespan(a.ms - b.ms);
      if (k === 'DivideExpression') return b.ms === 0 ? null : a.ms / b.ms;
      if (k === 'ModuloExpression') return b.ms === 0 ? null : new Timespan(a.ms % b.ms);
      return null;
    }
    if (b instanceof Date && add) return new Date(b.getTime() + a.ms);
    const n = toReal(b);
    if (n === null) return null;
    if (k === 'MultiplyExpression') return new Timespan(a.ms * n);
    if (k === 'DivideExpression') return n === 0 ? null : new Timespan(a.ms / n);
    return null;
  }
  if (b instanceof Timespan) {
    const n = toReal(a);
    return n !== null && k === 'MultiplyExpression' ? new Timespan(n * b.ms) : null;
  }
  if (b instanceof Date) return null;
  const x = toReal(a);
  const y = toReal(b);
  if (x === null || y === null) return null;
  switch (k) {
    case 'AddExpression':
      return x + y;
    case 'SubtractExpression':
      return x - y;
    case 'MultiplyExpression':
      return x * y;
    case 'DivideExpression':
      if (integer) return y === 0 ? null : Math.trunc(x / y);
      return x / y;
    default:
      if (integer && y === 0) return null;
      return x % y;
  }
}

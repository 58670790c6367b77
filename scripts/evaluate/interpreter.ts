/**
 * Interprets the analysed syntax tree of one query over in-memory tables.
 *
 * Scalar expressions compile once per operator into closures over a row (`RowFn`), so a rule runs
 * over 100k rows without re-walking the tree. Output schemas (column names and types, including
 * generated names such as `count_`, `Column1` or join's `Name1`) come from the analyzer's
 * `ResultType`; the interpreter computes the values. Anything outside the supported subset throws
 * `not supported by the local evaluator: <construct> at line:col`.
 */
import { aggregates, argExtremeRow, rowSelectingAggregates } from './aggregates.ts';
import type { RowFn } from './aggregates.ts';
import { EvaluationError, errorAt, unsupportedAt } from './errors.ts';
import { scalarFunctions, flattenArgs } from './functions.ts';
import type { ColumnSpec } from './globals.ts';
import { has } from './strings.ts';
import { stringPredicate } from './strings.ts';
import {
  elems,
  firstTokenText,
  functionParameterNames,
  isTabular,
  kindOf,
  literalValue,
  namedParams,
  resultColumns,
  symbolKindOf,
  typeName,
} from './syntax.ts';
import type { Node } from './syntax.ts';
import { referencesColumns } from '../kusto/syntax.ts';
import type { Value } from './values.ts';
import { Timespan, castTo, coerce, compareValues, isRecord, toReal, toStr, valueKey, valuesEqual } from './values.ts';

export interface Table {
  columns: ColumnSpec[];
  rows: Value[][];
}

type Binding =
  | { kind: 'rowfn'; fn: RowFn }
  | { kind: 'table'; get: () => Table }
  | { kind: 'lambda'; scope: Scope };

class Scope {
  private readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Scope) {}
  set(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
  get(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
}

/** Compile context of a scalar expression: the input columns and the name scope. */
interface Cx {
  cols: Map<string, number>;
  scope: Scope;
  /** Inside summarize: compiles an aggregate call into a function of the current group. */
  agg?: (call: Node, name: string) => RowFn;
}

export interface InterpreterInput {
  text: string;
  root: Node;
  now: Date;
  /** Tables by name, already typed. */
  tables: Map<string, Table>;
  /** Watchlist items by alias, with the `_GetWatchlist` output schema. */
  watchlist(alias: string, columns: ColumnSpec[]): Table;
}

const nullOf = (type: string): Value => (type === 'string' ? '' : null);
const nullIfMissing = (v: Value, type: string): Value => (v === null ? nullOf(type) : v);
const colIndex = (cols: ColumnSpec[]): Map<string, number> => new Map(cols.map((c, i) => [c.name, i]));
const truthy = (v: Value): boolean => v === true;

const stringOpKinds = /^(Not)?(Has|HasPrefix|HasSuffix|Contains|StartsWith|EndsWith)(Cs)?Expression$|^(MatchesRegex|EqualTilde|BangTilde)Expression$/;

export class Interpreter {
  /** Call sites of the function bodies being evaluated: errors inside an expansion point at the call. */
  private readonly anchors: { offset: number; name: string }[] = [];
  private readonly globalScope = new Scope();

  constructor(private readonly input: InterpreterInput) {}

  run(): Table {
    const stmts = elems(this.input.root.Statements);
    const result = this.statements(stmts, this.globalScope, undefined);
    if (!result) throw errorAt(this.input.text, 0, 'the query has no tabular result (it contains only let statements)');
    return result;
  }

  /* ---------------------------------------------------------------- positions and errors */

  private offsetOf(node: Node): number {
    const anchor = this.anchorOf(node);
    return anchor ? anchor.offset : node?.TextStart ?? 0;
  }

  private anchorOf(node: Node): { offset: number; name: string } | undefined {
    return this.anchors.length && node?.Root !== this.input.root ? this.anchors[this.anchors.length - 1] : undefined;
  }

  unsupported(node: Node, construct?: string): EvaluationError {
    const anchor = this.anchorOf(node);
    const what = construct ?? `${firstTokenText(node)} (${kindOf(node)})`;
    return unsupportedAt(this.input.text, this.offsetOf(node), anchor ? `${what} in the body of ${anchor.name}()` : what);
  }

  private fail(node: Node, message: string): EvaluationError {
    return errorAt(this.input.text, this.offsetOf(node), message);
  }

  /* ---------------------------------------------------------------- statements */

  private statements(stmts: Node[], scope: Scope, implicit: Table | undefined): Table | undefined {
    let result: Table | undefined;
    for (const s of stmts) {
      const k = kindOf(s);
      if (k === 'LetStatement') this.let(s, scope);
      else if (k === 'ExpressionStatement') result = this.tabular(s.Expression, scope, implicit);
      else throw this.unsupported(s);
    }
    return result;
  }

  private let(stmt: Node, scope: Scope): void {
    const name: string = stmt.Name.SimpleName;
    const expr = stmt.Expression;
    const k = kindOf(expr);
    if (k === 'FunctionDeclaration') {
      scope.set(name, { kind: 'lambda', scope });
    } else if (isTabular(expr) || k === 'MaterializeExpression') {
      let cached: Table | undefined;
      scope.set(name, { kind: 'table', get: () => (cached ??= this.tabular(expr, scope, undefined)) });
    } else {
      scope.set(name, { kind: 'rowfn', fn: this.scalar(expr, { cols: new Map(), scope }) });
    }
  }

  /* ---------------------------------------------------------------- tabular expressions */

  tabular(node: Node, scope: Scope, implicit: Table | undefined): Table {
    const k = kindOf(node);
    switch (k) {
      case 'PipeExpression':
        return this.operator(node.Operator, this.tabular(node.Expression, scope, implicit), scope);
      case 'ParenthesizedExpression':
      case 'MaterializeExpression':
      case 'MvApplySubqueryExpression':
        return this.tabular(node.Expression, scope, implicit);
      case 'NameReference':
        return this.namedTable(node, scope);
      case 'DataTableExpression':
        return this.datatable(node, scope);
      case 'PrintOperator':
        return this.project(node, { columns: [], rows: [[]] }, scope);
      case 'RangeOperator':
        return this.range(node, scope);
      case 'UnionOperator':
        return this.union(node, implicit, scope);
      case 'FunctionCallExpression':
        return this.tableCall(node, scope, undefined);
      default:
        if (implicit && /Operator$/.test(k)) return this.operator(node, implicit, scope);
        throw this.unsupported(node);
    }
  }

  private namedTable(node: Node, scope: Scope): Table {
    const name: string = node.SimpleName;
    const sym = node.ReferencedSymbol;
    const sk = symbolKindOf(sym);
    const b = scope.get(name);
    if (b?.kind === 'table' && sk !== 'Table') return b.get();
    if (sk === 'Table') {
      const t = this.input.tables.get(name);
      if (t) return t;
      return { columns: resultColumns(node), rows: [] };
    }
    if (sk === 'Function') return this.tableCall(node, scope, undefined);
    throw this.fail(node, `'${name}' is not a table`);
  }

  private datatable(node: Node, scope: Scope): Table {
    const columns = resultColumns(node);
    const values = elems(node.Values).map((v) => this.constant(v, scope));
    if (values.length % Math.max(columns.length, 1) !== 0) throw this.fail(node, 'datatable: the number of values is not a multiple of the number of columns');
    const rows: Value[][] = [];
    for (let i = 0; i < values.length; i += columns.length) rows.push(columns.map((c, j) => coerce(values[i + j], c.type) ?? nullOf(c.type)));
    return { columns, rows };
  }

  private range(node: Node, scope: Scope): Table {
    const columns = resultColumns(node);
    const from = this.constant(node.From, scope);
    const to = this.constant(node.To, scope);
    const step = this.constant(node.Step, scope);
    const rows: Value[][] = [];
    const add = (v: Value, s: Value): Value =>
      v instanceof Date && s instanceof Timespan ? new Date(v.getTime() + s.ms) : v instanceof Timespan && s instanceof Timespan ? new Timespan(v.ms + s.ms) : (toReal(v) ?? 0) + (toReal(s) ?? 0);
    for (let v = from; v !== null && compareValues(v, to) <= 0 && rows.length < 1_000_000; v = add(v, step)) rows.push([v]);
    return { columns, rows };
  }

  /** Calls a user-defined (let lambda or saved) function or `_GetWatchlist` in a tabular position. */
  private tableCall(node: Node, scope: Scope, piped: Table | undefined): Table {
    const name: string = node.Name?.SimpleName ?? node.SimpleName;
    if (name === '_GetWatchlist' && !scope.get(name)) {
      const alias = toStr(this.constant(elems(node.ArgumentList?.Expressions)[0], scope));
      return this.input.watchlist(alias, resultColumns(node));
    }
    const { body, fnScope } = this.withAnchor(node, () => this.bindCall(node, scope, { cols: new Map(), scope }, piped));
    return this.withAnchor(node, () => this.tabular(body.Expression, fnScope, undefined));
  }

  private withAnchor<T>(node: Node, f: () => T): T {
    const pushed = node?.Root === this.input.root || !this.anchors.length;
    if (pushed) this.anchors.push({ offset: node.TextStart, name: String(node.Name?.SimpleName ?? node.SimpleName ?? 'function') });
    try {
      return f();
    } finally {
      if (pushed) this.anchors.pop();
    }
  }

  /** Binds a call's arguments to the callee's parameters; returns the expanded body and its scope. */
  private bindCall(node: Node, scope: Scope, cx: Cx, piped: Table | undefined): { body: Node; fnScope: Scope } {
    const body = node.GetCalledFunctionBody?.();
    if (!body) throw this.unsupported(node, `function ${node.Name?.SimpleName ?? node.SimpleName}`);
    const name: string = node.Name?.SimpleName ?? node.SimpleName;
    const lambda = scope.get(name);
    const fnScope = new Scope(lambda?.kind === 'lambda' ? lambda.scope : this.globalScope);
    const params = functionParameterNames(node);
    const args: Node[] = elems(node.ArgumentList?.Expressions);
    let p = 0;
    if (piped) fnScope.set(params[p++]!, { kind: 'table', get: () => piped });
    for (const arg of args) {
      const pname = params[p++];
      if (pname === undefined) throw this.fail(arg, `too many arguments for ${name}`);
      if (isTabular(arg)) {
        let cached: Table | undefined;
        fnScope.set(pname, { kind: 'table', get: () => (cached ??= this.tabular(arg, scope, undefined)) });
      } else fnScope.set(pname, { kind: 'rowfn', fn: this.scalar(arg, cx) });
    }
    if (p < params.length) throw this.unsupported(node, `default parameter values of ${name}`);
    for (const s of elems(body.Statements)) {
      if (kindOf(s) !== 'LetStatement') throw this.unsupported(s);
      this.withAnchor(node, () => this.let(s, fnScope));
    }
    return { body, fnScope };
  }

  /* ---------------------------------------------------------------- query operators */

  private operator(op: Node, input: Table, scope: Scope): Table {
    const k = kindOf(op);
    switch (k) {
      case 'FilterOperator': {
        const pred = this.scalar(op.Condition, this.cx(input, scope));
        return { columns: input.columns, rows: input.rows.filter((r) => truthy(pred(r))) };
      }
      case 'ExtendOperator':
        return this.extend(op, input, scope);
      case 'ProjectOperator':
        return this.project(op, input, scope);
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator':
        return this.byName(input, resultColumns(op), new Map());
      case 'ProjectRenameOperator': {
        const renames = new Map<string, string>();
        for (const e of elems(op.Expressions)) renames.set(e.Name.SimpleName, e.Expression.SimpleName);
        return this.byName(input, resultColumns(op), renames);
      }
      case 'SummarizeOperator':
        return this.summarize(op, input, scope);
      case 'JoinOperator':
        return this.join(op, input, scope);
      case 'LookupOperator':
        return this.lookup(op, input, scope);
      case 'UnionOperator':
        return this.union(op, input, scope);
      case 'DistinctOperator':
        return this.distinct(op, input);
      case 'SortOperator':
        return { columns: input.columns, rows: this.sorted(elems(op.Expressions), input, scope) };
      case 'TopOperator': {
        const n = this.count(op.Expression, scope);
        return { columns: input.columns, rows: this.sorted([op.ByExpression], input, scope).slice(0, n) };
      }
      case 'TakeOperator':
        return { columns: input.columns, rows: input.rows.slice(0, this.count(op.Expression, scope)) };
      case 'CountOperator':
        return { columns: resultColumns(op), rows: [[input.rows.length]] };
      case 'MvExpandOperator':
        return this.mvExpand(op, input, scope);
      case 'MvApplyOperator':
        return this.mvApply(op, input, scope);
      case 'InvokeOperator':
        return this.tableCall(op.Function, scope, input);
      case 'SerializeOperator':
        if (elems(op.Expressions).length) throw this.unsupported(op, 'serialize with expressions');
        return input;
      case 'AsOperator':
        return input;
      default:
        throw this.unsupported(op);
    }
  }

  private cx(input: Table, scope: Scope): Cx {
    return { cols: colIndex(input.columns), scope };
  }

  private count(node: Node, scope: Scope): number {
    const n = toReal(this.constant(node, scope));
    if (n === null || n < 0) throw this.fail(node, 'expected a non-negative row count');
    return Math.floor(n);
  }

  /** Output columns taken by name from the input (project-away/keep/reorder/rename, distinct). */
  private byName(input: Table, columns: ColumnSpec[], renames: Map<string, string>): Table {
    const idx = colIndex(input.columns);
    const src = columns.map((c) => idx.get(renames.get(c.name) ?? c.name) ?? -1);
    return { columns, rows: input.rows.map((r) => src.map((i) => (i < 0 ? null : r[i]!))) };
  }

  private extend(op: Node, input: Table, scope: Scope): Table {
    const columns = resultColumns(op);
    const idx = colIndex(columns);
    const fresh = columns.filter((c) => !input.columns.some((i) => i.name === c.name)).map((c) => c.name);
    const cx: Cx = { cols: idx, scope };
    const assigns: { at: number; fn: RowFn; type: string }[] = [];
    let unnamed = 0;
    for (const e of elems(op.Expressions)) {
      const named = kindOf(e) === 'SimpleNamedExpression';
      if (kindOf(e) === 'CompoundNamedExpression') throw this.unsupported(e, 'extend (a, b) = …');
      const name = named ? e.Name.SimpleName : kindOf(e) === 'NameReference' ? e.SimpleName : fresh[unnamed++];
      const at = idx.get(name);
      if (at === undefined) throw this.fail(e, `cannot place extended column ${name}`);
      assigns.push({ at, fn: this.scalar(named ? e.Expression : e, cx), type: columns[at]!.type });
    }
    const from = input.columns.map((c) => idx.get(c.name)!);
    const rows = input.rows.map((r) => {
      const out: Value[] = new Array(columns.length).fill(null);
      for (let i = 0; i < from.length; i++) out[from[i]!] = r[i]!;
      for (const a of assigns) out[a.at] = this.typed(a.fn(out), a.type);
      return out;
    });
    return { columns, rows };
  }

  private typed(v: Value, type: string): Value {
    if (v === null) return nullOf(type);
    if (type === 'dynamic' || type === 'string' || type === 'bool') return v;
    if ((type === 'long' || type === 'int') && typeof v === 'number') return v;
    if (type === 'real' && typeof v === 'number') return v;
    return v instanceof Date || v instanceof Timespan ? v : coerce(v, type);
  }

  /** project / print: one output column per expression, in order. */
  private project(op: Node, input: Table, scope: Scope): Table {
    const columns = resultColumns(op);
    const exprs = elems(op.Expressions);
    const cx = this.cx(input, scope);
    if (exprs.some((e) => kindOf(e) === 'NameReference' && kindOf(e.Name) === 'WildcardedName')) {
      return this.byName(input, columns, new Map());
    }
    if (exprs.length !== columns.length) throw this.unsupported(op, `${firstTokenText(op)} with multi-column expressions`);
    const fns = exprs.map((e) => {
      if (kindOf(e) === 'CompoundNamedExpression') throw this.unsupported(e, '(a, b) = …');
      return this.scalar(kindOf(e) === 'SimpleNamedExpression' ? e.Expression : e, cx);
    });
    return { columns, rows: input.rows.map((r) => fns.map((f, i) => this.typed(f(r), columns[i]!.type))) };
  }

  private distinct(op: Node, input: Table): Table {
    const t = this.byName(input, resultColumns(op), new Map());
    const seen = new Set<string>();
    return { columns: t.columns, rows: t.rows.filter((r) => !seen.has(rowKey(r)) && !!seen.add(rowKey(r))) };
  }

  private sorted(ordered: Node[], input: Table, scope: Scope): Value[][] {
    const cx = this.cx(input, scope);
    const keys = ordered.map((o) => {
      const isOrdered = kindOf(o) === 'OrderedExpression';
      const expr = isOrdered ? o.Expression : o;
      const dirText = isOrdered ? String(o.Ordering?.AscOrDescKeyword?.Text ?? '').toLowerCase() : '';
      const asc = dirText === 'asc';
      const nullsText = isOrdered ? String(o.Ordering?.NullsClause?.FirstOrLastKeyword?.Text ?? '').toLowerCase() : '';
      const nullsFirst = nullsText ? nullsText === 'first' : asc;
      return { fn: this.scalar(expr, cx), asc, nullsFirst };
    });
    const decorated = input.rows.map((r, i) => ({ r, i, k: keys.map((k) => k.fn(r)) }));
    decorated.sort((a, b) => {
      for (let j = 0; j < keys.length; j++) {
        const x = a.k[j]!;
        const y = b.k[j]!;
        const key = keys[j]!;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === key.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c) return key.asc ? c : -c;
      }
      return a.i - b.i;
    });
    return decorated.map((d) => d.r);
  }

  private summarize(op: Node, input: Table, scope: Scope): Table {
    const columns = resultColumns(op);
    const byExprs = elems(op.ByClause?.Expressions);
    const aggExprs = elems(op.Aggregates);
    const cx = this.cx(input, scope);
    const byFns = byExprs.map((e) => this.scalar(kindOf(e) === 'SimpleNamedExpression' ? e.Expression : e, cx));
    const group = { rows: [] as Value[][] };
    const aggCx: Cx = {
      ...cx,
      agg: (call, name) => {
        const args = elems(call.ArgumentList?.Expressions);
        if (args.some((a) => kindOf(a) === 'StarExpression')) throw this.unsupported(call, `${name}(*)`);
        const fns = args.map((a) => this.scalar(a, cx));
        const impl = aggregates[name]!;
        const type = typeName(call);
        return () => impl(group.rows, fns, type);
      },
    };
    // Each aggregate produces one value, or several for arg_max/arg_min.
    type Producer = { width: number; make: () => Value[] };
    const fixedWidth = aggExprs.reduce((n, e) => n + (this.argSelect(e) ? 0 : 1), 0);
    const producers: Producer[] = [];
    let at = byExprs.length;
    for (const e of aggExprs) {
      const sel = this.argSelect(e);
      if (!sel) {
        const fn = this.scalar(kindOf(e) === 'SimpleNamedExpression' ? e.Expression : e, aggCx);
        producers.push({ width: 1, make: () => [fn([])] });
        at++;
        continue;
      }
      const args = elems(sel.call.ArgumentList.Expressions);
      const keyFn = this.scalar(args[0], cx);
      const star = args.some((a: Node) => kindOf(a) === 'StarExpression');
      const otherArgWidth = aggExprs.filter((x) => x !== e && this.argSelect(x)).reduce((n, x) => n + elems(this.argSelect(x)!.call.ArgumentList.Expressions).length, 0);
      const width = star ? columns.length - byExprs.length - fixedWidth - otherArgWidth + 0 : args.length;
      const outCols = columns.slice(at, at + width);
      const inIdx = colIndex(input.columns);
      const valueFns: RowFn[] = star
        ? [keyFn, ...outCols.slice(1).map((c) => {
            const i = inIdx.get(c.name);
            if (i === undefined) throw this.unsupported(sel.call, `${sel.name}(*) column ${c.name}`);
            return (r: Value[]) => r[i]!;
          })]
        : args.map((a: Node) => this.scalar(a, cx));
      const sign = sel.name === 'arg_max' ? 1 : -1;
      producers.push({
        width,
        make: () => {
          const i = argExtremeRow(group.rows, keyFn, sign);
          return valueFns.map((f) => (i < 0 ? null : f(group.rows[i]!)));
        },
      });
      at += width;
    }
    if (at !== columns.length) throw this.unsupported(op, 'this summarize shape');
    const groups = new Map<string, { key: Value[]; rows: Value[][] }>();
    for (const r of input.rows) {
      const key = byFns.map((f) => f(r));
      const k = rowKey(key);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { key, rows: [] }));
      g.rows.push(r);
    }
    if (!byExprs.length && !groups.size) groups.set('', { key: [], rows: [] });
    const rows: Value[][] = [];
    for (const g of groups.values()) {
      group.rows = g.rows;
      const row = [...g.key];
      for (const p of producers) row.push(...p.make());
      rows.push(row.map((v, i) => this.typed(v, columns[i]!.type)));
    }
    return { columns, rows };
  }

  private argSelect(e: Node): { call: Node; name: string } | undefined {
    const expr = kindOf(e) === 'SimpleNamedExpression' ? e.Expression : e;
    if (kindOf(expr) !== 'FunctionCallExpression') return undefined;
    const name = expr.Name.SimpleName;
    return rowSelectingAggregates.has(name) ? { call: expr, name } : undefined;
  }

  /** Key columns of a join/lookup `on` clause as (left index, right index) pairs. */
  private joinKeys(clause: Node, left: Table, right: Table): { l: number[]; r: number[] } {
    if (kindOf(clause) !== 'JoinOnClause') throw this.unsupported(clause, 'join … where');
    const li = colIndex(left.columns);
    const ri = colIndex(right.columns);
    const l: number[] = [];
    const r: number[] = [];
    const side = (p: Node): { side: string; name: string } | undefined =>
      kindOf(p) === 'PathExpression' ? { side: String(p.Expression.SimpleName).toLowerCase(), name: p.Selector.SimpleName } : undefined;
    for (const e of elems(clause.Expressions)) {
      const k = kindOf(e);
      let pair: [string, string] | undefined;
      if (k === 'NameReference') pair = [e.SimpleName, e.SimpleName];
      else if (k === 'EqualExpression') {
        const a = side(e.Left);
        const b = side(e.Right);
        if (a && b && a.side === '$left' && b.side === '$right') pair = [a.name, b.name];
        else if (a && b && a.side === '$right' && b.side === '$left') pair = [b.name, a.name];
      }
      if (!pair) throw this.unsupported(e, 'this join condition');
      const x = li.get(pair[0]);
      const y = ri.get(pair[1]);
      if (x === undefined || y === undefined) throw this.fail(e, `join key ${pair[0]}/${pair[1]} not found`);
      l.push(x);
      r.push(y);
    }
    return { l, r };
  }

  private join(op: Node, left: Table, scope: Scope): Table {
    const params = namedParams(op.Parameters);
    const kind = String(params.get('kind') ?? 'innerunique').toLowerCase();
    const right = this.tabular(op.Expression, scope, undefined);
    const columns = resultColumns(op);
    const { l, r } = this.joinKeys(op.ConditionClause, left, right);
    const keyOf = (row: Value[], idx: number[]): string | undefined => {
      const vals = idx.map((i) => row[i]!);
      return vals.some((v) => v === null) ? undefined : rowKey(vals);
    };
    let leftRows = left.rows;
    if (kind === 'innerunique') {
      const seen = new Set<string>();
      leftRows = leftRows.filter((row) => {
        const k = keyOf(row, l) ?? '\u0000' + seen.size;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    const index = new Map<string, Value[][]>();
    right.rows.forEach((row) => {
      const k = keyOf(row, r);
      if (k === undefined) return;
      const list = index.get(k);
      if (list) list.push(row);
      else index.set(k, [row]);
    });
    const nullRight = right.columns.map((c) => nullOf(c.type));
    const nullLeft = left.columns.map((c) => nullOf(c.type));
    const rows: Value[][] = [];
    const matchedRight = new Set<Value[]>();
    for (const lr of leftRows) {
      const k = keyOf(lr, l);
      const matches = k === undefined ? undefined : index.get(k);
      switch (kind) {
        case 'inner':
        case 'innerunique':
          for (const rr of matches ?? []) rows.push([...lr, ...rr]);
          break;
        case 'leftouter':
        case 'fullouter':
        case 'rightouter':
          if (matches) {
            for (const rr of matches) {
              rows.push([...lr, ...rr]);
              matchedRight.add(rr);
            }
          } else if (kind !== 'rightouter') rows.push([...lr, ...nullRight]);
          break;
        case 'leftanti':
        case 'anti':
        case 'leftantisemi':
          if (!matches) rows.push(lr);
          break;
        case 'leftsemi':
          if (matches) rows.push(lr);
          break;
        case 'rightanti':
        case 'rightantisemi':
        case 'rightsemi':
          for (const rr of matches ?? []) matchedRight.add(rr);
          break;
        default:
          throw this.unsupported(op, `join kind=${kind}`);
      }
    }
    if (kind === 'rightouter' || kind === 'fullouter') for (const rr of right.rows) if (!matchedRight.has(rr)) rows.push([...nullLeft, ...rr]);
    if (kind === 'rightanti' || kind === 'rightantisemi') rows.push(...right.rows.filter((rr) => !matchedRight.has(rr)));
    if (kind === 'rightsemi') rows.push(...right.rows.filter((rr) => matchedRight.has(rr)));
    if (rows.length && rows[0]!.length !== columns.length) throw this.unsupported(op, `join kind=${kind} output shape`);
    return { columns, rows };
  }

  private lookup(op: Node, left: Table, scope: Scope): Table {
    const params = namedParams(op.Parameters);
    const kind = String(params.get('kind') ?? 'leftouter').toLowerCase();
    const right = this.tabular(op.Expression, scope, undefined);
    const columns = resultColumns(op);
    const { l, r } = this.joinKeys(op.LookupClause, left, right);
    const keep = right.columns.map((_, i) => i).filter((i) => !r.includes(i));
    const index = new Map<string, Value[][]>();
    for (const row of right.rows) {
      const vals = r.map((i) => row[i]!);
      if (vals.some((v) => v === null)) continue;
      const k = rowKey(vals);
      index.set(k, [...(index.get(k) ?? []), row]);
    }
    const rows: Value[][] = [];
    for (const lr of left.rows) {
      const vals = l.map((i) => lr[i]!);
      const matches = vals.some((v) => v === null) ? undefined : index.get(rowKey(vals));
      if (matches) for (const rr of matches) rows.push([...lr, ...keep.map((i) => rr[i]!)]);
      else if (kind === 'leftouter') rows.push([...lr, ...keep.map((i) => nullOf(right.columns[i]!.type))]);
    }
    if (left.columns.length + keep.length !== columns.length) throw this.unsupported(op, 'lookup output shape');
    return { columns, rows };
  }

  private union(op: Node, input: Table | undefined, scope: Scope): Table {
    const params = namedParams(op.Parameters);
    const fuzzy = params.get('isfuzzy') === true;
    const source = params.get('withsource') as string | null | undefined;
    let columns = resultColumns(op);
    const parts: { name: string; table: Table }[] = [];
    if (input) parts.push({ name: 'union_arg0', table: input });
    for (const e of elems(op.Expressions)) {
      // isfuzzy: tables that do not exist (no symbol) are skipped, as in a workspace without them.
      if (fuzzy && (!e.ResultType || (kindOf(e) === 'NameReference' && !e.ReferencedSymbol))) continue;
      if (kindOf(e) === 'NameReference' && kindOf(e.Name) === 'WildcardedName') throw this.unsupported(e, 'union with wildcard table names');
      parts.push({ name: kindOf(e) === 'NameReference' ? e.SimpleName : `union_arg${parts.length}`, table: this.tabular(e, scope, undefined) });
    }
    if (String(params.get('kind') ?? '').toLowerCase() === 'inner') {
      columns = columns.filter((c) => c.name === source || parts.every((p) => p.table.columns.some((x) => x.name === c.name)));
    }
    const rows: Value[][] = [];
    for (const p of parts) {
      const idx = colIndex(p.table.columns);
      const src = columns.map((c) => (source && c.name === source ? -2 : idx.get(c.name) ?? idx.get(c.name.replace(/_(string|long|int|real|decimal|bool|datetime|timespan|dynamic|guid)$/, '')) ?? -1));
      for (const r of p.table.rows) rows.push(src.map((i, j) => (i === -2 ? p.name : i < 0 ? nullOf(columns[j]!.type) : r[i]!)));
    }
    return { columns, rows };
  }

  /** Values an mv-expand/mv-apply expression expands to for one row. */
  private expansion(v: Value, bagAsArray: boolean): Value[] {
    if (Array.isArray(v)) return v;
    if (isRecord(v)) return Object.entries(v).map(([k, x]) => (bagAsArray ? [k, x] : { [k]: x }));
    // null → one record holding null; an empty array or bag → no record (mv-expand docs).
    return [v];
  }

  private expansionSpecs(list: Node, input: Table, scope: Scope): { name: string; fn: RowFn; type: string }[] {
    const cx = this.cx(input, scope);
    return elems(list).map((e) => {
      const inner = e.Expression;
      const named = kindOf(inner) === 'SimpleNamedExpression';
      const toType: string = e.ToTypeOf?.TypeOf?.ReferencedSymbol?.Name ?? 'dynamic';
      return { name: named ? inner.Name.SimpleName : inner.SimpleName, fn: this.scalar(named ? inner.Expression : inner, cx), type: toType };
    });
  }

  private mvExpand(op: Node, input: Table, scope: Scope): Table {
    const params = namedParams(op.Parameters);
    const bagAsArray = String(params.get('kind') ?? params.get('bagexpansion') ?? '').toLowerCase() === 'array';
    const indexCol = params.get('with_itemindex') as string | undefined;
    const limit = op.RowLimitClause ? this.count(op.RowLimitClause.RowLimit, scope) : Infinity;
    const specs = this.expansionSpecs(op.Expressions, input, scope);
    const columns = resultColumns(op);
    const inIdx = colIndex(input.columns);
    const specAt = new Map(specs.map((s, i) => [s.name, i]));
    const rows: Value[][] = [];
    for (const r of input.rows) {
      const lists = specs.map((s) => this.expansion(s.fn(r), bagAsArray));
      const n = Math.min(limit, Math.max(0, ...lists.map((l) => l.length)));
      for (let i = 0; i < n; i++) {
        rows.push(
          columns.map((c) => {
            const si = specAt.get(c.name);
            if (si !== undefined) return nullIfMissing(castTo(lists[si]![i] ?? null, specs[si]!.type), c.type);
            if (c.name === indexCol) return i;
            const at = inIdx.get(c.name);
            return at === undefined ? nullOf(c.type) : r[at]!;
          }),
        );
      }
    }
    return { columns, rows };
  }

  private mvApply(op: Node, input: Table, scope: Scope): Table {
    const params = namedParams(op.Parameters);
    const indexCol = params.get('with_itemindex') as string | undefined;
    const limit = op.RowLimitClause ? this.count(op.RowLimitClause.RowLimit, scope) : Infinity;
    if (op.ContextIdClause) throw this.unsupported(op.ContextIdClause, 'mv-apply id=');
    const specs = this.expansionSpecs(op.Expressions, input, scope);
    const columns = resultColumns(op);
    const subColumns: ColumnSpec[] = [
      ...input.columns.filter((c) => !specs.some((s) => s.name === c.name)),
      ...specs.map((s) => ({ name: s.name, type: s.type })),
      ...(indexCol ? [{ name: indexCol, type: 'long' }] : []),
    ];
    const inIdx = colIndex(input.columns);
    const rows: Value[][] = [];
    for (const r of input.rows) {
      const lists = specs.map((s) => this.expansion(s.fn(r), false));
      const n = Math.min(limit, Math.max(0, ...lists.map((l) => l.length)));
      const subRows: Value[][] = [];
      for (let i = 0; i < n; i++) {
        subRows.push(
          subColumns.map((c) => {
            const si = specs.findIndex((s) => s.name === c.name);
            if (si >= 0) return castTo(lists[si]![i] ?? null, c.type);
            if (c.name === indexCol) return i;
            return r[inIdx.get(c.name)!]!;
          }),
        );
      }
      const result = this.tabular(op.Subquery, scope, { columns: subColumns, rows: subRows });
      const resIdx = colIndex(result.columns);
      for (const rr of result.rows) {
        rows.push(
          columns.map((c) => {
            const i = resIdx.get(c.name);
            if (i !== undefined) return rr[i]!;
            const j = inIdx.get(c.name);
            return j === undefined ? nullOf(c.type) : r[j]!;
          }),
        );
      }
    }
    return { columns, rows };
  }

  /* ---------------------------------------------------------------- scalar expressions */

  /** Evaluates a row-independent expression. */
  constant(node: Node, scope: Scope): Value {
    return this.scalar(node, { cols: new Map(), scope })([]);
  }

  scalar(node: Node, cx: Cx): RowFn {
    const k = kindOf(node);
    if (/LiteralExpression$/.test(k) && k !== 'TokenLiteralExpression' && k !== 'TypeOfLiteralExpression' && k !== 'CompoundStringLiteralExpression') {
      const v = literalValue(node);
      return () => v;
    }
    switch (k) {
      case 'CompoundStringLiteralExpression': {
        const v = String(node.LiteralValue ?? '');
        return () => v;
      }
      case 'DynamicExpression': {
        const v = this.json(node.Expression);
        return () => v;
      }
      case 'ParenthesizedExpression':
        return this.scalar(node.Expression, cx);
      case 'NameReference':
        return this.nameRef(node, cx);
      case 'PathExpression':
        return this.path(node, cx);
      case 'ElementExpression':
        return this.element(node, cx);
      case 'FunctionCallExpression':
        return this.call(node, cx);
      case 'ToScalarExpression': {
        let cached: { v: Value } | undefined;
        return () => (cached ??= { v: firstValue(this.tabular(node.Expression, cx.scope, undefined)) }).v;
      }
      case 'UnaryMinusExpression': {
        const f = this.scalar(node.Expression, cx);
        return (r) => {
          const v = f(r);
          return v === null ? null : v instanceof Timespan ? new Timespan(-v.ms) : -(toReal(v) ?? 0);
        };
      }
      case 'UnaryPlusExpression':
        return this.scalar(node.Expression, cx);
      case 'AndExpression':
      case 'OrExpression':
        return this.logical(k === 'AndExpression', this.scalar(node.Left, cx), this.scalar(node.Right, cx));
      case 'EqualExpression':
      case 'NotEqualExpression': {
        const [a, b] = [this.scalar(node.Left, cx), this.scalar(node.Right, cx)];
        const neg = k === 'NotEqualExpression';
        const stringy = typeName(node.Left) === 'string' && typeName(node.Right) === 'string';
        return (r) => {
          const x = a(r);
          const y = b(r);
          const eq = stringy ? toStr(x) === toStr(y) : valuesEqual(x, y);
          return eq === null ? null : neg ? !eq : eq;
        };
      }
      case 'LessThanExpression':
      case 'LessThanOrEqualExpression':
      case 'GreaterThanExpression':
      case 'GreaterThanOrEqualExpression':
        return this.comparison(k, this.scalar(node.Left, cx), this.scalar(node.Right, cx));
      case 'AddExpression':
      case 'SubtractExpression':
      case 'MultiplyExpression':
      case 'DivideExpression':
      case 'ModuloExpression':
        return this.arithmetic(k, node, this.scalar(node.Left, cx), this.scalar(node.Right, cx));
      case 'InExpression':
      case 'InCsExpression':
      case 'NotInExpression':
      case 'NotInCsExpression':
        return this.inList(node, cx);
      case 'HasAnyExpression':
      case 'HasAllExpression':
        return this.hasList(node, cx, k === 'HasAllExpression');
      case 'BetweenExpression':
      case 'NotBetweenExpression':
        return this.between(node, cx, k === 'NotBetweenExpression');
      default:
        if (stringOpKinds.test(k)) {
          const pred = stringPredicate(String(node.Operator.Text));
          if (!pred) throw this.unsupported(node, String(node.Operator.Text));
          const [a, b] = [this.scalar(node.Left, cx), this.scalar(node.Right, cx)];
          return (r) => pred(toStr(a(r)), toStr(b(r)));
        }
        throw this.unsupported(node, k === 'StarExpression' ? '*' : `${firstTokenText(node)} (${k})`);
    }
  }

  private json(node: Node): Value {
    switch (kindOf(node)) {
      case 'JsonObjectExpression': {
        const o: Record<string, Value> = {};
        for (const p of elems(node.Pairs)) o[String(p.Name.ValueText ?? p.Name.Text)] = this.json(p.Value);
        return o;
      }
      case 'JsonArrayExpression':
        return elems(node.Values).map((v) => this.json(v));
      case 'UnaryMinusExpression': {
        const v = this.json(node.Expression);
        return typeof v === 'number' ? -v : v;
      }
      default:
        if (node.IsLiteral || /LiteralExpression$/.test(kindOf(node))) return literalValue(node);
        throw this.unsupported(node);
    }
  }

  private nameRef(node: Node, cx: Cx): RowFn {
    const name: string = node.SimpleName;
    const sk = symbolKindOf(node.ReferencedSymbol);
    if (sk === 'Column') {
      const i = cx.cols.get(name);
      if (i === undefined) throw this.fail(node, `column ${name} is not available here`);
      return (r) => r[i]!;
    }
    const b = cx.scope.get(name);
    if (b?.kind === 'rowfn') return b.fn;
    if (b?.kind === 'table') {
      return () => firstValue(b.get());
    }
    if (sk === 'Function') return this.call(node, cx);
    throw this.fail(node, `'${name}' cannot be used as a scalar value`);
  }

  private path(node: Node, cx: Cx): RowFn {
    const base = this.scalar(node.Expression, cx);
    const sel = node.Selector;
    if (kindOf(sel) === 'BracketedExpression') return this.elementOf(base, this.scalar(sel.Expression, cx));
    const key: string = sel.SimpleName;
    return (r) => member(base(r), key);
  }

  private element(node: Node, cx: Cx): RowFn {
    return this.elementOf(this.scalar(node.Expression, cx), this.scalar(node.Selector.Expression, cx));
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

  private call(node: Node, cx: Cx): RowFn {
    const name: string = node.Name?.SimpleName ?? node.SimpleName;
    if (cx.agg && (aggregates[name] || rowSelectingAggregates.has(name)) && !cx.scope.get(name)) {
      if (rowSelectingAggregates.has(name)) throw this.unsupported(node, `${name} inside an expression`);
      return cx.agg(node, name);
    }
    if (isTabular(node)) {
      const t = () => this.tableCall(node, cx.scope, undefined);
      let cached: Value | undefined;
      return () => (cached === undefined ? (cached = firstValue(t())) : cached);
    }
    if (node.GetCalledFunctionBody?.()) {
      const { body, fnScope } = this.withAnchor(node, () => this.bindCall(node, cx.scope, cx, undefined));
      return this.withAnchor(node, () => this.scalar(body.Expression, { cols: cx.cols, scope: fnScope, ...(cx.agg ? { agg: cx.agg } : {}) }));
    }
    const args = elems(node.ArgumentList?.Expressions);
    if (name === 'column_ifexists') {
      const col = toStr(this.constant(args[0], cx.scope));
      const i = cx.cols.get(col);
      return i === undefined ? this.scalar(args[1], cx) : (r) => r[i]!;
    }
    const impl = scalarFunctions[name];
    if (!impl) throw this.unsupported(node, `function ${name}()`);
    const fns = args.map((a): RowFn => {
      if (kindOf(a) === 'TypeOfLiteralExpression') return () => null; // the analyzer's result type carries it
      if (isTabular(a)) {
        let cached: Value[] | undefined;
        return () => (cached ??= columnValues(this.tabular(a, cx.scope, undefined))) as Value;
      }
      return this.scalar(a, cx);
    });
    const info = { now: this.input.now, resultType: typeName(node), argTypes: args.map(typeName) };
    const stringResult = info.resultType === 'string';
    return (r) => {
      const v = impl(fns.map((f) => f(r)), info);
      return v === null && stringResult ? '' : v;
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

  private arithmetic(k: string, node: Node, a: RowFn, b: RowFn): RowFn {
    const integer = ['long', 'int'].includes(typeName(node));
    return (r) => arith(k, a(r), b(r), integer);
  }

  /**
   * Items of an `in`/`has_any` list: scalars, dynamic arrays (flattened) and tabular expressions
   * (first column). A list that does not depend on the row is computed once.
   */
  private rowList(node: Node, cx: Cx): { rowIndependent: boolean; items: (r: Value[]) => Value[] } {
    const exprs = elems(node.Right.Expressions);
    const getters = exprs.map((e): ((r: Value[]) => Value[]) => {
      if (isTabular(e)) {
        let cached: Value[] | undefined;
        return () => (cached ??= columnValues(this.tabular(e, cx.scope, undefined)));
      }
      const f = this.scalar(e, cx);
      return (r) => flattenArgs([f(r)]);
    });
    const rowIndependent = exprs.every((e) => isTabular(e) || !referencesColumns(e));
    let cached: Value[] | undefined;
    const all = (r: Value[]): Value[] => getters.flatMap((g) => g(r));
    return { rowIndependent, items: rowIndependent ? (r) => (cached ??= all(r)) : all };
  }

  private inList(node: Node, cx: Cx): RowFn {
    const op = String(node.Operator.Text).replace(/\s+/g, '');
    const ci = op.endsWith('~');
    const neg = op.startsWith('!');
    const left = this.scalar(node.Left, cx);
    const { rowIndependent, items } = this.rowList(node, cx);
    const key = (v: Value): string => (ci ? 's' + toStr(v).toLowerCase() : typeof v === 'string' || isRecord(v) || Array.isArray(v) ? 's' + toStr(v) : valueKey(v));
    let set: Set<string> | undefined;
    return (r) => {
      const x = left(r);
      if (x === null) return neg ? true : false;
      if (!rowIndependent || !set) set = new Set(items(r).filter((v) => v !== null).map(key));
      const found = set.has(key(x));
      return neg ? !found : found;
    };
  }

  private hasList(node: Node, cx: Cx, all: boolean): RowFn {
    const left = this.scalar(node.Left, cx);
    const { items } = this.rowList(node, cx);
    return (r) => {
      const text = toStr(left(r));
      const needles = items(r).map((v) => toStr(v));
      return all ? needles.every((n) => has(text, n)) : needles.some((n) => has(text, n));
    };
  }

  private between(node: Node, cx: Cx, neg: boolean): RowFn {
    const x = this.scalar(node.Left, cx);
    const lo = this.scalar(node.Right.First, cx);
    const hi = this.scalar(node.Right.Second, cx);
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

function rowKey(vals: Value[]): string {
  return vals.map(valueKey).join('\u0001');
}

function firstValue(t: Table): Value {
  return t.rows[0]?.[0] ?? null;
}

function columnValues(t: Table): Value[] {
  return t.rows.map((r) => r[0]!);
}

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

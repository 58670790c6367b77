/**
 * Interprets the analysed syntax tree of one query over in-memory tables.
 *
 * Scalar expressions compile once per operator into closures over a row (`RowFn`), so a rule runs
 * over 100k rows without re-walking the tree. Output schemas (column names and types, including
 * generated names such as `count_`, `Column1` or join's `Name1`) come from the analyzer's
 * `ResultType`; the interpreter computes the values. Anything outside the supported subset throws
 * `not supported by the local evaluator: <construct> at line:col`.
 */
import type { RowFn } from './aggregates.ts';
import { Scope, colIndex, truthy, byName, nullOf } from './context.ts';
import type { Cx, Ev, Serial, Table } from './context.ts';
import { EvaluationError, errorAt, unsupportedAt } from './errors.ts';
import type { ColumnSpec } from './globals.ts';
import { join, lookup } from './operators/join.ts';
import { makeSeries, topNested } from './operators/grouped.ts';
import { mvApply, mvExpand } from './operators/mv.ts';
import { parse } from './operators/parse.ts';
import { evaluatePlugin, getschema } from './operators/schema.ts';
import { summarize } from './operators/summarize.ts';
import { distinct, extend, project, sorted, union } from './operators/tabular.ts';
import { ScalarCompiler } from './scalar.ts';
import { argsOf, as, calledBody, elems, firstTokenText, functionParameterDefaults, functionParameterNames, is, isTabular, kindOf, resultColumns, simpleName, symbolKindOf } from '../kusto/syntax.ts';
import type { Element, Expr, Node, NodeOf } from '../kusto/syntax.ts';
import type { Value } from './values.ts';
import { Timespan, coerce, compareValues, toReal, toStr } from './values.ts';

export type { Table } from './context.ts';

export interface InterpreterInput {
  text: string;
  root: NodeOf<'QueryBlock'>;
  now: Date;
  /** Tables by name, already typed. */
  tables: Map<string, Table>;
  /** Watchlist items by alias, with the `_GetWatchlist` output schema. */
  watchlist(alias: string, columns: ColumnSpec[]): Table;
}

export class Interpreter implements Ev {
  /** Call sites of the function bodies being evaluated: errors inside an expansion point at the call. */
  private readonly anchors: { offset: number; name: string }[] = [];
  private readonly globalScope = new Scope();

  private readonly scalars: ScalarCompiler;

  private readonly input: InterpreterInput;
  constructor(input: InterpreterInput) {
    this.input = input;
    this.scalars = new ScalarCompiler({
      now: input.now,
      tabular: (node, scope, implicit) => this.tabular(node, scope, implicit),
      tableCall: (node, scope, piped) => this.tableCall(node, scope, piped),
      bindCall: (node, scope, cx, piped) => this.bindCall(node, scope, cx, piped),
      withAnchor: (node, f) => this.withAnchor(node, f),
      unsupported: (node, construct) => this.unsupported(node, construct),
      fail: (node, message) => this.fail(node, message),
    });
  }

  run(): Table {
    const stmts = elems(this.input.root.Statements);
    const result = this.statements(stmts, this.globalScope, undefined);
    if (!result) throw errorAt(this.input.text, 0, 'the query has no tabular result (it contains only let statements)');
    return result;
  }

  /* ---------------------------------------------------------------- positions and errors */

  private offsetOf(node: Element | null): number {
    const anchor = this.anchorOf(node);
    return anchor ? anchor.offset : node?.TextStart ?? 0;
  }

  private anchorOf(node: Element | null): { offset: number; name: string } | undefined {
    return this.anchors.length && node?.Root !== this.input.root ? this.anchors[this.anchors.length - 1] : undefined;
  }

  unsupported(node: Element | null, construct?: string): EvaluationError {
    const anchor = this.anchorOf(node);
    const what = construct ?? (node ? `${firstTokenText(node)} (${kindOf(node)})` : 'this construct');
    return unsupportedAt(this.input.text, this.offsetOf(node), anchor ? `${what} in the body of ${anchor.name}()` : what);
  }

  fail(node: Element | null, message: string): EvaluationError {
    return errorAt(this.input.text, this.offsetOf(node), message);
  }

  /* ---------------------------------------------------------------- statements */

  private statements(stmts: Node[], scope: Scope, implicit: Table | undefined): Table | undefined {
    let result: Table | undefined;
    for (const s of stmts) {
      if (is(s, 'LetStatement')) this.let(s, scope);
      else if (is(s, 'ExpressionStatement')) result = this.tabular(s.Expression, scope, implicit);
      else throw this.unsupported(s);
    }
    return result;
  }

  private let(stmt: NodeOf<'LetStatement'>, scope: Scope): void {
    const name = simpleName(stmt.Name);
    const expr = stmt.Expression;
    if (is(expr, 'FunctionDeclaration')) {
      scope.set(name, { kind: 'lambda', scope });
    } else if (isTabular(expr) || is(expr, 'MaterializeExpression')) {
      let cached: Table | undefined;
      scope.set(name, { kind: 'table', get: () => (cached ??= this.tabular(expr, scope, undefined)) });
    } else {
      scope.set(name, { kind: 'rowfn', fn: this.scalar(expr, { cols: new Map(), scope }) });
    }
  }

  /* ---------------------------------------------------------------- tabular expressions */

  tabular(node: Expr | null, scope: Scope, implicit: Table | undefined): Table {
    if (!node) throw this.fail(null, 'internal: missing tabular expression');
    if (is(node, 'PipeExpression')) return this.operator(node.Operator, this.tabular(node.Expression, scope, implicit), scope);
    if (is(node, 'ParenthesizedExpression') || is(node, 'MaterializeExpression') || is(node, 'MvApplySubqueryExpression')) return this.tabular(node.Expression, scope, implicit);
    if (is(node, 'NameReference')) return this.namedTable(node, scope);
    if (is(node, 'DataTableExpression')) return this.datatable(node, scope);
    if (is(node, 'PrintOperator')) return project(this, node, { columns: [], rows: [[]] }, scope);
    if (is(node, 'RangeOperator')) return this.range(node, scope);
    if (is(node, 'UnionOperator')) return union(this, node, implicit, scope);
    if (is(node, 'FunctionCallExpression')) return this.tableCall(node, scope, undefined);
    if (implicit && is(node, 'QueryOperator')) return this.operator(node, implicit, scope);
    throw this.unsupported(node);
  }

  private namedTable(node: NodeOf<'NameReference'>, scope: Scope): Table {
    const name = simpleName(node);
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

  private datatable(node: NodeOf<'DataTableExpression'>, scope: Scope): Table {
    const columns = resultColumns(node);
    const values = elems(node.Values).map((v) => this.constant(v, scope));
    if (values.length % Math.max(columns.length, 1) !== 0) throw this.fail(node, 'datatable: the number of values is not a multiple of the number of columns');
    const rows: Value[][] = [];
    for (let i = 0; i < values.length; i += columns.length) rows.push(columns.map((c, j) => coerce(values[i + j], c.type) ?? nullOf(c.type)));
    return { columns, rows };
  }

  private range(node: NodeOf<'RangeOperator'>, scope: Scope): Table {
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
  private tableCall(node: Expr | null, scope: Scope, piped: Table | undefined): Table {
    if (!node) throw this.fail(null, 'internal: missing function call');
    const name = simpleName(node);
    if (name === '_GetWatchlist' && !scope.get(name)) {
      const alias = toStr(this.constant(argsOf(node)[0] ?? null, scope));
      return this.input.watchlist(alias, resultColumns(node));
    }
    const { body, fnScope } = this.withAnchor(node, () => this.bindCall(node, scope, { cols: new Map(), scope }, piped));
    return this.withAnchor(node, () => this.tabular(body.Expression, fnScope, undefined));
  }

  private withAnchor<T>(node: Element, f: () => T): T {
    const pushed = node.Root === this.input.root || !this.anchors.length;
    if (pushed) this.anchors.push({ offset: node.TextStart, name: simpleName(node) || 'function' });
    try {
      return f();
    } finally {
      if (pushed) this.anchors.pop();
    }
  }

  /** Binds a call's arguments to the callee's parameters; returns the expanded body and its scope. */
  private bindCall(node: Expr, scope: Scope, cx: Cx, piped: Table | undefined): { body: NodeOf<'FunctionBody'>; fnScope: Scope } {
    const name = simpleName(node);
    const body = calledBody(node);
    if (!body) throw this.unsupported(node, `function ${name}`);
    const lambda = scope.get(name);
    const fnScope = new Scope(lambda?.kind === 'lambda' ? lambda.scope : this.globalScope);
    const params = functionParameterNames(node);
    const args = argsOf(node);
    const bound = new Set<string>();
    let p = 0;
    if (piped) {
      fnScope.set(params[p]!, { kind: 'table', get: () => piped });
      bound.add(params[p++]!);
    }
    for (const raw of args) {
      // `f(x, name = value)`: positional arguments first, then named ones in any order.
      const named = is(raw, 'SimpleNamedExpression') ? raw : undefined;
      const pname: string | undefined = named ? simpleName(named.Name) : params[p++];
      const arg = named ? named.Expression : raw;
      if (pname === undefined) throw this.fail(raw, `too many arguments for ${name}`);
      if (named && !params.includes(pname)) throw this.fail(raw, `${name} has no parameter ${pname}`);
      if (!arg) throw this.fail(raw, `missing value for ${pname}`);
      bound.add(pname);
      if (isTabular(arg)) {
        let cached: Table | undefined;
        fnScope.set(pname, { kind: 'table', get: () => (cached ??= this.tabular(arg, scope, undefined)) });
      } else fnScope.set(pname, { kind: 'rowfn', fn: this.scalar(arg, cx) });
    }
    // Parameters left out take their declared defaults (constant literals of the declaration).
    const defaults = functionParameterDefaults(node);
    params.forEach((pname, i) => {
      if (bound.has(pname)) return;
      const def = defaults[i];
      if (!def) throw this.fail(node, `missing argument ${pname} of ${name}`);
      fnScope.set(pname, { kind: 'rowfn', fn: this.scalar(def, cx) });
    });
    for (const s of elems(body.Statements)) {
      if (!is(s, 'LetStatement')) throw this.unsupported(s);
      this.withAnchor(node, () => this.let(s, fnScope));
    }
    return { body, fnScope };
  }

  /* ---------------------------------------------------------------- query operators */

  private operator(node: Element | null, input: Table, scope: Scope): Table {
    if (!node) throw this.fail(null, 'internal: missing query operator');
    const k = kindOf(node);
    switch (k) {
      case 'FilterOperator': {
        const op = as(node, 'FilterOperator');
        const serial: Serial = { rows: input.rows, i: 0 };
        const pred = this.scalar(op.Condition, { ...this.cx(input, scope), serial });
        return { columns: input.columns, rows: input.rows.filter((r, i) => ((serial.i = i), truthy(pred(r)))) };
      }
      case 'ExtendOperator':
        return extend(this, as(node, 'ExtendOperator'), input, scope);
      case 'ProjectOperator':
        return project(this, as(node, 'ProjectOperator'), input, scope);
      case 'ProjectAwayOperator':
      case 'ProjectKeepOperator':
      case 'ProjectReorderOperator':
        return byName(input, resultColumns(node), new Map());
      case 'ProjectRenameOperator': {
        const renames = new Map<string, string>();
        for (const e of elems(as(node, 'ProjectRenameOperator').Expressions)) {
          const r = as(e, 'SimpleNamedExpression');
          renames.set(simpleName(r.Name), simpleName(r.Expression));
        }
        return byName(input, resultColumns(node), renames);
      }
      case 'SummarizeOperator':
        return summarize(this, as(node, 'SummarizeOperator'), input, scope);
      case 'JoinOperator':
        return join(this, node, input, scope);
      case 'LookupOperator':
        return lookup(this, node, input, scope);
      case 'UnionOperator':
        return union(this, as(node, 'UnionOperator'), input, scope);
      case 'DistinctOperator':
        return distinct(node, input);
      case 'SortOperator':
        return { columns: input.columns, rows: sorted(this, elems(as(node, 'SortOperator').Expressions), input, scope) };
      case 'TopOperator': {
        const op = as(node, 'TopOperator');
        const n = this.count(op.Expression, scope);
        return { columns: input.columns, rows: sorted(this, op.ByExpression ? [op.ByExpression] : [], input, scope).slice(0, n) };
      }
      case 'TakeOperator':
        return { columns: input.columns, rows: input.rows.slice(0, this.count(as(node, 'TakeOperator').Expression, scope)) };
      case 'CountOperator':
        return { columns: resultColumns(node), rows: [[input.rows.length]] };
      case 'MvExpandOperator':
        return mvExpand(this, node, input, scope);
      case 'MvApplyOperator':
        return mvApply(this, node, input, scope);
      case 'InvokeOperator':
        return this.tableCall(as(node, 'InvokeOperator').Function, scope, input);
      case 'SerializeOperator': {
        const op = as(node, 'SerializeOperator');
        return elems(op.Expressions).length ? extend(this, op, input, scope) : input;
      }
      case 'AsOperator':
        return input;
      case 'ParseOperator':
      case 'ParseWhereOperator':
        return parse(this, node, input, scope);
      case 'GetSchemaOperator':
        return getschema(node, input);
      case 'EvaluateOperator':
        return evaluatePlugin(this, as(node, 'EvaluateOperator'), input, scope);
      case 'TopNestedOperator':
        return topNested(this, as(node, 'TopNestedOperator'), input, scope);
      case 'MakeSeriesOperator':
        return makeSeries(this, as(node, 'MakeSeriesOperator'), input, scope);
      default:
        throw this.unsupported(node);
    }
  }

  cx(input: Table, scope: Scope): Cx {
    return { cols: colIndex(input.columns), scope };
  }

  count(node: Expr | null, scope: Scope): number {
    const n = toReal(this.constant(node, scope));
    if (n === null || n < 0) throw this.fail(node, 'expected a non-negative row count');
    return Math.floor(n);
  }


  /* ---------------------------------------------------------------- scalar expressions */

  /** Evaluates a row-independent expression. */
  constant(node: Expr | null, scope: Scope): Value {
    return this.scalars.constant(node, scope);
  }

  scalar(node: Expr | null, cx: Cx): RowFn {
    return this.scalars.scalar(node, cx);
  }
}

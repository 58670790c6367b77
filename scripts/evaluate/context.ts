/**
 * What the interpreter's modules share: tables, name scopes, the scalar compile context, the
 * evaluator callbacks (`Ev`) through which operator modules reach scalar and tabular evaluation
 * without importing the interpreter (no import cycles), and small row/column helpers.
 */
import type { RowFn } from './aggregates.ts';
import type { EvaluationError } from './errors.ts';
import type { ColumnSpec } from './globals.ts';
import type { Element, Expr, NodeOf } from '../kusto/syntax.ts';
import type { Value } from './values.ts';
import { Timespan, coerce, valueKey } from './values.ts';
export interface Table {
  columns: ColumnSpec[];
  rows: Value[][];
}

export type Binding =
  | { kind: 'rowfn'; fn: RowFn }
  | { kind: 'table'; get: () => Table }
  | { kind: 'lambda'; scope: Scope };

export class Scope {
  private readonly vars = new Map<string, Binding>();
  readonly parent?: Scope;
  constructor(parent?: Scope) {
    this.parent = parent;
  }
  set(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
  get(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
}

/** Compile context of a scalar expression: the input columns and the name scope. */
export interface Cx {
  cols: Map<string, number>;
  scope: Scope;
  /** Inside summarize: compiles an aggregate call into a function of the current group. */
  agg?: (call: NodeOf<'FunctionCallExpression'>, name: string) => RowFn;
  /** Over a serialized row set (where, extend, project): the rows and the current row's index, for prev/next/row_number. */
  serial?: Serial;
  /** In a `join … where` condition: `$left.X` / `$right.Y` as indexes into the pair row (left columns, then right). */
  sides?: { left: Map<string, number>; right: Map<string, number> };
}

/** The cursor an operator moves over its rows so that prev()/next()/row_number() see their neighbours. */
export interface Serial {
  rows: Value[][];
  i: number;
}

/** The evaluator as seen by the operator and scalar modules. */
export interface Ev {
  tabular(node: Expr | null, scope: Scope, implicit: Table | undefined): Table;
  scalar(node: Expr | null, cx: Cx): RowFn;
  /** Evaluates a row-independent expression. */
  constant(node: Expr | null, scope: Scope): Value;
  /** A non-negative row count (take, top, mv-expand limit). */
  count(node: Expr | null, scope: Scope): number;
  cx(input: Table, scope: Scope): Cx;
  unsupported(node: Element | null, construct?: string): EvaluationError;
  fail(node: Element | null, message: string): EvaluationError;
}

export const nullOf = (type: string): Value => (type === 'string' ? '' : null);
export const nullIfMissing = (v: Value, type: string): Value => (v === null ? nullOf(type) : v);
export const colIndex = (cols: ColumnSpec[]): Map<string, number> => new Map(cols.map((c, i) => [c.name, i]));
export const truthy = (v: Value): boolean => v === true;

/** Output columns taken by name from the input (project-away/keep/reorder/rename, distinct). */
export function byName(input: Table, columns: ColumnSpec[], renames: Map<string, string>): Table {
  const idx = colIndex(input.columns);
  const src = columns.map((c) => idx.get(renames.get(c.name) ?? c.name) ?? -1);
  return { columns, rows: input.rows.map((r) => src.map((i) => (i < 0 ? null : r[i]!))) };
}

export function typed(v: Value, type: string): Value {
  if (v === null) return nullOf(type);
  if (type === 'dynamic' || type === 'string' || type === 'bool') return v;
  if ((type === 'long' || type === 'int') && typeof v === 'number') return v;
  if (type === 'real' && typeof v === 'number') return v;
  return v instanceof Date || v instanceof Timespan ? v : coerce(v, type);
}

/* ------------------------------------------------------------------ helpers */

export function rowKey(vals: Value[]): string {
  return vals.map(valueKey).join('\u0001');
}

export function firstValue(t: Table): Value {
  return t.rows[0]?.[0] ?? null;
}

export function columnValues(t: Table): Value[] {
  return t.rows.map((r) => r[0]!);
}

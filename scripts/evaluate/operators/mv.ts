/** mv-expand and mv-apply. */
import type { RowFn } from '../aggregates.ts';
import type { Ev, Scope, Table } from '../context.ts';
import { colIndex, nullIfMissing, nullOf } from '../context.ts';
import type { ColumnSpec } from '../globals.ts';
import { namedParams } from '../syntax.ts';
import { as, elems, is, resultColumns, simpleName } from '../../kusto/syntax.ts';
import type { Element, NodeOf } from '../../kusto/syntax.ts';
import type { Value } from '../values.ts';
import { castTo, isRecord } from '../values.ts';

/** Values an mv-expand/mv-apply expression expands to for one row. */
function expansion(v: Value, bagAsArray: boolean): Value[] {
  if (Array.isArray(v)) return v;
  if (isRecord(v)) return Object.entries(v).map(([k, x]) => (bagAsArray ? [k, x] : { [k]: x }));
  // null → one record holding null; an empty array or bag → no record (mv-expand docs).
  return [v];
}

type ExpansionExpr = NodeOf<'MvExpandExpression'> | NodeOf<'MvApplyExpression'>;

function expansionSpecs(ev: Ev, list: ExpansionExpr[], input: Table, scope: Scope): { name: string; fn: RowFn; type: string }[] {
  const cx = ev.cx(input, scope);
  return list.map((e) => {
    const inner = e.Expression;
    const toType: string = e.ToTypeOf?.TypeOf?.ReferencedSymbol?.Name ?? 'dynamic';
    if (is(inner, 'SimpleNamedExpression')) return { name: simpleName(inner.Name), fn: ev.scalar(inner.Expression, cx), type: toType };
    return { name: simpleName(inner), fn: ev.scalar(inner, cx), type: toType };
  });
}

export function mvExpand(ev: Ev, node: Element, input: Table, scope: Scope): Table {
  const op = as(node, 'MvExpandOperator');
  const params = namedParams(op.Parameters);
  const bagAsArray = String(params.get('kind') ?? params.get('bagexpansion') ?? '').toLowerCase() === 'array';
  const indexCol = params.get('with_itemindex') as string | undefined;
  const limit = op.RowLimitClause ? ev.count(op.RowLimitClause.RowLimit, scope) : Infinity;
  const specs = expansionSpecs(ev, elems(op.Expressions), input, scope);
  const columns = resultColumns(op);
  const inIdx = colIndex(input.columns);
  const specAt = new Map(specs.map((s, i) => [s.name, i]));
  const rows: Value[][] = [];
  for (const r of input.rows) {
    const lists = specs.map((s) => expansion(s.fn(r), bagAsArray));
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

export function mvApply(ev: Ev, node: Element, input: Table, scope: Scope): Table {
  const op = as(node, 'MvApplyOperator');
  const params = namedParams(op.Parameters);
  const indexCol = params.get('with_itemindex') as string | undefined;
  const limit = op.RowLimitClause ? ev.count(op.RowLimitClause.RowLimit, scope) : Infinity;
  if (op.ContextIdClause) throw ev.unsupported(op.ContextIdClause, 'mv-apply id=');
  const specs = expansionSpecs(ev, elems(op.Expressions), input, scope);
  const columns = resultColumns(op);
  const subColumns: ColumnSpec[] = [
    ...input.columns.filter((c) => !specs.some((s) => s.name === c.name)),
    ...specs.map((s) => ({ name: s.name, type: s.type })),
    ...(indexCol ? [{ name: indexCol, type: 'long' }] : []),
  ];
  const inIdx = colIndex(input.columns);
  const rows: Value[][] = [];
  for (const r of input.rows) {
    const lists = specs.map((s) => expansion(s.fn(r), false));
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
    const result = ev.tabular(op.Subquery, scope, { columns: subColumns, rows: subRows });
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

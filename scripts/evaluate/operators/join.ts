/** join and lookup: key columns of the `on` clause and one key index over the right side. */
import type { Ev, Scope, Table } from '../context.ts';
import { colIndex, nullOf, rowKey } from '../context.ts';
import { namedParams } from '../syntax.ts';
import { as, elems, is, kindOf, resultColumns, simpleName } from '../../kusto/syntax.ts';
import type { Element, NodeOf } from '../../kusto/syntax.ts';
import type { ColumnSpec } from '../globals.ts';
import type { Value } from '../values.ts';

/** Key of a row over the key columns `idx`; undefined when a key value is null (nulls never match). */
function keyOf(row: Value[], idx: number[]): string | undefined {
  const vals = idx.map((i) => row[i]!);
  return vals.some((v) => v === null) ? undefined : rowKey(vals);
}

/** Rows by key over the key columns `idx`, in input order; rows with a null key are left out. */
function keyIndex(rows: Value[][], idx: number[]): Map<string, Value[][]> {
  const index = new Map<string, Value[][]>();
  for (const row of rows) {
    const k = keyOf(row, idx);
    if (k === undefined) continue;
    const list = index.get(k);
    if (list) list.push(row);
    else index.set(k, [row]);
  }
  return index;
}

/** `$left.X == $right.Y` conjuncts of a `join … where` condition as key pairs (for the index). */
function whereKeys(e: Element | null, out: [string, string][]): void {
  if (is(e, 'BinaryExpression') && kindOf(e) === 'AndExpression') {
    whereKeys(e.Left, out);
    whereKeys(e.Right, out);
  } else if (is(e, 'ParenthesizedExpression')) whereKeys(e.Expression, out);
  else if (is(e, 'BinaryExpression') && kindOf(e) === 'EqualExpression') {
    const a = sideOf(e.Left);
    const b = sideOf(e.Right);
    if (a && b && a.side === '$left' && b.side === '$right') out.push([a.name, b.name]);
    else if (a && b && a.side === '$right' && b.side === '$left') out.push([b.name, a.name]);
  }
}

const sideOf = (p: Element | null): { side: string; name: string } | undefined =>
  is(p, 'PathExpression') ? { side: simpleName(p.Expression).toLowerCase(), name: simpleName(p.Selector) } : undefined;

/**
 * The right rows matching a left row: the key index over the equality keys, then (for `where`) the
 * whole condition evaluated on the pair (join-operator: `where` conditions over $left/$right).
 */
type Matcher = { l: number[]; r: number[]; match: (lr: Value[]) => Value[][] | undefined };

function matcher(ev: Ev, clause: Element | null, left: Table, right: Table, scope: Scope): Matcher {
  if (!is(clause, 'JoinWhereClause')) {
    const { l, r } = joinKeys(ev, clause, left, right);
    const index = keyIndex(right.rows, r);
    return { l, r, match: (lr) => {
      const k = keyOf(lr, l);
      return k === undefined ? undefined : index.get(k);
    } };
  }
  const pairs: [string, string][] = [];
  whereKeys(clause.Expression, pairs);
  const li = colIndex(left.columns);
  const ri = colIndex(right.columns);
  const l = pairs.map(([a]) => li.get(a) ?? -1);
  const r = pairs.map(([, b]) => ri.get(b) ?? -1);
  if (l.includes(-1) || r.includes(-1)) throw ev.fail(clause, 'join … where: a $left/$right column was not found');
  const sides = { left: li, right: new Map([...ri].map(([n, i]) => [n, i + left.columns.length])) };
  const pred = ev.scalar(clause.Expression, { cols: new Map(), scope, sides });
  const index = keyIndex(right.rows, r);
  return { l, r, match: (lr) => {
    const k = keyOf(lr, l);
    const candidates = k === undefined ? undefined : index.get(k);
    const found = candidates?.filter((rr) => pred([...lr, ...rr]) === true);
    return found?.length ? found : undefined;
  } };
}

/** Key columns of a join/lookup `on` clause as (left index, right index) pairs. */
function joinKeys(ev: Ev, clause: Element | null, left: Table, right: Table): { l: number[]; r: number[] } {
  if (!is(clause, 'JoinOnClause')) throw ev.unsupported(clause, 'this join condition');
  const li = colIndex(left.columns);
  const ri = colIndex(right.columns);
  const l: number[] = [];
  const r: number[] = [];
  for (const e of elems(clause.Expressions)) {
    let pair: [string, string] | undefined;
    if (is(e, 'NameReference')) pair = [simpleName(e), simpleName(e)];
    else if (is(e, 'BinaryExpression') && kindOf(e) === 'EqualExpression') {
      const a = sideOf(e.Left);
      const b = sideOf(e.Right);
      if (a && b && a.side === '$left' && b.side === '$right') pair = [a.name, b.name];
      else if (a && b && a.side === '$right' && b.side === '$left') pair = [b.name, a.name];
    }
    if (!pair) throw ev.unsupported(e, 'this join condition');
    const x = li.get(pair[0]);
    const y = ri.get(pair[1]);
    if (x === undefined || y === undefined) throw ev.fail(e, `join key ${pair[0]}/${pair[1]} not found`);
    l.push(x);
    r.push(y);
  }
  return { l, r };
}

/** What join and lookup share: the kind (with its default), the right side, the output columns and the key columns. */
function prologue(
  ev: Ev,
  op: NodeOf<'JoinOperator'> | NodeOf<'LookupOperator'>,
  clause: Element | null,
  defaultKind: string,
  left: Table,
  scope: Scope,
): { kind: string; right: Table; columns: ColumnSpec[] } & Matcher {
  const kind = String(namedParams(op.Parameters).get('kind') ?? defaultKind).toLowerCase();
  const right = ev.tabular(op.Expression, scope, undefined);
  return { kind, right, columns: resultColumns(op), ...matcher(ev, clause, left, right, scope) };
}

export function join(ev: Ev, node: Element, left: Table, scope: Scope): Table {
  const op = as(node, 'JoinOperator');
  const { kind, right, columns, l, match } = prologue(ev, op, op.ConditionClause, 'innerunique', left, scope);
  if (kind === 'innerunique' && !l.length) throw ev.unsupported(op, 'join kind=innerunique without a $left.X == $right.Y key');
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
  const nullRight = right.columns.map((c) => nullOf(c.type));
  const nullLeft = left.columns.map((c) => nullOf(c.type));
  const rows: Value[][] = [];
  const matchedRight = new Set<Value[]>();
  for (const lr of leftRows) {
    const matches = match(lr);
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
        throw ev.unsupported(op, `join kind=${kind}`);
    }
  }
  if (kind === 'rightouter' || kind === 'fullouter') for (const rr of right.rows) if (!matchedRight.has(rr)) rows.push([...nullLeft, ...rr]);
  if (kind === 'rightanti' || kind === 'rightantisemi') rows.push(...right.rows.filter((rr) => !matchedRight.has(rr)));
  if (kind === 'rightsemi') rows.push(...right.rows.filter((rr) => matchedRight.has(rr)));
  if (rows.length && rows[0]!.length !== columns.length) throw ev.unsupported(op, `join kind=${kind} output shape`);
  return { columns, rows };
}

export function lookup(ev: Ev, node: Element, left: Table, scope: Scope): Table {
  const op = as(node, 'LookupOperator');
  const { kind, right, columns, r, match } = prologue(ev, op, op.LookupClause, 'leftouter', left, scope);
  const keep = right.columns.map((_, i) => i).filter((i) => !r.includes(i));
  const rows: Value[][] = [];
  for (const lr of left.rows) {
    const matches = match(lr);
    if (matches) for (const rr of matches) rows.push([...lr, ...keep.map((i) => rr[i]!)]);
    else if (kind === 'leftouter') rows.push([...lr, ...keep.map((i) => nullOf(right.columns[i]!.type))]);
  }
  if (left.columns.length + keep.length !== columns.length) throw ev.unsupported(op, 'lookup output shape');
  return { columns, rows };
}

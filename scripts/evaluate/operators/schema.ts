/** Schema-level operators: getschema, and the evaluate plugins the evaluator implements (bag_unpack). */
import type { Ev, Scope, Table } from '../context.ts';
import { colIndex, nullOf, typed } from '../context.ts';
import type { ColumnSpec } from '../globals.ts';
import { argsOf, is, resultColumns, simpleName } from '../../kusto/syntax.ts';
import type { Element, NodeOf } from '../../kusto/syntax.ts';
import type { Value } from '../values.ts';
import { isRecord, toStr, typeOfValue } from '../values.ts';

/** .NET type of each scalar type, as getschema's DataType shows it (scalar data types table). */
const DOTNET: Record<string, string> = {
  bool: 'System.Boolean',
  datetime: 'System.DateTime',
  dynamic: 'System.Object',
  guid: 'System.Guid',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  string: 'System.String',
  timespan: 'System.TimeSpan',
  decimal: 'System.Data.SqlTypes.SqlDecimal',
};

/** getschema-operator: one row per input column (ColumnName, ColumnOrdinal, DataType, ColumnType). */
export function getschema(node: Element, input: Table): Table {
  return {
    columns: resultColumns(node),
    rows: input.columns.map((c, i) => [c.name, i, DOTNET[c.type] ?? 'System.Object', c.type]),
  };
}

export function evaluatePlugin(ev: Ev, op: NodeOf<'EvaluateOperator'>, input: Table, scope: Scope): Table {
  const call = op.FunctionCall;
  const name = simpleName(call);
  if (name === 'bag_unpack' && call) return bagUnpack(ev, op, call, input, scope);
  throw ev.unsupported(op, `evaluate ${name || 'plugin'}()`);
}

/**
 * bag_unpack-plugin: the bag column is replaced by one column per top-level slot (optionally
 * prefixed), typed by the slot's values (dynamic when they differ), nulls ignored;
 * columnsConflict= error (default) / replace_source / keep_source; ignoredProperties=; with an
 * output schema the analyzer's columns are filled by name.
 */
function bagUnpack(ev: Ev, op: NodeOf<'EvaluateOperator'>, call: NodeOf<'FunctionCallExpression'>, input: Table, scope: Scope): Table {
  const args = argsOf(call);
  const positional: Value[] = [];
  const named = new Map<string, Value>();
  for (const a of args.slice(1)) {
    if (is(a, 'SimpleNamedExpression')) named.set(simpleName(a.Name).toLowerCase(), ev.constant(a.Expression, scope));
    else positional.push(ev.constant(a, scope));
  }
  const prefix = toStr(named.get('outputcolumnprefix') ?? positional[0] ?? '');
  const conflict = toStr(named.get('columnsconflict') ?? positional[1] ?? 'error').toLowerCase();
  const ignoredRaw = named.get('ignoredproperties') ?? positional[2] ?? null;
  const ignored = new Set(Array.isArray(ignoredRaw) ? ignoredRaw.map((v) => toStr(v)) : []);
  const bagArg = args[0];
  const bagCol = bagArg ? simpleName(bagArg) : '';
  const inIdx = colIndex(input.columns);
  const bagAt = inIdx.get(bagCol);
  const bagFn = ev.scalar(bagArg ?? null, ev.cx(input, scope));
  const bags = input.rows.map((r) => {
    const v = bagFn(r);
    return isRecord(v) ? v : {};
  });
  if (op.Schema) {
    const columns = resultColumns(op);
    return {
      columns,
      rows: input.rows.map((r, i) =>
        columns.map((c) => {
          const slot = c.name.startsWith(prefix) ? c.name.slice(prefix.length) : undefined;
          const own = inIdx.get(c.name);
          if (own !== undefined && own !== bagAt) return r[own]!;
          const v = slot !== undefined ? bags[i]![slot] ?? null : null;
          return typed(v, c.type);
        }),
      ),
    };
  }
  // Slots typed from their non-null values (dynamic when they differ).
  const slotTypes = new Map<string, string>();
  for (const b of bags) {
    for (const [k, v] of Object.entries(b)) {
      if (ignored.has(k) || v === null) {
        if (!ignored.has(k) && !slotTypes.has(k)) slotTypes.set(k, '');
        continue;
      }
      const t = typeOfValue(v);
      const seen = slotTypes.get(k);
      slotTypes.set(k, !seen ? t : seen === t ? t : 'dynamic');
    }
  }
  const kept = input.columns.filter((_, i) => i !== bagAt);
  // Slot columns come out sorted by name (bag_unpack-plugin examples: Age, Height, Name).
  const slots = [...slotTypes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, t]) => ({ slot: k, name: prefix + k, type: t || 'dynamic' }));
  const clashes = slots.filter((s) => kept.some((c) => c.name === s.name));
  if (clashes.length && conflict === 'error') throw ev.fail(op, `bag_unpack: column ${clashes[0]!.name} already exists (use columnsConflict='replace_source' or 'keep_source')`);
  const unpacked = slots.filter((s) => !(conflict === 'keep_source' && clashes.includes(s)));
  const base = kept.filter((c) => !(conflict === 'replace_source' && unpacked.some((s) => s.name === c.name)));
  const columns: ColumnSpec[] = [...base, ...unpacked.map((s) => ({ name: s.name, type: s.type }))];
  return {
    columns,
    rows: input.rows.map((r, i) => [
      ...base.map((c) => r[inIdx.get(c.name)!]!),
      ...unpacked.map((s) => {
        const v = bags[i]![s.slot] ?? null;
        return v === null ? nullOf(s.type) : typed(v, s.type);
      }),
    ]),
  };
}

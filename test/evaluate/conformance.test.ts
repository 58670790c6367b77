/**
 * Golden conformance cases: each reproduces an example or documented rule of the Kusto
 * documentation; a divergence of the local evaluator from the real engine fails here.
 */
import { describe, expect, it } from 'vitest';
import { evaluateQuery } from '../../scripts/evaluate/evaluate.ts';
import { datetimeCases } from './conformance/datetime.ts';
import { matchingCases } from './conformance/matching.ts';
import { networkCases } from './conformance/network.ts';
import { operatorCases } from './conformance/operators.ts';
import { scalarCases } from './conformance/scalars.ts';
import { shapingCases } from './conformance/shaping.ts';
import { stringCases } from './conformance/strings.ts';
import type { ConformanceCase } from './conformance/types.ts';

const groups: Record<string, ConformanceCase[]> = {
  strings: stringCases,
  scalars: scalarCases,
  network: networkCases,
  operators: operatorCases,
  datetime: datetimeCases,
  matching: matchingCases,
  shaping: shapingCases,
};

const sortRows = (rows: unknown[][]): unknown[][] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

it('has at least 370 conformance cases, each naming its documentation page', () => {
  const all = Object.values(groups).flat();
  expect(all.length).toBeGreaterThanOrEqual(370);
  for (const c of all) expect(c.doc).toMatch(/^https:\/\/learn\.microsoft\.com\/kusto\/query\//);
});

for (const [group, cases] of Object.entries(groups)) {
  describe(`conformance: ${group}`, () => {
    for (const c of cases) {
      it(`${c.name} — ${c.doc}`, () => {
        const run = () => evaluateQuery(c.query, { now: new Date(c.now ?? '2024-01-01T00:00:00Z'), tables: c.tables ?? {} });
        if (c.error) {
          expect(run).toThrow(c.error);
          return;
        }
        const result = run();
        if (c.columns) {
          const typed = c.columns.some((x) => x.includes(':'));
          expect(result.columns.map((col) => (typed && c.columns!.find((x) => x.startsWith(col.name + ':')) ? `${col.name}:${col.type}` : col.name))).toEqual(c.columns);
        }
        expect(c.unordered ? sortRows(result.rows) : result.rows).toEqual(c.unordered ? sortRows(c.rows!) : c.rows);
      });
    }
  });
}

/** Validates a SARIF log against the subset schema with ajv, plus the cross-references a schema cannot express. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('./sarif-2.1.0.subset.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

interface LooseSarif {
  runs: { tool: { driver: { rules?: { id: string }[] } }; results?: { ruleId: string; ruleIndex?: number }[] }[];
}

/** Schema errors as `path message` strings (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  validate(log);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`.trim());
}

export function expectValidSarif(log: unknown): void {
  expect(sarifSchemaErrors(log), 'SARIF schema errors').toEqual([]);
  for (const run of (log as LooseSarif).runs) {
    const ids = (run.tool.driver.rules ?? []).map((r) => r.id);
    expect(new Set(ids).size, 'rule ids are unique').toBe(ids.length);
    for (const result of run.results ?? []) {
      expect(ids, `rule ${result.ruleId} is declared`).toContain(result.ruleId);
      if (result.ruleIndex !== undefined) expect(ids[result.ruleIndex]).toBe(result.ruleId);
    }
  }
}

/** The rule-test schema (rule-tests.schema.json): fixture cases in `<slug>.tests.yaml` beside a rule. */
import { Type } from '@sinclair/typebox';
import { Cell, JSON_SCHEMA_DRAFT, mapOf, patterned, ref } from './common.ts';

const NAME = '^[A-Za-z_][A-Za-z0-9_]*$';

const isoDateTime = patterned(
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
  'an ISO 8601 date-time such as 2026-03-10T10:00:00Z (quote it)',
);

const row = mapOf({
  description: 'One event: column name to value. Columns left out are null (empty for string columns). Datetimes as ISO text; dynamic columns as YAML maps/lists or JSON text.',
  keys: patterned(NAME, 'a column name (letters, digits, underscore)'),
});

const watchlistItem = mapOf({ description: 'One watchlist item: column name to value (stored as text).', values: Cell });

export const RuleTestCaseSchema = Type.Object({
  name: Type.String({ minLength: 1, description: 'What the case shows; unique within the file.' }),
  now: ref('#/definitions/isoDateTime', isoDateTime, { description: 'The pinned now() for ago()/now() in the query.' }),
  tables: mapOf({
    description: 'Rows per table name (tables of the built-in catalogue, scripts/model/data/tables.json, or declared by the repository). Tables not listed are empty.',
    keys: patterned(NAME, 'a table name such as AuditLogs'),
    values: Type.Array(ref('#/definitions/row', row)),
  }),
  watchlists: Type.Optional(mapOf({
    description: "Watchlist items by alias replacing the repo's default items for this case (as a target override would).",
    values: Type.Array(ref('#/definitions/watchlistItem', watchlistItem)),
  })),
  parameters: Type.Optional(mapOf({
    description: "Values of the rule's declared parameters for this case (default: the rule's defaults).",
    keys: patterned(NAME, "a parameter name declared under the rule's parameters"),
  })),
  expect: Type.Object({
    alert: Type.Boolean({ description: "true: the result must satisfy the rule's trigger (triggerOperator/triggerThreshold, default gt 0); false: it must not." }),
    count: Type.Optional(Type.Integer({ minimum: 0, description: 'Exact number of result rows.' })),
    rows: Type.Optional(Type.Array(mapOf(), { description: 'Each listed row (a subset of the output columns) must match some result row.' })),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export const RuleTestsSchema = Type.Object({
  description: Type.Optional(Type.String({ description: 'Free text about the fixtures (where the event shapes come from).' })),
  cases: Type.Array(ref('#/definitions/case', RuleTestCaseSchema), {
    minItems: 1,
    description: 'Test cases; give each rule at least one case that must alert and one that must stay silent.',
  }),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'rule-tests.schema.json',
  title: 'Rule tests (<slug>.tests.yaml beside the rule)',
  description: "True-positive and true-negative fixture cases for one analytic rule. `sentinel test` runs the rule's KQL over each case's rows with now() pinned, on the local evaluator.",
  additionalProperties: false,
  definitions: { isoDateTime, row, watchlistItem, case: RuleTestCaseSchema },
});

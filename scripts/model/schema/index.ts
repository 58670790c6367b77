/**
 * The content schemas, one per kind of content file, plus the shared definitions they reference.
 * The generated scripts/content/schemas/*.json and ajv both come from these objects.
 */
import { CommonSchema } from './common.ts';
import { FunctionSchema } from './function.ts';
import { DeclaredFunctionSchema, DeclaredTableSchema } from './declared.ts';
import { RuleSchema } from './rule.ts';
import { RuleTestsSchema } from './rule-tests.ts';
import { TargetSchema } from './target.ts';
import { WatchlistSchema } from './watchlist.ts';
import { WorkbookSchema } from './workbook.ts';
import { RepoConfigSchema } from './repo-config.ts';

export { CommonSchema, DeclaredFunctionSchema, DeclaredTableSchema, FunctionSchema, RuleSchema, RepoConfigSchema, RuleTestsSchema, TargetSchema, WatchlistSchema, WorkbookSchema };

/** Content schemas by name; `<name>.schema.json` is each one's `$id` and file name. */
export const CONTENT_SCHEMAS = {
  rule: RuleSchema,
  watchlist: WatchlistSchema,
  workbook: WorkbookSchema,
  target: TargetSchema,
  'rule-tests': RuleTestsSchema,
  function: FunctionSchema,
  'declared-table': DeclaredTableSchema,
  'declared-function': DeclaredFunctionSchema,
  'repo-config': RepoConfigSchema,
} as const;

export type SchemaName = keyof typeof CONTENT_SCHEMAS;

/** Every schema document by its `$id` (also its file name under scripts/content/schemas/), referenced ones first. */
export const SCHEMA_DOCUMENTS: ReadonlyMap<string, object> = new Map<string, object>([
  [CommonSchema.$id, CommonSchema],
  ...Object.entries(CONTENT_SCHEMAS).map(([name, schema]) => [`${name}.schema.json`, schema] as [string, object]),
]);

/**
 * The content model: what the loader produces from YAML and every later stage consumes.
 * Plain data plus a `source` handle for mapping fields back to file:line:col. The content
 * documents are the `Static` types of their schemas (./schema/), so what is validated is what is typed.
 */
import type { Static } from '@sinclair/typebox';
import type { CommonSchema } from './schema/common.ts';
import type { FunctionParameterSchema, FunctionSchema } from './schema/function.ts';
import type {
  AlertDetailsOverrideSchema, EntityMappingSchema, FieldMappingSchema, GroupingConfigurationSchema,
  IncidentConfigurationSchema, RuleParameterSchema, RuleSchema, TriggerOperatorSchema,
} from './schema/rule.ts';
import type { RuleTestCaseSchema, RuleTestsSchema } from './schema/rule-tests.ts';
import type { RuleOverrideSchema, TargetSchema } from './schema/target.ts';
import type { WatchlistColumnSchema, WatchlistSchema } from './schema/watchlist.ts';
import type { WorkbookSchema } from './schema/workbook.ts';
import type { KqlType } from './kql-type.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One finding, always anchored in a file (repo-relative, forward slashes) at a 1-based line:col. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  severity: Severity;
  /** Stable machine code: `yaml/duplicate-key`, `schema/enum`, `kql/KS142`, `check/entity-column`, … */
  code: string;
  message: string;
}

export interface Pos {
  line: number;
  col: number;
}

/** A key or index path into a YAML document, e.g. ['entityMappings', 0, 'fieldMappings', 1, 'columnName']. */
export type NodePath = ReadonlyArray<string | number>;

/** Position lookups into one loaded file. */
export interface SourceFile {
  /** Repo-relative path with forward slashes. */
  readonly file: string;
  readonly text: string;
  /** Position of the value at `path` (or of the nearest existing ancestor). */
  pos(path: NodePath): Pos;
  /** Position of the key of the map entry at `path` (falls back to the value). */
  keyPos(path: NodePath): Pos;
  /**
   * Position in the file of character `offset` (0-based, UTF-16) of the string value at `path`,
   * for every scalar style: plain, quoted, literal `|` and folded `>` block scalars.
   */
  offsetPos(path: NodePath, offset: number): Pos;
}

// ---- content documents: the TypeScript side of the schemas in ./schema/ ----------------------

export type RuleSeverity = Static<typeof CommonSchema.definitions.severity>;
export type EntityType = Static<typeof CommonSchema.definitions.entityType>;
export type TriggerOperator = Static<typeof TriggerOperatorSchema>;
export type FieldMapping = Static<typeof FieldMappingSchema>;
export type EntityMapping = Static<typeof EntityMappingSchema>;
export type AlertDetailsOverride = Static<typeof AlertDetailsOverrideSchema>;
export type GroupingConfiguration = Static<typeof GroupingConfigurationSchema>;
export type IncidentConfiguration = Static<typeof IncidentConfigurationSchema>;
/** A declared, per-target tunable value. The query holds `let <name> = <default literal>;`. */
export type RuleParameter = Static<typeof RuleParameterSchema>;
/** Analytic rule in the Azure-Sentinel YAML format plus our optional extensions (see schema/rule.ts). */
export type AnalyticRule = Static<typeof RuleSchema>;

export interface RuleFile {
  kind: 'rule';
  /** File stem, e.g. `sp-credential-added`; unique per repo (checked). */
  slug: string;
  /** Folder under analytics-rules/, e.g. `entra`. */
  area: string;
  rule: AnalyticRule;
  source: SourceFile;
}

export type WatchlistColumnType = Static<typeof WatchlistColumnSchema>['type'];
export type WatchlistColumn = Static<typeof WatchlistColumnSchema>;

/** A watchlist item as the model holds it: every cell is text (the loader stringifies YAML scalars). */
export type WatchlistItem = Record<string, string>;

/** A watchlist file as validated; cells may still be YAML numbers or booleans. */
export type WatchlistDocument = Static<typeof WatchlistSchema>;

export type Watchlist = Omit<WatchlistDocument, 'items'> & { items: WatchlistItem[] };

export interface WatchlistFile {
  kind: 'watchlist';
  watchlist: Watchlist;
  source: SourceFile;
}

export type Workbook = Static<typeof WorkbookSchema>;

export interface WorkbookFile {
  kind: 'workbook';
  slug: string;
  workbook: Workbook;
  source: SourceFile;
}

export type RuleOverride = Static<typeof RuleOverrideSchema>;

/** A target file as validated; the name comes from the file stem. */
export type TargetDocument = Static<typeof TargetSchema>;

export type Target = Omit<TargetDocument, 'watchlistItems'> & {
  /** File stem; unique. */
  name: string;
  /** Extra watchlist items for this target only, by watchlist alias. */
  watchlistItems?: Record<string, WatchlistItem[]>;
};

export interface TargetFile {
  kind: 'target';
  target: Target;
  source: SourceFile;
}

/** A KQL function as validated (functions/<alias>.yaml); deployed as a saved search with functionAlias. */
export type KqlFunction = Static<typeof FunctionSchema>;
export type KqlFunctionParameter = Static<typeof FunctionParameterSchema>;

export interface FunctionFile {
  kind: 'function';
  /** File stem; must equal `fn.alias` (checked). */
  slug: string;
  fn: KqlFunction;
  source: SourceFile;
}

export type ContentFile = RuleFile | WatchlistFile | WorkbookFile | TargetFile | FunctionFile;

/** Everything in a repository, plus the diagnostics raised while loading it. */
export interface Repo {
  root: string;
  rules: RuleFile[];
  ruleTests: TestFile[];
  watchlists: WatchlistFile[];
  workbooks: WorkbookFile[];
  targets: TargetFile[];
  functions: FunctionFile[];
  functionTests: FunctionTestFile[];
  /** Declared schemas: `schemas/tables/` and `schemas/functions/` (tables and functions beyond the built-in catalogue). */
  schemas: DeclaredSchemas;
  diagnostics: Diagnostic[];
  /**
   * Content files that failed to parse or failed their schema (their error is in `diagnostics`):
   * later checks skip findings that only follow from such a file being absent from the model
   * (an orphaned tests file, a missing test case, a stale docs page), so one cause is one error.
   */
  failed?: ReadonlySet<string>;
}

// ---- declared schemas (schemas/tables/, schemas/functions/; see schema/declared.ts) -----------

/** A column of a declared table or a declared function's output, its type mapped to Kusto. */
export interface DeclaredColumn {
  name: string;
  type: KqlType;
  /** Where the column is written in its file (for findings about it). */
  at: NodePath;
}

export interface DeclaredTableFile {
  kind: 'declaredTable';
  name: string;
  description?: string;
  columns: DeclaredColumn[];
  /** Path of the name's value in the file. */
  nameAt: NodePath;
  source: SourceFile;
}

export interface DeclaredParameter {
  name: string;
  type: KqlType;
  /** KQL literal text of the default; absent = the parameter is required. */
  default?: string;
}

export interface DeclaredFunctionFile {
  kind: 'declaredFunction';
  name: string;
  description?: string;
  parameters: DeclaredParameter[];
  /** Declared output columns (the function is tabular with exactly these); null when it has a body instead. */
  columns: DeclaredColumn[] | null;
  /** KQL body (`Query`), used when no output columns are declared. */
  body?: string;
  nameAt: NodePath;
  source: SourceFile;
}

export interface DeclaredSchemas {
  tables: DeclaredTableFile[];
  functions: DeclaredFunctionFile[];
}

/** One case of a rule-test file `<slug>.tests.yaml` beside its rule (see scripts/evaluate). */
export type RuleTestCase = Static<typeof RuleTestCaseSchema>;
/** A rule-test file as validated. */
export type RuleTestsDocument = Static<typeof RuleTestsSchema>;

export interface TestFile {
  kind: 'ruleTests';
  /** Path of the rule file this tests. */
  ruleFile: string;
  cases: RuleTestCase[];
  source: SourceFile;
}

/** Fixture cases of a function, `functions/<alias>.tests.yaml` (the rule-test format; see scripts/evaluate). */
export interface FunctionTestFile {
  kind: 'functionTests';
  /** Path of the function file this tests. */
  functionFile: string;
  cases: RuleTestCase[];
  source: SourceFile;
}

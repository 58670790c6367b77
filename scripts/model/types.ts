/**
 * The content model: what the loader produces from YAML and every later stage consumes.
 * Plain data plus a `source` handle for mapping fields back to file:line:col.
 */

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

export type RuleSeverity = 'Informational' | 'Low' | 'Medium' | 'High';
export type TriggerOperator = 'gt' | 'lt' | 'eq' | 'ne';

export interface FieldMapping {
  identifier: string;
  columnName: string;
}
export interface EntityMapping {
  entityType: string;
  fieldMappings: FieldMapping[];
}

export interface AlertDetailsOverride {
  alertDisplayNameFormat?: string;
  alertDescriptionFormat?: string;
  alertTacticsColumnName?: string;
  alertSeverityColumnName?: string;
  alertDynamicProperties?: { alertProperty: string; value: string }[];
}

export interface GroupingConfiguration {
  enabled: boolean;
  reopenClosedIncident?: boolean;
  lookbackDuration?: string;
  matchingMethod?: 'AllEntities' | 'AnyAlert' | 'Selected';
  groupByEntities?: string[];
  groupByAlertDetails?: string[];
  groupByCustomDetails?: string[];
}

export interface IncidentConfiguration {
  createIncident: boolean;
  groupingConfiguration?: GroupingConfiguration;
}

/** A declared, per-target tunable value. The query holds `let <name> = <default literal>;`. */
export interface RuleParameter {
  description: string;
  type: 'string' | 'int' | 'long' | 'real' | 'bool' | 'timespan' | 'datetime' | 'dynamic';
  default: unknown;
}

/** Analytic rule in the Azure-Sentinel YAML format plus our optional extensions. */
export interface AnalyticRule {
  id: string;
  name: string;
  description: string;
  kind: 'Scheduled' | 'NRT';
  severity: RuleSeverity;
  status?: string;
  enabled?: boolean;
  requiredDataConnectors?: { connectorId: string; dataTypes: string[] }[];
  queryFrequency?: string;
  queryPeriod?: string;
  triggerOperator?: TriggerOperator;
  triggerThreshold?: number;
  tactics?: string[];
  relevantTechniques?: string[];
  query: string;
  entityMappings?: EntityMapping[];
  /** Newer field (api-version 2023-02-01+): columns whose entities Sentinel extracts. */
  sentinelEntitiesMappings?: { columnName: string }[];
  customDetails?: Record<string, string>;
  alertDetailsOverride?: AlertDetailsOverride;
  eventGroupingSettings?: { aggregationKind: 'SingleAlert' | 'AlertPerResult' };
  incidentConfiguration?: IncidentConfiguration;
  suppressionEnabled?: boolean;
  suppressionDuration?: string;
  version: string;
  tags?: unknown[];
  metadata?: Record<string, unknown>;
  // --- extensions (never sent to ARM) ---
  investigationGuide?: string;
  falsePositives?: string[];
  references?: string[];
  parameters?: Record<string, RuleParameter>;
  /** Where the rule came from and how it differs (free text, used in generated docs). */
  lineage?: string;
}

export interface RuleFile {
  kind: 'rule';
  /** File stem, e.g. `sp-credential-added`; unique per repo (checked). */
  slug: string;
  /** Folder under analytics-rules/, e.g. `entra`. */
  area: string;
  rule: AnalyticRule;
  source: SourceFile;
}

export type WatchlistColumnType = 'string' | 'ipOrRange' | 'datetime' | 'int' | 'bool' | 'email' | 'guid';

export interface WatchlistColumn {
  name: string;
  type: WatchlistColumnType;
  description?: string;
  required?: boolean;
}

export type WatchlistItem = Record<string, string>;

export interface Watchlist {
  alias: string;
  displayName: string;
  description: string;
  provider: string;
  source: string;
  itemsSearchKey: string;
  columns: WatchlistColumn[];
  items: WatchlistItem[];
  labels?: string[];
  /** ISO 8601 duration after which items expire in Sentinel, e.g. P365D. */
  defaultDuration?: string;
}

export interface WatchlistFile {
  kind: 'watchlist';
  watchlist: Watchlist;
  source: SourceFile;
}

export interface Workbook {
  /** Stable GUID: the ARM resource name. */
  id: string;
  displayName: string;
  description?: string;
  version: string;
  /** The gallery template (`Notebook/1.0`) as plain data; serialised to JSON on deploy. */
  template: Record<string, unknown>;
}

export interface WorkbookFile {
  kind: 'workbook';
  slug: string;
  workbook: Workbook;
  source: SourceFile;
}

export interface RuleOverride {
  /** Rule id or glob over rule id / slug (`entra/*`, `*aws*`). */
  rules: string;
  enabled?: boolean;
  severity?: RuleSeverity;
  triggerThreshold?: number;
  queryFrequency?: string;
  queryPeriod?: string;
  parameters?: Record<string, unknown>;
}

export interface Target {
  /** File stem; unique. */
  name: string;
  displayName?: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  location: string;
  /** Rollout wave; lower waves first (0 = canary). */
  wave: number;
  /** Rules off for this target (globs over id / `area/slug`). */
  disableRules?: string[];
  overrides?: RuleOverride[];
  /** Extra watchlist items for this target only, by watchlist alias. */
  watchlistItems?: Record<string, WatchlistItem[]>;
}

export interface TargetFile {
  kind: 'target';
  target: Target;
  source: SourceFile;
}

export type ContentFile = RuleFile | WatchlistFile | WorkbookFile | TargetFile;

/** Everything in a repository, plus the diagnostics raised while loading it. */
export interface Repo {
  root: string;
  rules: RuleFile[];
  ruleTests: TestFile[];
  watchlists: WatchlistFile[];
  workbooks: WorkbookFile[];
  targets: TargetFile[];
  diagnostics: Diagnostic[];
}

/** Rule-test file `<slug>.tests.yaml` beside its rule (see scripts/evaluate). */
export interface RuleTestCase {
  name: string;
  /** Pinned `now()`; ISO 8601. */
  now: string;
  /** Rows per table name. Missing columns are null. */
  tables: Record<string, Record<string, unknown>[]>;
  /** Watchlist items overriding the repo's for this case, by alias. */
  watchlists?: Record<string, WatchlistItem[]>;
  /** Parameter values overriding the rule's defaults. */
  parameters?: Record<string, unknown>;
  expect: {
    alert: boolean;
    /** Exact number of result rows, when given. */
    count?: number;
    /** Each listed row must match (subset of columns) some result row. */
    rows?: Record<string, unknown>[];
  };
}

export interface TestFile {
  kind: 'ruleTests';
  /** Path of the rule file this tests. */
  ruleFile: string;
  cases: RuleTestCase[];
  source: SourceFile;
}

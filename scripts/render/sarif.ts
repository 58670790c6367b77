/**
 * SARIF 2.1.0 for GitHub code scanning: one run, one tool-driver rule per diagnostic code, one
 * result per diagnostic with a physical location relative to the repository root (%SRCROOT%).
 * Pure: Diagnostic[] → plain object (serialise with `JSON.stringify`).
 */
import type { Diagnostic, Severity } from '../model/types.ts';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' };
      region: SarifRegion;
    };
  }[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
  helpUri?: string;
  properties: { tags: string[] };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

export interface SarifOptions {
  toolName?: string;
  toolVersion?: string;
  informationUri?: string;
  /** Optional human descriptions per diagnostic code; otherwise derived from the code's family. */
  ruleDescriptions?: Readonly<Record<string, string>>;
  /** Optional documentation link per code (e.g. a docs page anchor). */
  helpUri?: (code: string) => string | undefined;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
const RANK: Record<SarifLevel, number> = { note: 0, warning: 1, error: 2 };

/** What the first segment of a code (`kql/KS142` → `kql`) is about. */
const FAMILY: Readonly<Record<string, string>> = {
  yaml: 'YAML structure',
  schema: 'Content schema',
  kql: 'KQL query',
  check: 'Rule cross-check',
  version: 'Version discipline',
  watchlist: 'Watchlist item',
  target: 'Deployment target',
  test: 'Rule test',
};

function family(code: string): { key: string; label: string } {
  const key = code.includes('/') ? code.slice(0, code.indexOf('/')) : code;
  return { key, label: FAMILY[key] ?? 'Content check' };
}

/** `check/entity-column` → `CheckEntityColumn`: SARIF's `name` is an identifier-like label. */
function ruleName(code: string): string {
  return code
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function region(d: Diagnostic): SarifRegion {
  const r: SarifRegion = { startLine: Math.max(1, d.line), startColumn: Math.max(1, d.col) };
  if (d.endLine !== undefined) r.endLine = Math.max(r.startLine, d.endLine);
  // SARIF's endColumn is exclusive and may not precede the start on the same line.
  if (d.endCol !== undefined && ((r.endLine ?? r.startLine) > r.startLine || d.endCol >= r.startColumn)) {
    r.endColumn = d.endCol;
  }
  return r;
}

/** Builds the SARIF log. Rules are sorted by code so the output is stable for identical input. */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): SarifLog {
  const levels = new Map<string, SarifLevel>();
  for (const d of diagnostics) {
    const level = LEVEL[d.severity];
    const seen = levels.get(d.code);
    if (seen === undefined || RANK[level] > RANK[seen]) levels.set(d.code, level);
  }
  const codes = [...levels.keys()].sort();
  const index = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code): SarifRule => {
    const { key, label } = family(code);
    const description = options.ruleDescriptions?.[code] ?? `${label}: ${code}`;
    const rule: SarifRule = {
      id: code,
      name: ruleName(code),
      shortDescription: { text: description },
      fullDescription: { text: description },
      defaultConfiguration: { level: levels.get(code)! },
      properties: { tags: ['sentinel', key] },
    };
    const help = options.helpUri?.(code);
    if (help) rule.helpUri = help;
    return rule;
  });
  const results = diagnostics.map(
    (d): SarifResult => ({
      ruleId: d.code,
      ruleIndex: index.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(d.file.replace(/\\/g, '/')), uriBaseId: '%SRCROOT%' },
            region: region(d),
          },
        },
      ],
    }),
  );
  const driver: SarifLog['runs'][number]['tool']['driver'] = {
    name: options.toolName ?? 'sentinel-content-as-code',
    version: options.toolVersion ?? '0.0.0',
    rules,
  };
  if (options.informationUri) driver.informationUri = options.informationUri;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{ tool: { driver }, columnKind: 'utf16CodeUnits', results }],
  };
}

/** The SARIF log as pretty-printed JSON text, newline-terminated. */
export function renderSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(diagnostics, options), null, 2)}\n`;
}

const SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', note: 'info', none: 'info' };

/** A SARIF log that `toSarif` could have written (checked by the caller, e.g. with ajv). */
export interface SarifInput {
  version: '2.1.0';
  runs: {
    results?: {
      ruleId: string;
      level?: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: Partial<SarifRegion> & { startLine: number } } }[];
    }[];
  }[];
}

/** Back from SARIF to diagnostics, so one validate run (SARIF) also feeds the summary and PR comment. */
export function fromSarif(log: SarifInput): Diagnostic[] {
  return log.runs.flatMap((run) =>
    (run.results ?? []).map((r) => {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      const d: Diagnostic = {
        file: decodeURI(artifactLocation.uri),
        line: region.startLine,
        col: region.startColumn ?? 1,
        severity: SEVERITY[r.level ?? 'warning'] ?? 'warning',
        code: r.ruleId,
        message: r.message.text,
      };
      if (region.endLine !== undefined) d.endLine = region.endLine;
      if (region.endColumn !== undefined) d.endCol = region.endColumn;
      return d;
    }),
  );
}

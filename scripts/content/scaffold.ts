/**
 * `sentinel new …`: the files of a new content item, valid as written (schema header, fresh GUID,
 * version 1.0.0) with placeholders to fill in. Pure: returns repo-relative paths and text; the CLI
 * writes them (and refuses to overwrite).
 */
import { randomUUID } from 'node:crypto';
import { CONTENT_DIRS, TEST_SUFFIX } from './load.ts';

export const NEW_KINDS = ['rule', 'watchlist', 'workbook', 'target'] as const;
export type NewKind = (typeof NEW_KINDS)[number];

export interface ScaffoldFile {
  path: string;
  text: string;
}

export class ScaffoldError extends Error {}

const header = (depth: number, schema: string) => `# yaml-language-server: $schema=${'../'.repeat(depth)}scripts/content/schemas/${schema}.schema.json\n`;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ALIAS = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const TARGET = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const TABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `Entra app credential added` from `app-credential-added`. */
function title(slug: string): string {
  const words = slug.split('-');
  return [words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1), ...words.slice(1)].join(' ');
}

export interface RuleOptions {
  /** `<area>/<slug>` under analytics-rules/ (or just `<slug>`). */
  name: string;
  kind?: 'Scheduled' | 'NRT';
  table?: string;
  id?: string;
}

export function scaffoldRule(o: RuleOptions): ScaffoldFile[] {
  const parts = o.name.replace(/\.ya?ml$/, '').split('/');
  const slug = parts.at(-1)!;
  const area = parts.slice(0, -1);
  if (!SLUG.test(slug) || !area.every((a) => SLUG.test(a))) {
    throw new ScaffoldError(`"${o.name}" is not <area>/<slug> in lower-case words joined by hyphens (e.g. entra/app-credential-added)`);
  }
  if (slug.endsWith('.tests')) throw new ScaffoldError(`"${o.name}": the rule's name must not end in .tests`);
  const table = o.table ?? 'AuditLogs';
  if (!TABLE.test(table)) throw new ScaffoldError(`"${table}" is not a table name`);
  const kind = o.kind ?? 'Scheduled';
  const dir = [CONTENT_DIRS.rules, ...area].join('/');
  const depth = area.length + 1;
  const schedule = kind === 'Scheduled'
    ? 'queryFrequency: 1h\n# Look back longer than the run interval so events that arrive late are still seen (docs/rules/README.md).\nqueryPeriod: 2h\ntriggerOperator: gt\ntriggerThreshold: 0\n'
    : '';
  const window = kind === 'Scheduled' ? '2h' : '1h';
  const rule =
    header(depth, 'rule') +
    `id: ${o.id ?? randomUUID()}\n` +
    `name: ${title(slug)}\n` +
    'description: |\n  What this rule detects, why it matters and what the alert means. (Replace this text.)\n' +
    'severity: Medium\n' +
    'requiredDataConnectors: []\n' +
    schedule +
    'tactics:\n  - Persistence\n' +
    'relevantTechniques:\n  - T1098.001\n' +
    'query: |\n' +
    '  // Replace with the detection. Keep the time filter in step with queryPeriod.\n' +
    `  ${table}\n` +
    `  | where TimeGenerated > ago(${window})\n` +
    '  | where false // matches nothing until the detection is written\n' +
    '  | project TimeGenerated\n' +
    'version: 1.0.0\n' +
    `kind: ${kind}\n` +
    'falsePositives:\n  - What benign activity looks the same, and how to tell it apart. (Replace.)\n' +
    'investigationGuide: |\n  **Triage**\n  1. (Replace: what to check first.)\n';
  const tests =
    header(depth, 'rule-tests') +
    '# One attack event that must alert and one benign event that must not; fill in the rows with the\n' +
    `# fields the query reads (see the ${table} table reference), then run: sentinel test ${dir}/${slug}${TEST_SUFFIX}\n` +
    'cases:\n' +
    '- name: the attack this rule is for alerts (true positive)\n' +
    "  now: '2026-01-01T12:00:00Z'\n" +
    `  tables:\n    ${table}:\n    - TimeGenerated: '2026-01-01T11:30:00Z'\n` +
    '  expect:\n    alert: true\n' +
    '- name: the closest benign activity does not alert (true negative)\n' +
    "  now: '2026-01-01T12:00:00Z'\n" +
    `  tables:\n    ${table}:\n    - TimeGenerated: '2026-01-01T11:30:00Z'\n` +
    '  expect:\n    alert: false\n';
  return [{ path: `${dir}/${slug}.yaml`, text: rule }, { path: `${dir}/${slug}${TEST_SUFFIX}`, text: tests }];
}

export function scaffoldWatchlist(alias: string): ScaffoldFile[] {
  if (!ALIAS.test(alias)) throw new ScaffoldError(`"${alias}" is not a watchlist alias (a letter, then letters, digits or _; at most 64)`);
  return [{
    path: `${CONTENT_DIRS.watchlists}/${alias}.yaml`,
    text:
      header(1, 'watchlist') +
      `alias: ${alias}\n` +
      `displayName: ${alias}\n` +
      'description: What the list holds, who maintains it and which rules read it. (Replace.)\n' +
      'provider: Detection engineering\n' +
      `source: ${CONTENT_DIRS.watchlists}/${alias}.yaml\n` +
      'itemsSearchKey: Key\n' +
      'columns:\n' +
      '  - name: Key\n    type: string\n    required: true\n    description: The value rules look up. (Rename and describe.)\n' +
      '  - name: Description\n    type: string\n    required: true\n    description: Why the entry is on the list.\n' +
      'items: []\n',
  }];
}

export function scaffoldWorkbook(slug: string, id = randomUUID()): ScaffoldFile[] {
  if (!SLUG.test(slug)) throw new ScaffoldError(`"${slug}" is not a workbook name in lower-case words joined by hyphens`);
  return [{
    path: `${CONTENT_DIRS.workbooks}/${slug}.yaml`,
    text:
      header(1, 'workbook') +
      `id: ${id}\n` +
      `displayName: ${title(slug)}\n` +
      'description: What the workbook shows and for whom. (Replace.)\n' +
      'version: 1.0.0\n' +
      'template:\n' +
      '  version: Notebook/1.0\n' +
      '  items:\n' +
      '    - type: 1\n      name: intro\n      content:\n        json: |\n          ## ' + title(slug) + '\n',
  }];
}

export interface TargetOptions {
  name: string;
  tenantId?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  workspaceName?: string;
  location?: string;
  wave?: number;
}

const PLACEHOLDER_TENANT = '00000000-0000-0000-0000-000000000000';

export function scaffoldTarget(o: TargetOptions): ScaffoldFile[] {
  if (!TARGET.test(o.name)) throw new ScaffoldError(`"${o.name}" is not a target name (lower-case letters and digits joined by - or _)`);
  return [{
    path: `${CONTENT_DIRS.targets}/${o.name}.yaml`,
    text:
      header(1, 'target') +
      (o.tenantId ? '' : '# Placeholder ids: replace them with the workspace\'s tenant, subscription, resource group and name.\n') +
      `displayName: ${o.name}\n` +
      `tenantId: ${o.tenantId ?? PLACEHOLDER_TENANT}\n` +
      `subscriptionId: ${o.subscriptionId ?? PLACEHOLDER_TENANT}\n` +
      `resourceGroup: ${o.resourceGroup ?? 'rg-sentinel'}\n` +
      `workspaceName: ${o.workspaceName ?? `law-${o.name}`}\n` +
      `location: ${o.location ?? 'westeurope'}\n` +
      `wave: ${o.wave ?? 1}\n`,
  }];
}

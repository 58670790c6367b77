/**
 * `sentinel export --format arm`: every template validates against the deploymentTemplate structure
 * (deployment-template-schema.ts), its resources carry exactly the bodies deploy sends (mapping.ts),
 * names and types agree, api-versions are ones the service (and the emulator) accept, only `workspace`
 * lacks a default (Sentinel Repositories passes no other), and the output is byte-for-byte stable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRepo } from '../../scripts/content/load.ts';
import { functionToArm, ruleToArm, watchlistItemsToArm, watchlistToArm, workbookResourceName } from '../../scripts/deploy/desired/mapping.ts';
import { workspaceOf } from '../../scripts/deploy/desired/model.ts';
import { normaliseWatchlistItem } from '../../scripts/deploy/desired/normalise.ts';
import { escapeLiteral, EXPORT_API_VERSIONS, exportWorkbookName, TEMPLATE_SCHEMA } from '../../scripts/deploy/export/template.ts';
import { runCli } from '../helpers/cli.ts';
import { GOOD_FUNCTION, GOOD_RULE, tempRepo, WATCHLIST } from '../helpers/repo.ts';
import { DEPLOYMENT_TEMPLATE_SCHEMA } from './deployment-template-schema.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'sentinel-export-t-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const byKey = (key: string) => (a: Json, b: Json) => (String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0);
interface Template { $schema: string; contentVersion: string; parameters: Record<string, Json>; resources: Json[] }

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)).map((g) => `${f}/${g}`) : [f])).sort();
}

async function exportTo(name: string, ...args: string[]): Promise<{ dir: string; templates: Map<string, Template>; texts: Map<string, string> }> {
  const dir = join(temp, name);
  const run = await runCli(['export', '--root', ROOT, '--out', dir, ...args]);
  expect(run.code, run.stderr).toBe(0);
  const texts = new Map(files(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  return { dir, texts, templates: new Map([...texts].map(([f, t]) => [f, JSON.parse(t) as Template])) };
}

/** The literal a template string stands for (`[[x]` → `[x]`), applied to plain data. */
function unescape(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith('[[') ? v.slice(1) : v;
  if (Array.isArray(v)) return v.map(unescape);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescape(x)]));
  return v;
}

/** Types Sentinel Repositories deploys (its deployment script's content-type map); others make it skip the file. */
const REPOSITORIES_TYPES = new Set([
  'microsoft.operationalinsights/workspaces/providers/alertrules',
  'microsoft.operationalinsights/workspaces/savedsearches',
  'microsoft.insights/workbooks',
]);

describe('export of this repository', async () => {
  const { templates, texts } = await exportTo('repo');
  const repo = await loadRepo(ROOT);
  const validate = new Ajv({ allErrors: true, strict: false }).compile(DEPLOYMENT_TEMPLATE_SCHEMA);

  it('writes one template per content file, in the repo layout', () => {
    const expected = [...repo.rules, ...repo.watchlists, ...repo.workbooks, ...(repo.functions ?? [])].map((f) => f.source.file.replace(/\.yaml$/, '.json')).sort();
    expect([...templates.keys()]).toEqual(expected);
  });

  it.each([...texts.keys()])('%s validates against the deploymentTemplate structure', (file) => {
    const t = templates.get(file)!;
    expect(validate(t), JSON.stringify(validate.errors)).toBe(true);
    expect(t.$schema).toBe(TEMPLATE_SCHEMA);
    expect(texts.get(file)!.endsWith('}\n')).toBe(true);
    // Only the workspace needs a value: Repositories passes `workspace` and nothing else.
    const required = Object.entries(t.parameters).filter(([, p]) => !('defaultValue' in p)).map(([n]) => n);
    expect(required).toEqual(['workspace']);
    for (const r of t.resources) {
      const type = String(r.type);
      // One name segment per type segment after the namespace: concat(parameters('workspace'), '<literal>'…).
      const m = /^\[concat\(parameters\('workspace'\), (.*)\)\]$/.exec(String(r.name));
      if (m) {
        const name = 'ws' + [...m[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1]!.replace(/''/g, "'")).join('');
        expect(name.split('/').length, `${file}: ${type} ${String(r.name)}`).toBe(type.split('/').length - 1);
      } else {
        expect(type).toBe('Microsoft.Insights/workbooks');
      }
      const versions = type.includes('/providers/') ? [EXPORT_API_VERSIONS.securityInsights, EXPORT_API_VERSIONS.securityInsightsPreview]
        : type === 'Microsoft.Insights/workbooks' ? [EXPORT_API_VERSIONS.workbooks] : [EXPORT_API_VERSIONS.savedSearches];
      expect(versions).toContain(r.apiVersion);
      if (!file.startsWith('watchlists/')) expect(REPOSITORIES_TYPES.has(type.toLowerCase()), `${file}: ${type}`).toBe(true);
    }
  });

  it('rule templates carry exactly the alert-rule body deploy sends', () => {
    for (const rf of repo.rules) {
      const t = templates.get(rf.source.file.replace(/\.yaml$/, '.json'))!;
      const [r] = t.resources;
      const body = ruleToArm(rf.rule);
      expect(r!.kind).toBe(body.kind);
      expect(unescape(r!.properties)).toEqual(body.properties);
      expect(r!.name).toBe(`[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '${rf.rule.id}')]`);
      expect(t.contentVersion).toBe(`${rf.rule.version}.0`);
    }
  });

  it('watchlist templates: one watchlist resource whose rawContent CSV holds every row (the bulk upload apply makes)', () => {
    for (const wf of repo.watchlists) {
      const t = templates.get(wf.source.file.replace(/\.yaml$/, '.json'))!;
      expect(t.resources).toHaveLength(1);
      const props = unescape(t.resources[0]!.properties) as Json;
      const { rawContent, contentType, numberOfLinesToSkip, ...rest } = props;
      expect(rest).toEqual(watchlistToArm(wf.watchlist).properties);
      expect([contentType, numberOfLinesToSkip]).toEqual(['text/csv', 0]);
      const rows = parse(String(rawContent), { columns: true }) as Record<string, string>[];
      const want = watchlistItemsToArm(wf.watchlist, wf.watchlist.items).map((d) => normaliseWatchlistItem(d.body));
      const strip = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ''));
      expect(rows.map(strip).sort(byKey(wf.watchlist.itemsSearchKey))).toEqual([...want].sort(byKey(wf.watchlist.itemsSearchKey)));
    }
  });

  it('workbook templates take the workspace and location as expressions', () => {
    for (const wb of repo.workbooks) {
      const t = templates.get(wb.source.file.replace(/\.yaml$/, '.json'))!;
      const [r] = t.resources;
      expect(r!.location).toBe("[parameters('workspace-location')]");
      expect((r!.properties as Json).sourceId).toBe("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspace'))]");
      expect(JSON.parse(String((r!.properties as Json).serializedData))).toEqual(wb.workbook.template);
      expect(t.parameters['workspace-location']!.defaultValue).toBe('[resourceGroup().location]');
    }
  });

  it('is deterministic: a second export is byte-for-byte the same', async () => {
    const again = await exportTo('repo-again');
    expect(again.texts).toEqual(texts);
  });

  it('a target export applies its overrides and keeps deploy\'s workbook name', async () => {
    const { templates: prod } = await exportTo('prod', '--target', 'contoso-prod');
    expect([...prod.keys()].some((f) => f.startsWith('analytics-rules/aws/'))).toBe(false); // disableRules: aws/*
    const off = repo.rules.find((r) => r.slug === 'app-password-created')!;
    expect((prod.get(off.source.file.replace(/\.yaml$/, '.json'))!.resources[0]!.properties as Json).enabled).toBe(false);
    const target = repo.targets.find((t) => t.target.name === 'contoso-prod')!.target;
    const wb = repo.workbooks[0]!;
    expect(prod.get(wb.source.file.replace(/\.yaml$/, '.json'))!.parameters['workbook-name']!.defaultValue).toBe(workbookResourceName(wb.workbook.id, workspaceOf(target)));
    expect(templates.get(wb.source.file.replace(/\.yaml$/, '.json'))!.parameters['workbook-name']!.defaultValue).toBe(exportWorkbookName(wb.workbook.id));
  });
});

describe('export of a temp repo', () => {
  it('functions become saved searches; a literal that looks like an expression is escaped', async () => {
    const repo = tempRepo({
      'analytics-rules/entra/good.yaml': GOOD_RULE.replace('description: A certificate or secret was added to a service principal.', "description: '[not an expression]'"),
      'functions/SpCredentialChanges.yaml': GOOD_FUNCTION,
      'watchlists/NetworkAllowlist.yaml': WATCHLIST,
    });
    try {
      const dir = join(temp, 'small');
      const run = await runCli(['export', '--root', repo.root, '--out', dir]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('exported 3 template(s)');
      const rule = JSON.parse(readFileSync(join(dir, 'analytics-rules/entra/good.json'), 'utf8')) as Template;
      expect((rule.resources[0]!.properties as Json).description).toBe('[[not an expression]');
      expect(escapeLiteral('[x]')).toBe('[[x]');
      expect(escapeLiteral('[x')).toBe('[x');
      const fn = JSON.parse(readFileSync(join(dir, 'functions/SpCredentialChanges.json'), 'utf8')) as Template;
      const loaded = await loadRepo(repo.root);
      expect(fn.resources[0]).toMatchObject({
        type: 'Microsoft.OperationalInsights/workspaces/savedSearches',
        apiVersion: EXPORT_API_VERSIONS.savedSearches,
        name: "[concat(parameters('workspace'), '/', 'SpCredentialChanges')]",
        properties: unescape(functionToArm(loaded.functions![0]!.fn, 'test-repo').properties),
      });
      expect(relative(dir, join(dir, 'watchlists/NetworkAllowlist.json'))).toBe('watchlists/NetworkAllowlist.json');
    } finally {
      repo.cleanup();
    }
  });

  it('bad invocations: one line, exit 2; content errors: exit 1, nothing written', async () => {
    const repo = tempRepo({ 'analytics-rules/entra/good.yaml': GOOD_RULE });
    try {
      const noOut = await runCli(['export', '--root', repo.root]);
      expect([noOut.code, noOut.stderr.trim()]).toEqual([2, expect.stringContaining('--out <dir> is required')]);
      const full = join(temp, 'full');
      expect((await runCli(['export', '--root', repo.root, '--out', full])).code).toBe(0);
      const again = await runCli(['export', '--root', repo.root, '--out', full]);
      expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('is not empty')]);
      const target = await runCli(['export', '--root', repo.root, '--out', join(temp, 't'), '--target', 'nope']);
      expect([target.code, target.stderr]).toEqual([2, expect.stringContaining("no target 'nope'")]);
      const format = await runCli(['export', '--root', repo.root, '--out', join(temp, 'f'), '--format', 'bicep']);
      expect(format.code).toBe(2);
      repo.write('analytics-rules/entra/bad.yaml', GOOD_RULE.replace('severity: Medium', 'severity: Huge').replace('6c2d3f4a', '7c2d3f4a'));
      const bad = await runCli(['export', '--root', repo.root, '--out', join(temp, 'bad')]);
      expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('nothing exported')]);
      expect(statSyncSafe(join(temp, 'bad'))).toBe(false);
      // A function with a KQL syntax error is refused as deploy refuses it, at its file:line:col.
      repo.write('analytics-rules/entra/bad.yaml', GOOD_RULE.replace('6c2d3f4a', '7c2d3f4a').replace('name: Service principal credential added', 'name: Another rule'));
      repo.write('functions/SpCredentialChanges.yaml', GOOD_FUNCTION.replace('  | where OperationName has operation\n', '  | where OperationName has operation and\n'));
      const fn = await runCli(['export', '--root', repo.root, '--out', join(temp, 'fn')]);
      expect([fn.code, fn.stderr]).toEqual([1, expect.stringContaining('functions/SpCredentialChanges.yaml:16:42: Missing expression')]);
      expect(fn.stderr).toContain('nothing exported');
      expect(statSyncSafe(join(temp, 'fn'))).toBe(false);
    } finally {
      repo.cleanup();
    }
  });
});

function statSyncSafe(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

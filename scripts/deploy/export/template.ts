/**
 * ARM deployment templates of a target's desired state (`sentinel export --format arm`). Pure: the
 * resolved desired items in, one template per content file out (paths mirror the repo layout,
 * `.yaml` → `.json`), with the workspace a template parameter. The bodies are the ones deploy sends
 * (deploy/desired/mapping.ts via resolve.ts): one mapping for both.
 *
 * Template structure (deploymentTemplate.json 2019-04-01 in Azure/azure-resource-manager-schemas;
 * learn.microsoft.com/azure/azure-resource-manager/templates/syntax): `$schema`, `contentVersion`
 * (four numbers), `parameters` (type `string`), `resources` (type, apiVersion, name). Sentinel content
 * is an extension resource of the workspace, written in the nested form the Sentinel portal export and
 * the Azure-Sentinel samples use: type `Microsoft.OperationalInsights/workspaces/providers/<type>`,
 * name `<workspace>/Microsoft.SecurityInsights/<name>` (one name segment per type segment after the
 * namespace, templates/child-resource-name-type).
 *
 * Sentinel Repositories (learn.microsoft.com/azure/sentinel/ci-cd-custom-content: content types
 * analytics rules, automation rules, hunting queries, parsers = saved searches, playbooks, workbooks;
 * and the deployment script it commits into the connected repository, `.sentinel/azure-sentinel-deploy-
 * <id>.ps1`, as public copies show it: `contentTypeMapping`, `IsValidResourceType`,
 * `DoesContainWorkspaceParam`): every `*.json` file is one template; it passes only the `workspace`
 * parameter (so every other parameter has a default) and skips a file holding any resource type outside
 * those content types, so rules, functions and workbooks
 * export one file each and watchlists (not a Repositories content type) go to watchlists/, which
 * Repositories skips with a warning; deploy those with `az deployment group create`.
 *
 * Ownership records are deliberately NOT exported (docs/export.md#ownership): Repositories would skip
 * every file holding one (metadata is not one of its types) and writes its own SourceRepository record
 * for what it deploys; a template deployed by another pipeline belongs to that pipeline, so `sentinel
 * plan` lists such items as not managed by this repo and never touches them.
 */
import type { DesiredItem, Json } from '../desired/model.ts';
import { uuidV5 } from '../../model/guid.ts';
import { normaliseWatchlistItem } from '../desired/normalise.ts';
import { uploadProperties, uploadsOf, type WatchlistUpload } from '../desired/watchlist-upload.ts';

export const TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/**
 * api-versions written into the templates: GA versions of the published specs (Microsoft.SecurityInsights
 * stable/2024-03-01; Microsoft.Insights workbooks 2023-06-01; Microsoft.OperationalInsights savedSearches
 * 2020-08-01, the version of the Repositories parser/hunting-query reference). A rule using fields only
 * the 2025-01-01-preview model has (subTechniques, sentinelEntitiesMappings), and every NRT rule (no GA
 * spec defines the NRT kind), is written with that version.
 */
export const EXPORT_API_VERSIONS = {
  securityInsights: '2024-03-01',
  securityInsightsPreview: '2025-01-01-preview',
  workbooks: '2023-06-01',
  savedSearches: '2020-08-01',
} as const;

const PREVIEW_RULE_FIELDS = ['subTechniques', 'sentinelEntitiesMappings'];

export const WORKSPACE_PARAMETER = 'workspace';
export const LOCATION_PARAMETER = 'workspace-location';
export const WORKBOOK_NAME_PARAMETER = 'workbook-name';

export interface ExportedTemplate {
  /** Output path relative to the export folder (POSIX separators): the content file's path with `.json`. */
  path: string;
  /** Repo-relative content file it comes from. */
  source: string;
  type: DesiredItem['type'];
  template: Json;
}

/** An ARM string literal inside an expression: single quotes, a quote doubled (templates/template-expressions). */
export function armLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A literal JSON string that ARM must not read as an expression: one that starts with `[` and ends
 * with `]` gets a second leading `[` ("Escape characters", templates/template-expressions).
 */
export function escapeLiteral(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? `[${s}` : s;
}

/** Every string of plain JSON data escaped (escapeLiteral), keys kept; the bodies' text is never an expression. */
export function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeLiteral(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = escapeStrings(v);
    return out;
  }
  return value;
}

/** `1.2.3` → `1.2.3.0` (contentVersion is four numbers); anything else → `1.0.0.0`. */
export function contentVersionOf(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}.${m[3]}.0` : '1.0.0.0';
}

const WORKSPACE = `parameters('${WORKSPACE_PARAMETER}')`;
const siName = (...names: string[]) => `[concat(${WORKSPACE}, '/Microsoft.SecurityInsights/', ${names.map(armLiteral).join(", '/', ")})]`;
const WORKSPACE_ID = `[resourceId('Microsoft.OperationalInsights/workspaces', ${WORKSPACE})]`;

const workspaceParameter = (): Json => ({
  type: 'string',
  metadata: { description: 'Name of the Log Analytics workspace with Microsoft Sentinel (in the deployment\'s resource group).' },
});

function template(version: string, parameters: Json, resources: Json[]): Json {
  return { $schema: TEMPLATE_SCHEMA, contentVersion: contentVersionOf(version), parameters, resources };
}

/** One resource in a stable key order: type, apiVersion, name, kind, location, tags, dependsOn, properties. */
function resource(r: { type: string; apiVersion: string; name: string; kind?: unknown; location?: string; tags?: unknown; dependsOn?: string[]; properties: unknown }): Json {
  const out: Json = { type: r.type, apiVersion: r.apiVersion, name: r.name };
  if (r.kind !== undefined) out.kind = r.kind;
  if (r.location !== undefined) out.location = r.location;
  if (r.tags !== undefined) out.tags = escapeStrings(r.tags);
  if (r.dependsOn?.length) out.dependsOn = r.dependsOn;
  out.properties = escapeStrings(r.properties);
  return out;
}

function ruleTemplate(item: DesiredItem): Json {
  const props = (item.body.properties ?? {}) as Json;
  // The GA SecurityInsights specs define no NRT kind (only the previews do), nor the preview fields.
  const preview = item.body.kind === 'NRT' || PREVIEW_RULE_FIELDS.some((f) => props[f] !== undefined);
  return template(item.version, { [WORKSPACE_PARAMETER]: workspaceParameter() }, [
    resource({
      type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules',
      apiVersion: preview ? EXPORT_API_VERSIONS.securityInsightsPreview : EXPORT_API_VERSIONS.securityInsights,
      name: siName(item.name),
      kind: item.body.kind,
      properties: props,
    }),
  ]);
}

/**
 * Bytes of CSV per exported watchlist resource. ARM limits a template to 800 resources and each resource
 * definition to 1 MB ("Template limits", ARM template best practices; "Resolve errors for job size
 * exceeded"), so the rows travel as the watchlist's `rawContent` — the bulk upload `apply` makes
 * (desired/watchlist-upload.ts) — rather than one watchlistItems resource per row, in pieces that leave
 * room for the rest of the definition.
 */
export const EXPORT_UPLOAD_BYTES = 900_000;

/**
 * A watchlist and its rows: the watchlist with the first rows as `rawContent`; rows beyond one
 * resource's share go to further templates (`<file>.part-2.json`, …) that PUT the watchlist again
 * with the next rows, which the service appends ("A bulk update of a watchlist appends items",
 * Manage watchlists). Deploy them after the first, in order. Re-deploying is harmless: an uploaded row
 * equal to an existing item is not added twice (same page).
 */
function watchlistTemplates(item: DesiredItem): Json[] {
  const props = (item.body.properties ?? {}) as Json;
  const rows = [...(item.items ?? [])]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((i) => normaliseWatchlistItem(i.body) as Record<string, string>);
  const uploads = uploadsOf(String(props.itemsSearchKey), rows, EXPORT_UPLOAD_BYTES);
  const one = (upload?: WatchlistUpload): Json =>
    template(item.version, { [WORKSPACE_PARAMETER]: workspaceParameter() }, [
      resource({
        type: 'Microsoft.OperationalInsights/workspaces/providers/watchlists',
        apiVersion: EXPORT_API_VERSIONS.securityInsights,
        name: siName(item.name),
        properties: upload ? { ...props, ...uploadProperties(upload) } : props,
      }),
    ]);
  return uploads.length ? uploads.map(one) : [one()];
}

/**
 * Workbooks are resource-group resources: `location` and `sourceId` (the workspace) become template
 * expressions, and the name a parameter with a stable default (ExportOptions.workbookNames; give
 * another per workspace when two workspaces of one resource group get the same workbook).
 */
/** The workspace-independent default name of an exported workbook (no target given). */
export function exportWorkbookName(workbookId: string): string {
  return uuidV5(`workbook\n${workbookId.toLowerCase()}`);
}

function workbookTemplate(item: DesiredItem, defaultName: string): Json {
  const props = { ...((item.body.properties ?? {}) as Json) };
  delete props.sourceId;
  return template(
    item.version,
    {
      [WORKSPACE_PARAMETER]: workspaceParameter(),
      [LOCATION_PARAMETER]: { type: 'string', defaultValue: '[resourceGroup().location]', metadata: { description: 'Region of the workbook (default: the resource group\'s).' } },
      [WORKBOOK_NAME_PARAMETER]: { type: 'string', defaultValue: defaultName, metadata: { description: 'Resource name (a GUID) of the workbook in the resource group.' } },
    },
    [workbookResource(item, props)],
  );
}

function workbookResource(item: DesiredItem, props: Json): Json {
  const r = resource({
    type: 'Microsoft.Insights/workbooks',
    apiVersion: EXPORT_API_VERSIONS.workbooks,
    name: `[parameters('${WORKBOOK_NAME_PARAMETER}')]`,
    kind: item.body.kind,
    location: `[parameters('${LOCATION_PARAMETER}')]`,
    tags: item.body.tags,
    properties: props,
  });
  // After escaping: this one string is meant as an expression.
  (r.properties as Json).sourceId = WORKSPACE_ID;
  return r;
}

function functionTemplate(item: DesiredItem): Json {
  return template(item.version, { [WORKSPACE_PARAMETER]: workspaceParameter() }, [
    resource({
      type: 'Microsoft.OperationalInsights/workspaces/savedSearches',
      apiVersion: EXPORT_API_VERSIONS.savedSearches,
      name: `[concat(${WORKSPACE}, '/', ${armLiteral(item.name)})]`,
      properties: item.body.properties,
    }),
  ]);
}

export interface ExportOptions {
  /**
   * Default resource name of each workbook, by its content file: for a target the name deploy gives it
   * there (workbookResourceName), else exportWorkbookName of its id. Missing: the desired item's name.
   */
  workbookNames: ReadonlyMap<string, string>;
}

/** The templates of a desired state, sorted by path. */
export function exportTemplates(items: readonly DesiredItem[], opts: ExportOptions): ExportedTemplate[] {
  const out = items.flatMap((item): ExportedTemplate[] => {
    const base = item.file.replace(/\\/g, '/').replace(/\.ya?ml$/i, '');
    const ts =
      item.type === 'alertRule' ? [ruleTemplate(item)]
      : item.type === 'watchlist' ? watchlistTemplates(item)
      : item.type === 'workbook' ? [workbookTemplate(item, opts.workbookNames.get(item.file) ?? item.name)]
      : [functionTemplate(item)];
    return ts.map((template, i) => ({ path: i === 0 ? `${base}.json` : `${base}.part-${i + 1}.json`, source: item.file, type: item.type, template }));
  });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The file text: two-space JSON, trailing newline. Key order is the builder's (fixed), so output is deterministic. */
export function templateText(t: ExportedTemplate): string {
  return JSON.stringify(t.template, null, 2) + '\n';
}

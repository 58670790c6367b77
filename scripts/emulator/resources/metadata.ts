/** Microsoft.SecurityInsights/metadata: Sentinel content metadata (kind, parentId, source, author, support…). */
import { badRequest, methodNotAllowed, notFound } from '../errors.ts';
import type { StoredResource } from '../store.ts';
import {
  checkBodyEtag, deleted, newEtag, page, render, requireBody, requireProperties, systemData,
  workspaceId, type HandlerResult, type Json, type RequestContext,
} from './common.ts';

export const METADATA_TYPE = 'Microsoft.SecurityInsights/metadata';

const FIELDS = [
  'contentId', 'parentId', 'version', 'kind', 'source', 'author', 'support', 'dependencies', 'categories', 'providers',
  'firstPublishDate', 'lastPublishDate', 'customVersion', 'contentSchemaVersion', 'icon', 'threatAnalysisTactics',
  'threatAnalysisTechniques', 'previewImages', 'previewImagesDark',
];
const SOURCE_KINDS = ['LocalWorkspace', 'Community', 'Solution', 'SourceRepository'];
const SUPPORT_TIERS = ['Microsoft', 'Partner', 'Community'];

function collection(ctx: RequestContext): string {
  return `${workspaceId(ctx.scope)}/providers/Microsoft.SecurityInsights/metadata`;
}

function validate(p: Json): void {
  for (const key of ['kind', 'parentId']) {
    if (typeof p[key] !== 'string' || (p[key] as string).trim() === '') throw badRequest(`The properties.${key} field is required.`);
  }
  if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i.test(String(p['parentId']))) {
    throw badRequest(`Invalid value '${String(p['parentId'])}' for properties.parentId: expected the full resource id of the content item (/subscriptions/…/resourceGroups/…/providers/…).`);
  }
  const source = p['source'] as Json | undefined;
  if (source != null) {
    if (typeof source.kind !== 'string' || !SOURCE_KINDS.includes(source.kind)) {
      throw badRequest(`Invalid value ${JSON.stringify(source.kind)} for properties.source.kind. Allowed values: ${SOURCE_KINDS.join(', ')}.`);
    }
  }
  const support = p['support'] as Json | undefined;
  if (support != null && (typeof support.tier !== 'string' || !SUPPORT_TIERS.includes(support.tier))) {
    throw badRequest(`Invalid value ${JSON.stringify(support.tier)} for properties.support.tier. Allowed values: ${SUPPORT_TIERS.join(', ')}.`);
  }
  for (const key of ['firstPublishDate', 'lastPublishDate']) {
    if (p[key] != null && Number.isNaN(Date.parse(String(p[key])))) throw badRequest(`Invalid value ${JSON.stringify(p[key])} for properties.${key}: expected a date.`);
  }
}

function write(ctx: RequestContext, name: string, merge: boolean): HandlerResult {
  if (!/^\S+$/.test(name)) throw badRequest(`The metadata name '${name}' must not contain whitespace.`);
  const id = `${collection(ctx)}/${name}`;
  const existing = ctx.store.get(id);
  const what = `metadata '${name}'`;
  if (merge && !existing) throw notFound(`Metadata '${name}' was not found in workspace '${ctx.scope.workspace}'.`);
  const body = requireBody(ctx);
  const input = requireProperties(body);
  checkBodyEtag(body, existing, what);
  const base = merge ? structuredClone((existing?.body['properties'] ?? {}) as Json) : {};
  const props: Json = { ...base, ...Object.fromEntries(Object.entries(input).filter(([k]) => FIELDS.includes(k))) };
  validate(props);
  const stored: StoredResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: METADATA_TYPE,
    etag: newEtag(),
    body: { properties: props, systemData: systemData(ctx, existing) },
  };
  ctx.store.put(stored);
  return { status: existing ? 200 : 201, body: render(stored), committed: true };
}

/** The OData subset the service's list supports: `a/b eq 'v'` clauses joined by `and`. */
export function parseFilter(filter: string): Array<{ path: string[]; op: 'eq' | 'ne'; value: string }> {
  return filter.split(/\s+and\s+/i).map((clause) => {
    const m = /^\s*([A-Za-z0-9_/]+)\s+(eq|ne)\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (!m) throw badRequest(`Invalid $filter clause '${clause.trim()}': the supported form is "properties/kind eq 'AnalyticsRule'" (clauses joined by and).`);
    return { path: m[1]!.split('/'), op: m[2]!.toLowerCase() as 'eq' | 'ne', value: m[3]!.replace(/''/g, "'") };
  });
}

function valueAt(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), obj);
}

function list(ctx: RequestContext): HandlerResult {
  let items = ctx.store.list(collection(ctx));
  const filter = ctx.query.get('$filter');
  if (filter) {
    const clauses = parseFilter(filter);
    items = items.filter((r) => {
      const view = { ...r.body, name: r.name, id: r.id };
      return clauses.every((c) => {
        const v = String(valueAt(view, c.path) ?? '').toLowerCase() === c.value.toLowerCase();
        return c.op === 'eq' ? v : !v;
      });
    });
  }
  const orderby = ctx.query.get('$orderby');
  if (orderby) {
    const [pathText, dir] = orderby.trim().split(/\s+/);
    const path = pathText!.split('/');
    const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
    items = [...items].sort((a, b) => sign * String(valueAt(a.body, path) ?? '').localeCompare(String(valueAt(b.body, path) ?? '')));
  }
  const skip = Number(ctx.query.get('$skip') ?? 0);
  const top = ctx.query.get('$top');
  if (!Number.isInteger(skip) || skip < 0) throw badRequest(`Invalid $skip '${ctx.query.get('$skip')}'.`);
  items = items.slice(skip, top === null ? undefined : skip + Number(top));
  return page(ctx, items, (r) => render(r));
}

export function metadata(ctx: RequestContext, name: string | undefined): HandlerResult {
  if (name === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    return list(ctx);
  }
  const id = `${collection(ctx)}/${name}`;
  switch (ctx.method) {
    case 'GET': {
      const r = ctx.store.get(id);
      if (!r) throw notFound(`Metadata '${name}' was not found in workspace '${ctx.scope.workspace}'.`);
      return { status: 200, body: render(r) };
    }
    case 'PUT':
      return write(ctx, name, false);
    case 'PATCH':
      return write(ctx, name, true);
    case 'DELETE':
      return deleted(ctx.store.delete(id));
    default:
      throw methodNotAllowed(ctx.method);
  }
}

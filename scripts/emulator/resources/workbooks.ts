/** Microsoft.Insights/workbooks in a resource group (the shape of api-version 2023-06-01). */
import { randomBytes } from 'node:crypto';
import { badRequest, conflict, methodNotAllowed, notFound } from '../errors.ts';
import type { StoredResource } from '../store.ts';
import {
  GUID, checkBodyEtag, deleted, newEtag, page, render, requireBody, requireProperties,
  resourceGroupId, systemData, type HandlerResult, type Json, type RequestContext,
} from './common.ts';

/** The service reports workbook types (and sourceIds) in lower case. */
export const WORKBOOK_TYPE = 'microsoft.insights/workbooks';
const CATEGORIES_NOTE = "e.g. 'workbook', 'sentinel', 'TSG', 'performance', 'retention'";

function collection(ctx: RequestContext): string {
  return `${resourceGroupId(ctx.scope)}/providers/Microsoft.Insights/workbooks`;
}

function requireString(p: Json, key: string, prefix = 'properties.'): string {
  const v = p[key];
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`The ${prefix}${key} field is required.`);
  return v;
}

function validateWorkbook(body: Json, p: Json): void {
  requireString(body, 'location', '');
  if (body['kind'] != null && body['kind'] !== 'shared') throw badRequest(`Invalid value ${JSON.stringify(body['kind'])} for kind: only 'shared' workbooks can be created.`);
  requireString(p, 'displayName');
  requireString(p, 'category');
  const data = requireString(p, 'serializedData');
  try {
    JSON.parse(data);
  } catch {
    throw badRequest('properties.serializedData is not valid JSON: it must be the workbook gallery JSON as a string.');
  }
  if (p['sourceId'] != null && typeof p['sourceId'] !== 'string') throw badRequest('properties.sourceId must be a string (an Azure resource id).');
}

function checkUniqueDisplayName(ctx: RequestContext, self: string, p: Json): void {
  const key = (x: Json) => `${String(x['displayName']).toLowerCase()}|${String(x['category']).toLowerCase()}|${String(x['sourceId'] ?? '').toLowerCase()}`;
  const clash = ctx.store.list(collection(ctx)).find((w) => w.name.toLowerCase() !== self.toLowerCase() && key(w.body['properties'] as Json) === key(p));
  if (clash) {
    throw conflict(`A workbook named '${String(p['displayName'])}' already exists in resource group '${ctx.scope.resourceGroup}' for this category and source (resource '${clash.name}'). Use another display name or update that workbook.`);
  }
}

function store(ctx: RequestContext, name: string, existing: StoredResource | undefined, body: Json, p: Json): HandlerResult {
  const prev = (existing?.body['properties'] ?? {}) as Json;
  const properties: Json = {
    displayName: p['displayName'],
    serializedData: p['serializedData'],
    version: p['version'] ?? prev['version'] ?? 'Notebook/1.0',
    timeModified: ctx.now.toISOString(),
    category: p['category'],
    tags: Array.isArray(p['tags']) ? p['tags'] : [],
    userId: ctx.principal.oid,
    sourceId: typeof p['sourceId'] === 'string' ? p['sourceId'].toLowerCase() : null,
    storageUri: p['storageUri'] ?? null,
    description: p['description'] ?? null,
    revision: randomBytes(16).toString('hex'),
  };
  checkUniqueDisplayName(ctx, name, properties);
  const stored: StoredResource = {
    id: existing?.id ?? `${collection(ctx)}/${name}`,
    name: existing?.name ?? name,
    type: WORKBOOK_TYPE,
    etag: newEtag(),
    body: {
      location: String(body['location'] ?? existing?.body['location'] ?? ctx.scope.location).toLowerCase().replace(/\s+/g, ''),
      kind: 'shared',
      tags: (body['tags'] as Json | undefined) ?? {},
      properties,
      systemData: systemData(ctx, existing),
    },
  };
  ctx.store.put(stored);
  return { status: existing ? 200 : 201, body: render(stored), committed: true };
}

function put(ctx: RequestContext, name: string): HandlerResult {
  if (!GUID.test(name)) throw badRequest(`The workbook resource name '${name}' is invalid: it must be a GUID.`);
  const existing = ctx.store.get(`${collection(ctx)}/${name}`);
  const what = `workbook '${name}'`;
  const body = requireBody(ctx);
  const p = requireProperties(body);
  checkBodyEtag(body, existing, what);
  validateWorkbook(body, p);
  return store(ctx, name, existing, body, p);
}

function patch(ctx: RequestContext, name: string): HandlerResult {
  const existing = ctx.store.get(`${collection(ctx)}/${name}`);
  if (!existing) throw notFound(`The Resource 'Microsoft.Insights/workbooks/${name}' under resource group '${ctx.scope.resourceGroup}' was not found.`, 'ResourceNotFound');
  const body = requireBody(ctx);
  const prev = existing.body['properties'] as Json;
  const p = { ...prev, ...((body['properties'] as Json | undefined) ?? {}) };
  const merged = { location: existing.body['location'], ...existing.body, ...body, tags: body['tags'] ?? existing.body['tags'] };
  validateWorkbook(merged, p);
  return store(ctx, name, existing, merged, p);
}

function list(ctx: RequestContext, all: StoredResource[]): HandlerResult {
  const category = ctx.query.get('category');
  if (!category) throw badRequest(`The 'category' query parameter is required (${CATEGORIES_NOTE}).`);
  const sourceId = ctx.query.get('sourceId')?.toLowerCase();
  const withContent = ctx.query.get('canFetchContent') === 'true';
  const items = all.filter((w) => {
    const p = w.body['properties'] as Json;
    return String(p['category']).toLowerCase() === category.toLowerCase() && (!sourceId || String(p['sourceId'] ?? '').toLowerCase() === sourceId);
  });
  return page(ctx, items, (w) =>
    render(w, (b) => {
      if (!withContent) delete (b['properties'] as Json)['serializedData'];
      return b;
    }),
  );
}

export function workbooks(ctx: RequestContext, name: string | undefined): HandlerResult {
  if (name === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    return list(ctx, ctx.store.list(collection(ctx)));
  }
  const id = `${collection(ctx)}/${name}`;
  switch (ctx.method) {
    case 'GET': {
      const r = ctx.store.get(id);
      if (!r) throw notFound(`The Resource 'Microsoft.Insights/workbooks/${name}' under resource group '${ctx.scope.resourceGroup}' was not found.`, 'ResourceNotFound');
      return { status: 200, body: render(r) };
    }
    case 'PUT':
      return put(ctx, name);
    case 'PATCH':
      return patch(ctx, name);
    case 'DELETE':
      return deleted(ctx.store.delete(id));
    default:
      throw methodNotAllowed(ctx.method);
  }
}

/** `GET /subscriptions/{sub}/providers/Microsoft.Insights/workbooks?category=…` across resource groups. */
export function subscriptionWorkbooks(ctx: RequestContext): HandlerResult {
  if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
  const all = ctx.store.listUnder(`/subscriptions/${ctx.scope.subscriptionId}/resourceGroups/`).filter((r) => r.type === WORKBOOK_TYPE);
  return list(ctx, all.sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase())));
}

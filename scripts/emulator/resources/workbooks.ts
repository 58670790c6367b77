/**
 * Microsoft.Insights/workbooks in a resource group, per the REST spec
 * specification/applicationinsights/resource-manager/Microsoft.Insights/stable/{2021-08-01,2022-04-01,2023-06-01}/workbooks_API.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
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

/** WorkbookResource.kind: 2021-08-01 "Choices are user and shared"; 2022-04-01 and 2023-06-01 "Only valid value is shared". */
function kindsOf(apiVersion: string): string[] {
  return apiVersion === '2021-08-01' ? ['user', 'shared'] : ['shared'];
}

/**
 * WorkbookResource.identity: "Identity used for BYOS", the common type ManagedServiceIdentity
 * (specification/common-types/resource-management/v3/managedidentity.json): `type` required, one of
 * None, SystemAssigned, UserAssigned, "SystemAssigned,UserAssigned"; `userAssignedIdentities` a map of
 * user-assigned identity resource ids to {} in requests; principalId/tenantId/clientId read-only.
 */
const IDENTITY_TYPES = ['None', 'SystemAssigned', 'UserAssigned', 'SystemAssigned,UserAssigned'];

function checkIdentity(identity: unknown): void {
  if (identity == null) return;
  if (typeof identity !== 'object' || Array.isArray(identity)) throw badRequest('identity must be an object ({ type, userAssignedIdentities }).');
  const i = identity as Json;
  if (typeof i['type'] !== 'string' || !IDENTITY_TYPES.includes(i['type'])) {
    throw badRequest(`Invalid value ${JSON.stringify(i['type'])} for identity.type. Allowed values: ${IDENTITY_TYPES.join(', ')}.`);
  }
  const ua = i['userAssignedIdentities'];
  if (ua != null && (typeof ua !== 'object' || Array.isArray(ua))) throw badRequest('identity.userAssignedIdentities must be an object keyed by user-assigned identity resource ids.');
  const userAssigned = i['type'].includes('UserAssigned');
  if (userAssigned && (ua == null || Object.keys(ua).length === 0)) throw badRequest(`identity.userAssignedIdentities is required when identity.type is '${i['type']}'.`);
  if (!userAssigned && ua != null && Object.keys(ua).length > 0) throw badRequest(`identity.userAssignedIdentities is only allowed when identity.type includes UserAssigned.`);
}

/**
 * The identity as the service returns it: the read-only ids filled in — principalId/tenantId for a system-assigned
 * identity, clientId/principalId per user-assigned identity (the response of
 * stable/2023-06-01/examples/WorkbookManagedAdd.json). Ids already issued are kept.
 */
function renderIdentity(identity: unknown, previous: unknown, tenantId: string): Json | undefined {
  if (identity == null) return previous == null ? undefined : (previous as Json);
  const i = identity as Json;
  const prev = (previous ?? {}) as Json;
  const type = String(i['type']);
  const out: Json = { type };
  if (type.startsWith('SystemAssigned')) {
    out['principalId'] = typeof prev['principalId'] === 'string' ? prev['principalId'] : randomUUID();
    out['tenantId'] = tenantId;
  }
  if (type.includes('UserAssigned')) {
    const prevUa = (prev['userAssignedIdentities'] ?? {}) as Record<string, Json>;
    out['userAssignedIdentities'] = Object.fromEntries(
      Object.keys(i['userAssignedIdentities'] as Json).map((rid) => {
        const old = Object.entries(prevUa).find(([k]) => k.toLowerCase() === rid.toLowerCase())?.[1];
        return [rid, { clientId: old?.['clientId'] ?? randomUUID(), principalId: old?.['principalId'] ?? randomUUID() }];
      }),
    );
  }
  return out;
}

function validateWorkbook(body: Json, p: Json, apiVersion: string): void {
  requireString(body, 'location', '');
  const kinds = kindsOf(apiVersion);
  if (body['kind'] != null && !kinds.includes(String(body['kind']))) throw badRequest(`Invalid value ${JSON.stringify(body['kind'])} for kind: api-version ${apiVersion} allows ${kinds.map((k) => `'${k}'`).join(', ')}.`);
  checkIdentity(body['identity']);
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

/**
 * The workbook's sourceId: `properties.sourceId`, else the `sourceId` query parameter, which the spec
 * declares on PUT and PATCH (SourceIdParameter, "Azure Resource Id that will fetch all linked workbooks"):
 * in stable/2023-06-01/examples/WorkbookManagedAdd.json the body has no sourceId, the query parameter
 * does, and the response's `properties.sourceId` is that value. Stored lower-case (as the service reports it).
 */
function sourceIdOf(ctx: RequestContext, p: Json): string | null {
  const v = typeof p['sourceId'] === 'string' && p['sourceId'] !== '' ? p['sourceId'] : ctx.query.get('sourceId');
  return v ? v.toLowerCase() : null;
}

function checkUniqueDisplayName(ctx: RequestContext, self: string, p: Json): void {
  const key = (x: Json) => `${String(x['displayName']).toLowerCase()}|${String(x['category']).toLowerCase()}|${String(x['sourceId'] ?? '').toLowerCase()}`;
  const clash = ctx.store.list(collection(ctx)).find((w) => w.name.toLowerCase() !== self.toLowerCase() && key(w.body['properties'] as Json) === key(p));
  if (clash) {
    throw conflict(`A workbook named '${String(p['displayName'])}' already exists in resource group '${ctx.scope.resourceGroup}' for this category and source (resource '${clash.name}'). Use another display name or update that workbook.`);
  }
}

const withIdentity = (identity: Json | undefined): Json => (identity ? { identity } : {});

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
    sourceId: sourceIdOf(ctx, p),
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
      ...withIdentity(renderIdentity(body['identity'], existing?.body['identity'], ctx.scope.tenantId)),
      location: String(body['location'] ?? existing?.body['location'] ?? ctx.scope.location).toLowerCase().replace(/\s+/g, ''),
      kind: typeof body['kind'] === 'string' ? body['kind'] : 'shared',
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
  validateWorkbook(body, p, ctx.apiVersion);
  return store(ctx, name, existing, body, p);
}

function patch(ctx: RequestContext, name: string): HandlerResult {
  const existing = ctx.store.get(`${collection(ctx)}/${name}`);
  if (!existing) throw notFound(`The Resource 'Microsoft.Insights/workbooks/${name}' under resource group '${ctx.scope.resourceGroup}' was not found.`, 'ResourceNotFound');
  const body = requireBody(ctx);
  const prev = existing.body['properties'] as Json;
  const p = { ...prev, ...((body['properties'] as Json | undefined) ?? {}) };
  const merged = { location: existing.body['location'], ...existing.body, ...body, tags: body['tags'] ?? existing.body['tags'] };
  validateWorkbook(merged, p, ctx.apiVersion);
  return store(ctx, name, existing, merged, p);
}

/**
 * Workbooks_ListByResourceGroup takes `category` (required), `tags`, `sourceId` and `canFetchContent`;
 * Workbooks_ListBySubscription the same but no `sourceId` (workbooks_API.json), so a subscription list
 * ignores one. `tags` is not applied (its meaning, "Tags presents on each workbook returned", is not
 * specified further; the emulator lists all).
 */
function list(ctx: RequestContext, all: StoredResource[], bySourceId: boolean): HandlerResult {
  const category = ctx.query.get('category');
  if (!category) throw badRequest(`The 'category' query parameter is required (${CATEGORIES_NOTE}).`);
  const sourceId = bySourceId ? ctx.query.get('sourceId')?.toLowerCase() : undefined;
  // canFetchContent: "If false, only return summary content" (workbooks_API.json); without it the service
  // returns the content — the list examples (stable/2023-06-01/examples/WorkbooksList.json,
  // WorkbooksListSub.json, WorkbooksManagedList.json) pass no canFetchContent and show serializedData.
  const withContent = ctx.query.get('canFetchContent') !== 'false';
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
    return list(ctx, ctx.store.list(collection(ctx)), true);
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
  return list(ctx, all.sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase())), false);
}

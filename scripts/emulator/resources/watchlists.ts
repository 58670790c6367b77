/** Microsoft.SecurityInsights/watchlists and watchlists/watchlistItems. */
import { badRequest, methodNotAllowed, notFound } from '../errors.ts';
import type { StoredResource } from '../store.ts';
import {
  GUID, checkBodyEtag, deleted, newEtag, newGuid, page, render, requireBody, requireProperties,
  stamps, systemData, workspaceId, type HandlerResult, type Json, type RequestContext,
} from './common.ts';
import { parseCsv } from './csv.ts';

export const WATCHLIST_TYPE = 'Microsoft.SecurityInsights/Watchlists';
export const WATCHLIST_ITEM_TYPE = 'Microsoft.SecurityInsights/Watchlists/WatchlistItems';
/** Local-file uploads (rawContent) are limited to 3.8 MB by the service. */
export const MAX_RAW_CONTENT_BYTES = 3.8 * 1024 * 1024;
const SOURCES = ['Local file', 'Remote storage'];

const WATCHLIST_FIELDS = [
  'displayName', 'provider', 'source', 'sourceType', 'description', 'watchlistType', 'labels', 'defaultDuration',
  'numberOfLinesToSkip', 'rawContent', 'itemsSearchKey', 'contentType',
];

function collection(ctx: RequestContext): string {
  return `${workspaceId(ctx.scope)}/providers/Microsoft.SecurityInsights/watchlists`;
}

function requireString(p: Json, key: string): string {
  const v = p[key];
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`The properties.${key} field is required.`);
  return v;
}

function getWatchlist(ctx: RequestContext, alias: string): StoredResource {
  const w = ctx.store.get(`${collection(ctx)}/${alias}`);
  if (!w) throw notFound(`Watchlist with alias '${alias}' was not found in workspace '${ctx.scope.workspace}'.`);
  return w;
}

function searchKeyOf(w: StoredResource): string {
  return String((w.body['properties'] as Json)['itemsSearchKey']);
}

function itemBody(ctx: RequestContext, name: string, keyValue: Json, existing: StoredResource | undefined): Json {
  const at = ctx.now.toISOString();
  const prev = (existing?.body['properties'] ?? {}) as Json;
  return {
    properties: {
      watchlistItemType: 'watchlist-item',
      watchlistItemId: name,
      ...stamps(ctx, prev, at),
      itemsKeyValue: keyValue,
      entityMapping: {},
    },
    systemData: systemData(ctx, existing),
  };
}

function checkKeyValue(watchlist: StoredResource, keyValue: unknown, where: string): Json {
  if (keyValue == null || typeof keyValue !== 'object' || Array.isArray(keyValue)) throw badRequest(`The ${where} field is required and must be an object of column → value.`);
  const key = searchKeyOf(watchlist);
  const kv = keyValue as Json;
  if (!Object.keys(kv).some((k) => k.toLowerCase() === key.toLowerCase())) {
    throw badRequest(`${where} must contain the watchlist's search key column '${key}'.`);
  }
  return kv;
}

/** rawContent upload: CSV with a header row after `numberOfLinesToSkip` lines; one item per row. */
function importRawContent(ctx: RequestContext, watchlist: StoredResource, p: Json): number {
  const raw = p['rawContent'];
  if (raw == null || raw === '') return 0;
  if (typeof raw !== 'string') throw badRequest('properties.rawContent must be a string.');
  if (Buffer.byteLength(raw, 'utf8') > MAX_RAW_CONTENT_BYTES) {
    throw badRequest(`properties.rawContent is ${Buffer.byteLength(raw, 'utf8')} bytes; local file uploads are limited to 3.8 MB. Upload the rest as watchlist items.`);
  }
  if (p['contentType'] !== 'text/csv' && p['contentType'] !== 'Text/Csv') throw badRequest(`properties.contentType must be 'text/csv' when rawContent is provided.`);
  const skip = Number(p['numberOfLinesToSkip'] ?? 0);
  const rows = parseCsv(raw).slice(skip);
  const [header, ...data] = rows;
  if (!header) throw badRequest('properties.rawContent has no header row.');
  if (!header.some((h) => h.toLowerCase() === searchKeyOf(watchlist).toLowerCase())) {
    throw badRequest(`The header of properties.rawContent does not contain the search key column '${searchKeyOf(watchlist)}'.`);
  }
  const itemsColl = `${watchlist.id}/watchlistItems`;
  data.forEach((row, i) => {
    if (row.length !== header.length) throw badRequest(`properties.rawContent line ${skip + i + 2} has ${row.length} fields; the header has ${header.length}.`);
    const id = newGuid();
    const kv = Object.fromEntries(header.map((h, j) => [h, row[j]]));
    ctx.store.put({ id: `${itemsColl}/${id}`, name: id, type: WATCHLIST_ITEM_TYPE, etag: newEtag(), body: itemBody(ctx, id, kv, undefined) });
  });
  return data.length;
}

function putWatchlist(ctx: RequestContext, alias: string): HandlerResult {
  const id = `${collection(ctx)}/${alias}`;
  const existing = ctx.store.get(id);
  const what = `watchlist '${alias}'`;
  const body = requireBody(ctx);
  const input = requireProperties(body);
  checkBodyEtag(body, existing, what);
  const p: Json = Object.fromEntries(Object.entries(input).filter(([k]) => WATCHLIST_FIELDS.includes(k)));
  requireString(p, 'displayName');
  requireString(p, 'provider');
  const searchKey = requireString(p, 'itemsSearchKey');
  if (p['source'] != null && !SOURCES.includes(String(p['source']))) {
    throw badRequest(`Invalid value ${JSON.stringify(p['source'])} for properties.source. Allowed values: ${SOURCES.join(', ')}.`);
  }
  const prev = (existing?.body['properties'] ?? {}) as Json;
  if (existing && String(prev['itemsSearchKey']).toLowerCase() !== searchKey.toLowerCase()) {
    throw badRequest(`The itemsSearchKey of ${what} cannot be changed from '${String(prev['itemsSearchKey'])}' to '${searchKey}'. Delete and re-create the watchlist.`);
  }
  const at = ctx.now.toISOString();
  const { rawContent: _raw, ...rest } = p;
  const stored: StoredResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? alias,
    type: WATCHLIST_TYPE,
    etag: newEtag(),
    body: {
      properties: {
        watchlistId: prev['watchlistId'] ?? newGuid(),
        source: 'Local file',
        watchlistType: 'watchlist',
        labels: [],
        numberOfLinesToSkip: 0,
        contentType: 'text/csv',
        ...rest,
        watchlistAlias: existing?.name ?? alias,
        ...stamps(ctx, prev, at),
        uploadStatus: 'Complete',
      },
      systemData: systemData(ctx, existing),
    },
  };
  ctx.store.put(stored);
  importRawContent(ctx, stored, p);
  return { status: existing ? 200 : 201, body: render(stored), committed: true };
}

export function watchlists(ctx: RequestContext, alias: string | undefined): HandlerResult {
  if (alias === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    return page(ctx, ctx.store.list(collection(ctx)), (r) => render(r));
  }
  const id = `${collection(ctx)}/${alias}`;
  switch (ctx.method) {
    case 'GET':
      return { status: 200, body: render(getWatchlist(ctx, alias)) };
    case 'PUT':
      return putWatchlist(ctx, alias);
    case 'DELETE':
      return deleted(ctx.store.delete(id));
    default:
      throw methodNotAllowed(ctx.method);
  }
}

export function watchlistItems(ctx: RequestContext, alias: string, itemId: string | undefined): HandlerResult {
  const watchlist = getWatchlist(ctx, alias);
  const coll = `${watchlist.id}/watchlistItems`;
  if (itemId === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    return page(ctx, ctx.store.list(coll), (r) => render(r));
  }
  const id = `${coll}/${itemId}`;
  const what = `watchlist item '${itemId}' of watchlist '${alias}'`;
  switch (ctx.method) {
    case 'GET': {
      const r = ctx.store.get(id);
      if (!r) throw notFound(`Watchlist item '${itemId}' was not found in watchlist '${alias}'.`);
      return { status: 200, body: render(r) };
    }
    case 'PUT': {
      if (!GUID.test(itemId)) throw badRequest(`The watchlist item id '${itemId}' is not a valid GUID.`);
      const existing = ctx.store.get(id);
      const body = requireBody(ctx);
      const p = requireProperties(body);
      checkBodyEtag(body, existing, what);
      const kv = checkKeyValue(watchlist, p['itemsKeyValue'], 'properties.itemsKeyValue');
      const stored: StoredResource = {
        id: existing?.id ?? id,
        name: existing?.name ?? itemId,
        type: WATCHLIST_ITEM_TYPE,
        etag: newEtag(),
        body: itemBody(ctx, existing?.name ?? itemId, structuredClone(kv), existing),
      };
      ctx.store.put(stored);
      return { status: existing ? 200 : 201, body: render(stored), committed: true };
    }
    case 'DELETE':
      return deleted(ctx.store.delete(id));
    default:
      throw methodNotAllowed(ctx.method);
  }
}

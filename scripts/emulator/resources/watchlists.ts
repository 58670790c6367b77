/**
 * Microsoft.SecurityInsights/watchlists and watchlists/watchlistItems, with the service's
 * asynchronous uploads and deletes (README, "Watchlists": every behaviour with its source).
 *
 * An upload (a watchlist PUT with `rawContent`) is validated within the request, then runs as an
 * operation: the watchlist shows `provisioningState`/`uploadStatus` InProgress and its new items
 * are not listed until the operation is done, `timing.uploadMs` later; the response carries the
 * `Azure-AsyncOperation` URL of the operation (`…/watchlists/{alias}/watchlistStatuses/{id}`).
 * A delete likewise stays Deleting for `timing.deleteMs`. Time passes lazily: every request that
 * touches a workspace's watchlists first settles the operations whose time is up.
 */
import { badRequest, conflict, methodNotAllowed, notFound } from '../errors.ts';
import type { StoredResource } from '../store.ts';
import {
  checkBodyEtag, deleted, newEtag, newGuid, page, render, requireBody, requireProperties,
  stamps, systemData, workspaceId, type HandlerResult, type Json, type RequestContext,
} from './common.ts';
import { CsvSyntaxError, parseCsv, type CsvRow } from './csv.ts';

export const WATCHLIST_TYPE = 'Microsoft.SecurityInsights/Watchlists';
export const WATCHLIST_ITEM_TYPE = 'Microsoft.SecurityInsights/Watchlists/WatchlistItems';
const OPERATION_TYPE = 'Microsoft.SecurityInsights/watchlistStatuses';
/**
 * "Local file uploads are currently limited to files of up to 3.8 MB in size" (Microsoft Sentinel
 * docs, "Watchlists in Microsoft Sentinel", limitations). The docs do not say whether MB is 10^6
 * or 2^20 bytes: the emulator takes the stricter 3,800,000 bytes of UTF-8.
 */
export const MAX_RAW_CONTENT_BYTES = 3_800_000;
/** `contentType` "Example : text/csv or text/tsv" (WatchlistProperties) → the field delimiter. */
const DELIMITERS: Record<string, string> = { 'text/csv': ',', 'text/tsv': '\t' };
/**
 * `sourceType`: 2022-09-01-preview's enum ('Local file', 'Remote storage') and 2025-09-01's
 * ('Local', 'AzureStorage'); `source` is free text ("The filename of the watchlist").
 */
const SOURCE_TYPES = ['Local file', 'Remote storage', 'Local', 'AzureStorage'];
/** api-versions whose Watchlists_Delete answers 202 Accepted (2025-09-01 declares 202/204; 2022-09-01-preview 200/204). */
const DELETE_ACCEPTED_FROM = '2025-';

const WATCHLIST_FIELDS = [
  'displayName', 'provider', 'source', 'sourceType', 'description', 'watchlistType', 'labels', 'defaultDuration',
  'numberOfLinesToSkip', 'rawContent', 'itemsSearchKey', 'contentType',
];

/** An upload or delete in progress or done; stored beside the watchlists, outlives a deleted one. */
interface Operation {
  kind: 'upload' | 'delete';
  alias: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  startTime: string;
  completesAt: string;
  endTime?: string;
  /** The uploader (its items are created by it) and the rows still to import. */
  principal?: RequestContext['principal'];
  rows?: Array<Record<string, string>>;
  error?: { code: string; message: string };
}

function collection(ctx: RequestContext): string {
  return `${workspaceId(ctx.scope)}/providers/Microsoft.SecurityInsights/watchlists`;
}

/** Where operations are kept (internal: not an ARM collection; their URLs are under the watchlist). */
function operations(ctx: RequestContext): string {
  return `${workspaceId(ctx.scope)}/providers/Microsoft.SecurityInsights/asyncOperations`;
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

const propsOf = (w: StoredResource): Json => w.body['properties'] as Json;

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

/** WatchlistItemProperties: `itemsKeyValue` is the one required property, "key-value pairs for a watchlist item". */
function checkKeyValue(keyValue: unknown, where: string): Json {
  if (keyValue == null || typeof keyValue !== 'object' || Array.isArray(keyValue)) throw badRequest(`The ${where} field is required and must be an object of column → value.`);
  return keyValue as Json;
}

/**
 * rawContent: a header row after `numberOfLinesToSkip` lines, one item per row. Checked within the
 * request (the service answers 400 for content it cannot read, Azure/Azure-Sentinel#5040); the
 * rows are imported when the operation completes.
 */
function parseRawContent(searchKey: string, p: Json): Array<Record<string, string>> | undefined {
  const raw = p['rawContent'];
  if (raw == null || raw === '') return undefined;
  if (typeof raw !== 'string') throw badRequest('properties.rawContent must be a string.');
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_RAW_CONTENT_BYTES) {
    throw badRequest(`properties.rawContent is ${bytes} bytes; local file uploads are limited to 3.8 MB. Upload a larger watchlist from Azure Storage, or in parts.`);
  }
  const delimiter = DELIMITERS[String(p['contentType'] ?? '').toLowerCase()];
  if (!delimiter) throw badRequest(`properties.contentType must be 'text/csv' or 'text/tsv' when rawContent is provided.`);
  const skip = Number(p['numberOfLinesToSkip'] ?? 0);
  let rows: CsvRow[];
  try {
    rows = parseCsv(raw, skip, delimiter);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw badRequest(`properties.rawContent is not valid CSV: ${error.message}.`);
    throw error;
  }
  const [headerRow, ...data] = rows;
  if (!headerRow) throw badRequest('properties.rawContent has no header row.');
  const header = headerRow.fields;
  const keyAt = header.findIndex((h) => h.toLowerCase() === searchKey.toLowerCase());
  // "The updated watchlist file you upload must contain the search key field used by the watchlist with no blank values" (Manage watchlists, bulk update).
  if (keyAt < 0) throw badRequest(`The header of properties.rawContent does not contain the search key column '${searchKey}'.`);
  if (!data.length) throw badRequest('Invalid csv content : no watchlist items found in the provided rawContent.');
  return data.map(({ fields: row, line }) => {
    if (row.length !== header.length) throw badRequest(`properties.rawContent line ${line} has ${row.length} fields; the header has ${header.length}.`);
    if (!row[keyAt]!.trim()) throw badRequest(`properties.rawContent line ${line} has no value for the search key column '${searchKey}'.`);
    return Object.fromEntries(header.map((h, j) => [h, row[j]!]));
  });
}

const rowKey = (kv: Json): string => JSON.stringify(Object.entries(kv).map(([k, v]) => [k, String(v)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));

/**
 * The upload's rows become items with service-assigned ids, created by the uploader. "A bulk update
 * of a watchlist appends items to the existing watchlist. Then, it de-duplicates the items in the
 * watchlist where all the value in each column match" (Manage watchlists, bulk update): a row equal
 * in every column to an item (or an earlier row) adds nothing; a row that differs in any column is
 * a new item, even with a search-key value the watchlist already holds.
 */
function importRows(ctx: RequestContext, watchlist: StoredResource, rows: ReadonlyArray<Record<string, string>>): void {
  const itemsColl = `${watchlist.id}/watchlistItems`;
  const seen = new Set([...ctx.store.values(itemsColl)].map((i) => rowKey(((i.body['properties'] as Json)['itemsKeyValue'] ?? {}) as Json)));
  for (const kv of rows) {
    const k = rowKey(kv);
    if (seen.has(k)) continue;
    seen.add(k);
    const id = newGuid();
    ctx.store.put({ id: `${itemsColl}/${id}`, name: id, type: WATCHLIST_ITEM_TYPE, etag: newEtag(), body: itemBody(ctx, id, { ...kv }, undefined) });
  }
}

function setState(ctx: RequestContext, w: StoredResource, provisioningState: string, uploadStatus?: string): void {
  const p = propsOf(w);
  ctx.store.put({ ...w, body: { ...w.body, properties: { ...p, provisioningState, ...(uploadStatus ? { uploadStatus } : {}) } } });
}

/** Finishes the workspace's operations whose time is up (time passes lazily, request by request). */
function settle(ctx: RequestContext): void {
  for (const op of [...ctx.store.values(operations(ctx))]) {
    const o = op.body as unknown as Operation;
    if (o.status !== 'InProgress' || Date.parse(o.completesAt) > ctx.now.getTime()) continue;
    finish(ctx, op);
  }
}

function finish(ctx: RequestContext, op: StoredResource): void {
  const o = op.body as unknown as Operation;
  const w = ctx.store.get(`${collection(ctx)}/${o.alias}`);
  const done: Operation = { ...o, status: 'Succeeded', endTime: ctx.now.toISOString() };
  delete done.rows;
  if (o.kind === 'delete') {
    if (w) ctx.store.delete(w.id);
  } else if (w && ctx.watchlistTiming.failUploads) {
    done.status = 'Failed';
    done.error = { code: 'WatchlistUploadFailed', message: `The upload of watchlist '${o.alias}' failed; its items were not imported.` };
    setState(ctx, w, 'Failed', 'Failed');
  } else if (w) {
    importRows({ ...ctx, principal: o.principal ?? ctx.principal }, w, o.rows ?? []);
    setState(ctx, ctx.store.get(w.id)!, 'Succeeded', 'Complete');
  }
  ctx.store.put({ ...op, body: done as unknown as Json });
}

/** Starts an operation; returns the Azure-AsyncOperation URL the response carries. */
function startOperation(ctx: RequestContext, watchlistUrl: string, o: Omit<Operation, 'status' | 'startTime' | 'completesAt'>, ms: number): { op: StoredResource; url: string } {
  const id = newGuid();
  const body: Operation = { ...o, status: 'InProgress', startTime: ctx.now.toISOString(), completesAt: new Date(ctx.now.getTime() + ms).toISOString() };
  const op: StoredResource = { id: `${operations(ctx)}/${id}`, name: id, type: OPERATION_TYPE, etag: newEtag(), body: body as unknown as Json };
  ctx.store.put(op);
  return { op, url: `${watchlistUrl}/watchlistStatuses/${id}?api-version=${ctx.apiVersion}` };
}

/** "When a Watchlist upload status is InProgress, the Watchlist cannot be deleted" (WatchlistProperties.uploadStatus). */
function busy(ctx: RequestContext, alias: string): Operation | undefined {
  for (const op of ctx.store.values(operations(ctx))) {
    const o = op.body as unknown as Operation;
    if (o.status === 'InProgress' && o.alias.toLowerCase() === alias.toLowerCase()) return o;
  }
  return undefined;
}

function refuseWhileBusy(ctx: RequestContext, alias: string, what: string): void {
  const o = busy(ctx, alias);
  if (o) throw conflict(`Watchlist '${alias}' cannot be ${what} while its ${o.kind === 'upload' ? 'upload' : 'deletion'} is in progress; wait for the operation to complete.`);
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
  if (p['sourceType'] != null && !SOURCE_TYPES.includes(String(p['sourceType']))) {
    throw badRequest(`There is an issue with deserializing : Error converting ${JSON.stringify(p['sourceType'])} for path 'properties.sourceType'.`);
  }
  const prev = (existing?.body['properties'] ?? {}) as Json;
  if (existing && String(prev['itemsSearchKey']).toLowerCase() !== searchKey.toLowerCase()) {
    throw badRequest(`The itemsSearchKey of ${what} cannot be changed from '${String(prev['itemsSearchKey'])}' to '${searchKey}'. Delete and re-create the watchlist.`);
  }
  if (existing) refuseWhileBusy(ctx, alias, 'updated');
  const rows = parseRawContent(searchKey, p);
  const at = ctx.now.toISOString();
  const { rawContent: _raw, ...rest } = p;
  const uploading = rows !== undefined && ctx.watchlistTiming.uploadMs > 0;
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
        provisioningState: uploading ? 'InProgress' : 'Succeeded',
        uploadStatus: uploading ? 'InProgress' : 'Complete',
      },
      systemData: systemData(ctx, existing),
    },
  };
  ctx.store.put(stored);
  const headers: Record<string, string> = {};
  if (uploading) {
    const { url } = startOperation(ctx, ctx.selfUrl, { kind: 'upload', alias: stored.name, principal: ctx.principal, rows }, ctx.watchlistTiming.uploadMs);
    headers['Azure-AsyncOperation'] = url;
  } else if (rows) {
    importRows(ctx, stored, rows);
  }
  return { status: existing ? 200 : 201, body: render(stored), headers, committed: true };
}

function deleteWatchlist(ctx: RequestContext, alias: string): HandlerResult {
  const w = ctx.store.get(`${collection(ctx)}/${alias}`);
  if (!w) return deleted(false);
  if (busy(ctx, alias)?.kind === 'delete') return { status: 200, committed: false };
  refuseWhileBusy(ctx, alias, 'deleted');
  if (ctx.watchlistTiming.deleteMs <= 0) return deleted(ctx.store.delete(w.id));
  setState(ctx, w, 'Deleting');
  const { url } = startOperation(ctx, ctx.selfUrl, { kind: 'delete', alias: w.name }, ctx.watchlistTiming.deleteMs);
  // Watchlists_Delete: 2022-09-01-preview declares 200 with the Azure-AsyncOperation header, 2025-09-01 202 with it and Location.
  const accepted = ctx.apiVersion >= DELETE_ACCEPTED_FROM;
  return { status: accepted ? 202 : 200, headers: { 'Azure-AsyncOperation': url, ...(accepted ? { Location: url } : {}) }, committed: true };
}

export function watchlists(ctx: RequestContext, alias: string | undefined): HandlerResult {
  settle(ctx);
  if (alias === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    return page(ctx, ctx.store.list(collection(ctx)), (r) => render(r));
  }
  switch (ctx.method) {
    case 'GET':
      return { status: 200, body: render(getWatchlist(ctx, alias)) };
    case 'PUT':
      return putWatchlist(ctx, alias);
    case 'DELETE':
      return deleteWatchlist(ctx, alias);
    default:
      throw methodNotAllowed(ctx.method);
  }
}

/**
 * GET of an Azure-AsyncOperation URL: the ARM operation-status body ("Track asynchronous Azure
 * operations": id, name, status InProgress|Succeeded|Failed|Canceled, startTime, endTime, error),
 * with `Retry-After` while in progress. It answers after the watchlist itself is gone (a delete).
 */
export function watchlistStatus(ctx: RequestContext, alias: string, opId: string): HandlerResult {
  if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
  settle(ctx);
  const op = ctx.store.get(`${operations(ctx)}/${opId}`);
  const o = op?.body as unknown as Operation | undefined;
  if (!op || !o || o.alias.toLowerCase() !== alias.toLowerCase()) throw notFound(`The operation '${opId}' of watchlist '${alias}' was not found.`);
  const body: Json = {
    id: `${collection(ctx)}/${o.alias}/watchlistStatuses/${op.name}`,
    name: op.name,
    status: o.status,
    startTime: o.startTime,
    ...(o.endTime ? { endTime: o.endTime } : {}),
    ...(o.error ? { error: o.error } : {}),
  };
  return { status: 200, body, ...(o.status === 'InProgress' ? { headers: { 'Retry-After': '1' } } : {}) };
}

export function watchlistItems(ctx: RequestContext, alias: string, itemId: string | undefined): HandlerResult {
  settle(ctx);
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
      // The item id is "The watchlist item id (GUID)" in prose but a plain string in the spec: any string is taken.
      const existing = ctx.store.get(id);
      const body = requireBody(ctx);
      const p = requireProperties(body);
      checkBodyEtag(body, existing, what);
      const kv = checkKeyValue(p['itemsKeyValue'], 'properties.itemsKeyValue');
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

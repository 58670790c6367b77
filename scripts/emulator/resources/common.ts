/** What every resource handler shares: request context, etags, preconditions, paging, systemData. */
import { randomBytes, randomUUID } from 'node:crypto';
import { GUID_PATTERN } from '../../model/guid.ts';
import { ArmError, badRequest, conflict } from '../errors.ts';
import type { Principal } from '../auth.ts';
import type { Store, StoredResource } from '../store.ts';
import type { WorkspaceTables } from '../workspaceTables.ts';

export type Json = Record<string, unknown>;

export interface Scope {
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** Canonical workspace name (workspace routes only). */
  workspace?: string;
  /** The workspace's table set (workspace routes only). */
  tables?: WorkspaceTables;
}

export interface RequestContext {
  method: string;
  apiVersion: string;
  /** Parsed JSON body; undefined when empty. */
  body: unknown;
  query: URLSearchParams;
  principal: Principal;
  now: Date;
  store: Store;
  /** Origin + path of this request (no query), for nextLinks. */
  selfUrl: string;
  pageSize: number;
  scope: Scope;
  /** How long watchlist uploads and deletes stay in progress (emulator config `watchlists`). */
  watchlistTiming: WatchlistTiming;
}

/** The emulator's model of the service's asynchronous watchlist operations (README, "Watchlists"). */
export interface WatchlistTiming {
  /** ms a watchlist PUT with rawContent stays InProgress (0: done within the request). */
  uploadMs: number;
  /** ms a watchlist DELETE stays Deleting (0: gone within the request). */
  deleteMs: number;
  /** Uploads end Failed instead of Succeeded (the service failing an accepted upload). */
  failUploads: boolean;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** True when the request changed state. */
  committed?: boolean;
}

/** Etags shaped like the service's (a quoted Cosmos-style version id); new on every write. */
export function newEtag(): string {
  const hex = randomBytes(8).toString('hex');
  return `"${hex.slice(0, 8)}-0000-0100-0000-${hex.slice(8)}0000"`;
}

export function workspaceId(scope: Scope): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${scope.workspace}`;
}

export function resourceGroupId(scope: Scope): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}`;
}

const stripWeak = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * The body's own `etag`, the concurrency token of every resource here: SecurityInsights
 * `ResourceWithEtag` ("Etag of the azure resource"; AlertRules.json, Watchlists.json, Metadata.json
 * declare no If-Match header and no 412), the workbook's `etag` (workbooks_API.json, no If-Match
 * either) and the saved search's ("use "*" or specify the current Etag", SavedSearches.json:
 * `wildcard`). A stale one → 409 Conflict: the specs name no status; 409 is what the service
 * answers a conflicting update with (hashicorp/terraform-provider-azurerm#25564, "409 Conflict when
 * updating a Sentinel analytics rule"). No etag → last writer wins; an etag on a create is ignored
 * (the specs are silent on both). If-Match/If-None-Match headers are ignored: no spec declares them.
 */
export function checkBodyEtag(body: Json, existing: StoredResource | undefined, what: string, opts: { wildcard?: boolean } = {}): void {
  const etag = body['etag'];
  if (etag === undefined || etag === null || etag === '') return;
  if (typeof etag !== 'string') throw badRequest(`etag must be a string.`);
  if (!existing) return;
  if (opts.wildcard && stripWeak(etag) === '*') return;
  if (stripWeak(etag) !== stripWeak(existing.etag)) {
    throw conflict(`The etag ${etag} in the request does not match the current etag ${existing.etag} of ${what}. Read the resource again and retry.`);
  }
}

export function requireBody(ctx: RequestContext): Json {
  const b = ctx.body;
  if (b === undefined) throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: the body is empty.');
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: expected a JSON object.');
  }
  return b as Json;
}

export function requireProperties(body: Json): Json {
  const p = body['properties'];
  if (p === undefined || p === null) throw badRequest(`The 'properties' object is required.`);
  if (typeof p !== 'object' || Array.isArray(p)) throw badRequest(`'properties' must be an object.`);
  return p as Json;
}

export function systemData(ctx: RequestContext, existing: StoredResource | undefined): Json {
  const at = ctx.now.toISOString();
  const previous = existing?.body['systemData'] as Json | undefined;
  return {
    createdBy: previous?.['createdBy'] ?? ctx.principal.oid,
    createdByType: previous?.['createdByType'] ?? 'Application',
    createdAt: previous?.['createdAt'] ?? at,
    lastModifiedBy: ctx.principal.oid,
    lastModifiedByType: 'Application',
    lastModifiedAt: at,
  };
}

/** The wire form of a stored resource: id, name, type, etag, then the body. */
export function render(r: StoredResource, transform?: (body: Json) => Json): Json {
  const body = transform ? transform(structuredClone(r.body)) : structuredClone(r.body);
  return { id: r.id, name: r.name, type: r.type, etag: r.etag, ...body };
}

/** ARM paging: `{ value, nextLink }`, the nextLink carrying an opaque `$skipToken` and the api-version. */
export function page<T>(ctx: RequestContext, items: T[], map: (item: T) => unknown): HandlerResult {
  const token = ctx.query.get('$skipToken');
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) throw badRequest(`The $skipToken '${token}' is invalid.`);
    offset = decoded;
  }
  const slice = items.slice(offset, offset + ctx.pageSize);
  const body: Json = { value: slice.map(map) };
  const next = offset + ctx.pageSize;
  if (next < items.length) {
    const q = new URLSearchParams(ctx.query);
    q.set('$skipToken', Buffer.from(`o:${next}`).toString('base64url'));
    q.set('api-version', ctx.apiVersion);
    body['nextLink'] = `${ctx.selfUrl}?${q.toString()}`;
  }
  return { status: 200, body };
}

export function userInfo(ctx: RequestContext): Json {
  return { objectId: ctx.principal.oid, email: null, name: null };
}

/** The audit properties a watchlist or watchlist item carries (REST spec `Watchlist`/`WatchlistItem`): created* kept from `prev`. */
export function stamps(ctx: RequestContext, prev: Json, at: string): Json {
  return {
    tenantId: ctx.scope.tenantId,
    isDeleted: false,
    created: prev['created'] ?? at,
    updated: at,
    createdBy: prev['createdBy'] ?? userInfo(ctx),
    updatedBy: userInfo(ctx),
  };
}

export const GUID = new RegExp(GUID_PATTERN);
export const newGuid = (): string => randomUUID();

export function deleted(existed: boolean): HandlerResult {
  return existed ? { status: 200, committed: true } : { status: 204 };
}

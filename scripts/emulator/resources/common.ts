/** What every resource handler shares: request context, etags, preconditions, paging, systemData. */
import { randomBytes, randomUUID } from 'node:crypto';
import { GUID_PATTERN } from '../../model/guid.ts';
import { ArmError, badRequest, conflict, preconditionFailed } from '../errors.ts';
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
  ifMatch: string | undefined;
  ifNoneMatch: string | undefined;
  query: URLSearchParams;
  principal: Principal;
  now: Date;
  store: Store;
  /** Origin + path of this request (no query), for nextLinks. */
  selfUrl: string;
  pageSize: number;
  scope: Scope;
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

/** If-Match / If-None-Match on writes, as RFC 7232 and ARM define them. */
export function checkPreconditions(ctx: RequestContext, existing: StoredResource | undefined, what: string): void {
  if (ctx.ifMatch !== undefined) {
    const tags = ctx.ifMatch.split(',').map(stripWeak);
    if (!existing) throw preconditionFailed(`${what} does not exist, so the If-Match precondition '${ctx.ifMatch}' cannot match.`);
    if (!tags.includes('*') && !tags.includes(existing.etag)) {
      throw preconditionFailed(`The If-Match etag '${ctx.ifMatch}' does not match the current etag '${existing.etag}' of ${what}; it was changed since it was read.`);
    }
  }
  if (ctx.ifNoneMatch !== undefined && existing) {
    const tags = ctx.ifNoneMatch.split(',').map(stripWeak);
    if (tags.includes('*') || tags.includes(existing.etag)) {
      throw preconditionFailed(`${what} already exists (If-None-Match: ${ctx.ifNoneMatch}).`);
    }
  }
}

/** The body's own `etag` (the SDK models carry it): a stale one is a conflict, as in the service. */
export function checkBodyEtag(body: Json, existing: StoredResource | undefined, what: string): void {
  const etag = body['etag'];
  if (etag === undefined || etag === null || etag === '') return;
  if (typeof etag !== 'string') throw badRequest(`etag must be a string.`);
  if (!existing) return;
  if (stripWeak(etag) !== existing.etag) {
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

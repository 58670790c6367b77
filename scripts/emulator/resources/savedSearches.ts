/**
 * Microsoft.OperationalInsights/workspaces/savedSearches: PUT/GET/DELETE and list, as the REST spec
 * `specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2020-08-01/SavedSearches.json`
 * (same shape in 2025-02-01) and its examples define them:
 * - PUT is create-or-update and answers **200** for both (the spec lists no 201); DELETE answers 200
 *   (the only response the spec lists, so also for a search that does not exist); GET of a missing
 *   one → 404 (the spec's `default` ErrorResponse; the code `NotFound` is the emulator's choice).
 * - Body: `{etag?, properties: {category, displayName, query, functionAlias?, functionParameters?,
 *   version?, tags?: [{name, value}]}}`; `properties`, `category`, `displayName`, `query` are required
 *   (→ 400 naming the field). Properties the spec does not define are dropped. `version`: "The current
 *   version is 2 and is the default", so an absent version reads back as 2.
 * - etag: "To override an existing saved search, use "*" or specify the current Etag" (SavedSearch.etag).
 *   A body etag that is neither `*` nor the current one → 409 Conflict (the spec does not name the
 *   status; the one check for every provider, `checkBodyEtag` in common.ts). No If-Match header is
 *   declared, so one is ignored. A PUT without an
 *   etag overwrites (the spec does not say it fails). New etag on every write, shaped like the
 *   example `SavedSearchesListByWorkspace.json`: `W/"datetime'2017-10-02T23%3A15%3A41.0709875Z'"`.
 * - List: `{value: [...]}` without paging (`x-ms-pageable: {nextLinkName: null}`).
 * The stored resource type is `Microsoft.OperationalInsights/savedSearches` (ProxyResource).
 */
import { badRequest, methodNotAllowed, notFound } from '../errors.ts';
import type { StoredResource } from '../store.ts';
import { checkBodyEtag, requireBody, requireProperties, workspaceId, type HandlerResult, type Json, type RequestContext } from './common.ts';

export const SAVED_SEARCH_TYPE = 'Microsoft.OperationalInsights/savedSearches';

function collection(ctx: RequestContext): string {
  return `${workspaceId(ctx.scope)}/savedSearches`;
}

let etagSequence = 0;
/** `W/"datetime'<ISO time with 7 fraction digits, colons escaped>'"`, as in the spec's example; new on every write. */
function savedSearchEtag(now: Date): string {
  etagSequence = (etagSequence + 1) % 10000;
  const at = now.toISOString().replace('Z', `${String(etagSequence).padStart(4, '0')}Z`);
  return `W/"datetime'${at.replace(/:/g, '%3A')}'"`;
}

function render(r: StoredResource): Json {
  return { id: r.id, etag: r.etag, name: r.name, type: r.type, ...structuredClone(r.body) };
}

function requireString(props: Json, key: string): string {
  const v = props[key];
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`properties.${key} is required (a non-empty string).`);
  return v;
}

function optionalString(props: Json, key: string): string | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`properties.${key} must be a string.`);
  return v;
}

function validProperties(props: Json): Json {
  const out: Json = {
    category: requireString(props, 'category'),
    displayName: requireString(props, 'displayName'),
    query: requireString(props, 'query'),
  };
  const alias = optionalString(props, 'functionAlias');
  if (alias !== undefined) out['functionAlias'] = alias;
  const params = optionalString(props, 'functionParameters');
  if (params !== undefined) out['functionParameters'] = params;
  const version = props['version'];
  if (version !== undefined && version !== null && !Number.isInteger(version)) throw badRequest(`properties.version must be an integer (the query language version, 2).`);
  out['version'] = version ?? 2;
  const tags = props['tags'];
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) throw badRequest(`properties.tags must be a list of {name, value}.`);
    out['tags'] = tags.map((t, i) => {
      const tag = t as Json;
      if (typeof tag?.['name'] !== 'string' || typeof tag['value'] !== 'string') throw badRequest(`properties.tags[${i}] needs a string name and value.`);
      return { name: tag['name'], value: tag['value'] };
    });
  }
  return out;
}

function put(ctx: RequestContext, name: string): HandlerResult {
  const id = `${collection(ctx)}/${name}`;
  const existing = ctx.store.get(id);
  const what = `saved search '${name}'`;
  const body = requireBody(ctx);
  checkBodyEtag(body, existing, what, { wildcard: true });
  const props = validProperties(requireProperties(body));
  const stored: StoredResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: SAVED_SEARCH_TYPE,
    etag: savedSearchEtag(ctx.now),
    body: { properties: props },
  };
  ctx.store.put(stored);
  return { status: 200, body: render(stored), committed: true };
}

export function savedSearches(ctx: RequestContext, name: string | undefined): HandlerResult {
  if (name === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    return { status: 200, body: { value: ctx.store.list(collection(ctx)).map(render) } };
  }
  const id = `${collection(ctx)}/${name}`;
  switch (ctx.method) {
    case 'GET': {
      const r = ctx.store.get(id);
      if (!r) throw notFound(`Saved search '${name}' was not found in workspace '${ctx.scope.workspace}'.`);
      return { status: 200, body: render(r) };
    }
    case 'PUT':
      return put(ctx, name);
    case 'DELETE':
      return { status: 200, committed: ctx.store.delete(id) };
    default:
      throw methodNotAllowed(ctx.method);
  }
}

/** Function aliases of the workspace's saved searches (what a query may call besides tables). */
export function savedFunctionAliases(ctx: RequestContext): Set<string> {
  const out = new Set<string>();
  for (const r of ctx.store.values(collection(ctx))) {
    const alias = (r.body['properties'] as Json | undefined)?.['functionAlias'];
    if (typeof alias === 'string' && alias !== '') out.add(alias);
  }
  return out;
}

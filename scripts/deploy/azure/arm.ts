/**
 * Reads and writes of one workspace's items through the SDK clients.
 *
 * Watchlists, watchlist items and metadata use the SecurityInsights SDK operations; workbooks use
 * the Application Insights SDK; functions are Log Analytics saved searches (`@azure/arm-operationalinsights`,
 * api-version 2020-08-01), whose tags are a property (`[{name, value}]`) and whose etag is sent in
 * the body ("To override an existing saved search, use "*" or specify the current Etag", SavedSearch spec). Alert rules go through the same SecurityInsights client's pipeline
 * (`client.sendRequest`: same credential, retry, throttling and user-agent policies) with a newer
 * api-version and the raw JSON body, because the SDK's 2022-09-01-preview model mappers silently
 * drop `subTechniques` and `alertDetailsOverride.alertDynamicProperties` on write and on read.
 */
import { createHttpHeaders, createPipelineRequest, isRestError, RestError } from '@azure/core-rest-pipeline';
import type { SubscriptionClients } from './clients.ts';
import type { ActualResource, Json, ResourceType, WorkspaceRef } from '../desired/model.ts';
import { itemResourceId, workspaceResourceId } from '../desired/model.ts';
import type { Write } from '../plan/plan.ts';
import { uploadProperties } from '../desired/watchlist-upload.ts';
import { AZURE_ASYNC_POLL, readStatus, waitForOperation, type PollReading } from './async-operation.ts';
import { retryAfterMs } from './throttle-gate.ts';

/** api-version for alert rules: the first that knows every field our content maps to (subTechniques). */
export const ALERT_RULES_API_VERSION = '2025-01-01-preview';

const ENVELOPE = new Set(['id', 'name', 'type', 'etag', 'systemData', 'kind', 'location', 'tags']);

/**
 * SDK model (properties flattened) → `{id, name, etag, kind, location, tags, properties}`.
 * Metadata's `kind` is a property (AnalyticsRule, Watchlist…), not the resource's envelope kind.
 */
export function fromSdk(model: object, kindIsProperty = false): ActualResource {
  const m = model as Json;
  const envelope = kindIsProperty ? new Set([...ENVELOPE].filter((k) => k !== 'kind')) : ENVELOPE;
  const properties: Json = {};
  for (const [k, v] of Object.entries(m)) if (!envelope.has(k) && v !== undefined) properties[k] = v;
  return {
    id: String(m.id ?? ''),
    name: String(m.name ?? ''),
    ...(m.etag ? { etag: String(m.etag) } : {}),
    ...(m.kind && !kindIsProperty ? { kind: String(m.kind) } : {}),
    ...(m.location ? { location: String(m.location) } : {}),
    ...(m.tags ? { tags: m.tags as Record<string, string> } : {}),
    properties,
    ...systemDataOf(m.systemData),
  };
}

/** `systemData` as the SDK (Date) or raw JSON (string) gives it: who created the item and who modified it last, and when. */
function systemDataOf(sd: unknown): Pick<ActualResource, 'systemData'> {
  if (!sd || typeof sd !== 'object') return {};
  const s = sd as Json;
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const created = iso(s.createdAt);
  const at = iso(s.lastModifiedAt);
  return {
    systemData: {
      ...(typeof s.createdBy === 'string' ? { createdBy: s.createdBy } : {}),
      ...(typeof created === 'string' ? { createdAt: created } : {}),
      ...(typeof s.lastModifiedBy === 'string' ? { lastModifiedBy: s.lastModifiedBy } : {}),
      ...(typeof at === 'string' ? { lastModifiedAt: at } : {}),
    },
  };
}

const fromMetadata = (m: object): ActualResource => fromSdk(m, true);

/** A saved search: `tags` is one of its properties, not the ARM envelope's tag map. */
function fromSavedSearch(m: object): ActualResource {
  const { tags, ...rest } = m as Json;
  const r = fromSdk(rest);
  return tags === undefined ? r : { ...r, properties: { ...r.properties, tags } };
}

/** Our saved-search body → the SDK model (etag beside the flattened properties). */
function savedSearchToSdk(body: Json, etag: string | undefined): Record<string, unknown> {
  return { ...(body.properties as Json), ...(etag ? { etag } : {}) };
}

/** ARM JSON (properties nested) → the same shape. */
export function fromArm(r: Json): ActualResource {
  return {
    id: String(r.id ?? ''),
    name: String(r.name ?? ''),
    ...(r.etag ? { etag: String(r.etag) } : {}),
    ...(r.kind ? { kind: String(r.kind) } : {}),
    ...(r.location ? { location: String(r.location) } : {}),
    ...(r.tags ? { tags: r.tags as Record<string, string> } : {}),
    properties: (r.properties ?? {}) as Json,
    ...systemDataOf(r.systemData),
  };
}

/** Our body (`{kind?, location?, tags?, properties}`) → the SDK's flattened model. */
function toSdk(body: Json): Record<string, unknown> {
  const { properties, ...envelope } = body;
  return { ...(properties as Json), ...envelope };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * The item changed since the plan read it: a create found it existing, or a delete found another
 * etag (checked by re-reading: DELETE takes no body and the specs declare no If-Match). A PUT's
 * stale body etag is the service's own 409 instead. Either way the caller re-plans the item.
 */
export class ChangedSincePlanError extends Error {
  readonly statusCode = 409;
  readonly code = 'ChangedSincePlan';
}

/** Our body with the plan-time etag as its `etag` property (the specs' concurrency token). */
const withEtag = (body: Json, etag: string | undefined): Json => (etag ? { ...body, etag } : body);

/** A watchlist body carrying the write's bulk upload as `rawContent` (text/csv, header on the first line). */
function withUpload(body: Json, w: Write): Json {
  if (!w.upload) return body;
  return { ...body, properties: { ...(body.properties as Json), ...uploadProperties(w.upload) } };
}

/** What a watchlist PUT or DELETE answered: its status and the Azure-AsyncOperation URL, if any. */
interface Answer {
  status: number;
  asyncUrl: string | undefined;
}

function answerBox(): { answer: Answer; onResponse: (r: { status: number; headers: { get(name: string): string | undefined } }) => void } {
  const answer: Answer = { status: 0, asyncUrl: undefined };
  return { answer, onResponse: (r) => void Object.assign(answer, { status: r.status, asyncUrl: r.headers.get('azure-asyncoperation') || undefined }) };
}

const isNotFound = (e: unknown): boolean => isRestError(e) && e.statusCode === 404;

function sameOrigin(url: string, endpoint: string): boolean {
  try {
    return new URL(url).origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}

/** The JSON of a response body, or undefined when it is empty or not JSON (a gateway's HTML page). */
function parseJsonBody(text: string): Json | undefined {
  if (!text.trim()) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** What a non-JSON error body was, for the one-line error (its status is what matters). */
export function bodyHint(text: string): string {
  const t = text.trim();
  if (!t) return ' (empty body)';
  if (t.startsWith('{') || t.startsWith('[')) return '';
  const title = /<title>([^<]{1,80})<\/title>/i.exec(t)?.[1]?.trim();
  return t.startsWith('<') ? ` (an HTML page${title ? `: "${title}"` : ''}, e.g. from a gateway or proxy)` : ` (${t.slice(0, 80).replace(/\s+/g, ' ')})`;
}

export class WorkspaceApi {
  readonly clients: SubscriptionClients;
  readonly ws: WorkspaceRef;
  constructor(
    clients: SubscriptionClients,
    ws: WorkspaceRef,
  ) {
    this.clients = clients;
    this.ws = ws;
  }

  private get si() {
    return this.clients.securityInsights;
  }

  // ---- alert rules: raw JSON through the SecurityInsights pipeline ------------------------------

  private ruleUrl(name?: string): string {
    const base = `${this.clients.endpoint}${workspaceResourceId(this.ws)}/providers/Microsoft.SecurityInsights/alertRules`;
    return `${base}${name ? `/${encodeURIComponent(name)}` : ''}?api-version=${ALERT_RULES_API_VERSION}`;
  }

  private async send(method: 'GET' | 'PUT' | 'DELETE', url: string, body?: Json): Promise<Json | undefined> {
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}) }),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const response = await this.si.sendRequest(request);
    const text = response.bodyAsText ?? '';
    const json = parseJsonBody(text);
    if (response.status >= 400) {
      const err = (json?.error ?? {}) as Json;
      throw new RestError(String(err.message ?? `HTTP ${response.status}${bodyHint(text)}`), {
        code: String(err.code ?? response.status),
        statusCode: response.status,
        request,
        response,
      });
    }
    return json;
  }

  private async listRules(): Promise<ActualResource[]> {
    const out: ActualResource[] = [];
    let url: string | undefined = this.ruleUrl();
    while (url) {
      const page: Json = (await this.send('GET', url)) ?? {};
      for (const r of (page.value ?? []) as Json[]) out.push(fromArm(r));
      url = typeof page.nextLink === 'string' && page.nextLink ? page.nextLink : undefined;
    }
    return out;
  }

  // ---- generic operations -------------------------------------------------------------------------

  async list(type: Exclude<ResourceType, 'watchlistItem'>): Promise<ActualResource[]> {
    const { resourceGroup: rg, workspaceName: ws } = this.ws;
    switch (type) {
      case 'alertRule':
        return this.listRules();
      case 'watchlist':
        return (await collect(this.si.watchlists.list(rg, ws))).map((m) => fromSdk(m));
      case 'metadata':
        return (await collect(this.si.metadata.list(rg, ws))).map(fromMetadata);
      case 'function':
        return ((await this.clients.operationalInsights.savedSearches.listByWorkspace(rg, ws)).value ?? []).map(fromSavedSearch);
      case 'workbook': {
        const all = await collect(this.clients.workbooks.workbooks.listByResourceGroup(rg, 'sentinel', { canFetchContent: true }));
        const own = workspaceResourceId(this.ws).toLowerCase();
        // Workbooks are resource-group scoped: keep the ones linked to this workspace.
        return all.map((m) => fromSdk(m)).filter((w) => String(w.properties.sourceId ?? '').toLowerCase() === own);
      }
    }
  }

  async listItems(alias: string): Promise<ActualResource[]> {
    return (await collect(this.si.watchlistItems.list(this.ws.resourceGroup, this.ws.workspaceName, alias))).map((m) => fromSdk(m));
  }

  /** One item, or undefined when it does not exist. */
  async get(type: ResourceType, name: string, parent?: string): Promise<ActualResource | undefined> {
    const { resourceGroup: rg, workspaceName: ws } = this.ws;
    try {
      switch (type) {
        case 'alertRule':
          return fromArm((await this.send('GET', this.ruleUrl(name)))!);
        case 'watchlist':
          return fromSdk(await this.si.watchlists.get(rg, ws, name));
        case 'watchlistItem':
          return fromSdk(await this.si.watchlistItems.get(rg, ws, parent!, name));
        case 'metadata':
          return fromMetadata(await this.si.metadata.get(rg, ws, name));
        case 'workbook':
          return fromSdk(await this.clients.workbooks.workbooks.get(rg, name, { canFetchContent: true }));
        case 'function':
          return fromSavedSearch(await this.clients.operationalInsights.savedSearches.get(rg, ws, name));
      }
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Re-reads the item when the write has a precondition the service cannot check (create, delete). */
  private async checkUnchanged(w: Write): Promise<void> {
    const stale = (why: string) => new ChangedSincePlanError(`${w.type} ${w.name} ${why} since the plan: not ${w.method === 'DELETE' ? 'deleted' : 'overwritten'}`);
    if (w.method === 'PUT' && w.absent) {
      if (await this.get(w.type, w.name, w.parent)) throw stale('was created');
    } else if (w.method === 'DELETE' && w.etag) {
      const now = await this.get(w.type, w.name, w.parent);
      if (now?.etag && now.etag !== w.etag) throw stale('was changed');
    }
  }

  /** Executes one planned write; PUT returns the resource as the service stored it. */
  async write(w: Write): Promise<ActualResource | undefined> {
    const { resourceGroup: rg, workspaceName: ws } = this.ws;
    await this.checkUnchanged(w);
    if (w.method === 'DELETE') {
      try {
        switch (w.type) {
          case 'alertRule':
            await this.send('DELETE', this.ruleUrl(w.name));
            break;
          case 'watchlist': {
            const box = answerBox();
            await this.si.watchlists.delete(rg, ws, w.name, { onResponse: box.onResponse });
            if (box.answer.status !== 204) await this.waitForWatchlist(w.name, box.answer.asyncUrl, 'delete');
            break;
          }
          case 'watchlistItem':
            await this.si.watchlistItems.delete(rg, ws, w.parent!, w.name);
            break;
          case 'metadata':
            await this.si.metadata.delete(rg, ws, w.name);
            break;
          case 'workbook':
            await this.clients.workbooks.workbooks.delete(rg, w.name);
            break;
          case 'function':
            await this.clients.operationalInsights.savedSearches.delete(rg, ws, w.name);
            break;
        }
      } catch (e) {
        if (!isNotFound(e)) throw e; // already gone is what we wanted
      }
      return undefined;
    }
    // The plan-time etag travels in the body: the specs' concurrency check (no If-Match is declared).
    const body = withUpload(withEtag(w.body!, w.etag), w);
    switch (w.type) {
      case 'alertRule':
        return fromArm((await this.send('PUT', this.ruleUrl(w.name), body))!);
      case 'watchlist': {
        const box = answerBox();
        const stored = fromSdk(await this.si.watchlists.createOrUpdate(rg, ws, w.name, toSdk(body), { onResponse: box.onResponse }));
        // Created: "The response includes the Provisioning State and the Azure-AsyncOperation header" (Watchlists_CreateOrUpdate 201).
        const inProgress = [stored.properties.provisioningState, stored.properties.uploadStatus].some((v) => /^(inprogress|uploading)$/i.test(String(v ?? '')));
        if (box.answer.asyncUrl || inProgress) {
          await this.waitForWatchlist(w.name, box.answer.asyncUrl, w.upload ? `upload of ${w.upload.rows.length} item(s)` : 'update');
        }
        return stored;
      }
      case 'watchlistItem':
        return fromSdk(await this.si.watchlistItems.createOrUpdate(rg, ws, w.parent!, w.name, toSdk(body)));
      case 'metadata':
        return fromMetadata(await this.si.metadata.create(rg, ws, w.name, toSdk(body)));
      case 'workbook':
        return fromSdk(await this.clients.workbooks.workbooks.createOrUpdate(rg, w.name, toSdk(body) as never));
      case 'function':
        return fromSavedSearch(await this.clients.operationalInsights.savedSearches.createOrUpdate(rg, ws, w.name, savedSearchToSdk(w.body!, w.etag) as never));
    }
  }

  // ---- asynchronous watchlist operations ------------------------------------------------------------

  /**
   * Waits for the service's upload or delete of watchlist `alias`: polls the Azure-AsyncOperation
   * URL when the response gave one, else the watchlist itself (its provisioningState/uploadStatus;
   * a delete: until it is gone). Bounded by the clients' async-poll timeout and the run's signal.
   */
  private async waitForWatchlist(alias: string, asyncUrl: string | undefined, what: string): Promise<void> {
    // The bearer token goes only to the ARM endpoint: a status URL elsewhere is not followed (the watchlist is polled instead).
    const statusUrl = asyncUrl && sameOrigin(asyncUrl, this.clients.endpoint) ? asyncUrl : undefined;
    const poll = statusUrl ? () => this.pollStatus(statusUrl) : what === 'delete' ? () => this.pollGone(alias) : () => this.pollWatchlist(alias);
    await waitForOperation(`watchlist ${alias}: the service's ${what}`, poll, this.clients.asyncPoll ?? AZURE_ASYNC_POLL, this.clients.signal);
  }

  private async pollStatus(url: string): Promise<PollReading> {
    const request = createPipelineRequest({ url, method: 'GET', headers: createHttpHeaders({ Accept: 'application/json' }) });
    const response = await this.si.sendRequest(request);
    const text = response.bodyAsText ?? '';
    const json = parseJsonBody(text) ?? {};
    if (response.status >= 400) {
      const err = (json.error ?? {}) as Json;
      throw new RestError(`reading the operation status failed: ${String(err.message ?? `HTTP ${response.status}${bodyHint(text)}`)}`, { code: String(err.code ?? response.status), statusCode: response.status, request, response });
    }
    const state = readStatus(json.status);
    const err = (json.error ?? {}) as Json;
    const after = retryAfterMs(response);
    return { ...state, ...(state.failed ? { failed: `${state.failed}${err.message ? `: ${String(err.message)}` : ''}` } : {}), ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }

  private async pollWatchlist(alias: string): Promise<PollReading> {
    const now = await this.get('watchlist', alias);
    if (!now) return { done: false, failed: 'NotFound: the watchlist is gone' };
    const p = now.properties;
    if (p.provisioningState !== undefined) return readStatus(p.provisioningState);
    return { done: p.uploadStatus === undefined || /^complete$/i.test(String(p.uploadStatus)), ...(/^failed$/i.test(String(p.uploadStatus)) ? { failed: 'Failed' } : {}) };
  }

  private async pollGone(alias: string): Promise<PollReading> {
    return { done: !(await this.get('watchlist', alias)) };
  }

  resourceId(type: ResourceType, name: string, parent?: string): string {
    return itemResourceId(this.ws, type, name, parent);
  }
}

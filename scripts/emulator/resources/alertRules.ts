/** Microsoft.SecurityInsights/alertRules: GET/PUT/DELETE and paged list, per api-version. */
import { allRuleFields, securityInsightsVersion, versionsDefiningKind, type KindFields } from '../apiVersions.ts';
import { badRequest, conflict, methodNotAllowed, notFound } from '../errors.ts';
import type { StoredResource } from '../store.ts';
import {
  checkBodyEtag, deleted, newEtag, page, render, requireBody, systemData, workspaceId,
  type HandlerResult, type Json, type RequestContext,
} from './common.ts';
import { LIMITS } from '../../model/sentinel.ts';
import { fillRuleDefaults, validateRule } from './ruleValidation.ts';
import { savedFunctionAliases } from './savedSearches.ts';
import { querySources } from '../querySources.ts';
import { builtInFunctionNames } from '../workspaceTables.ts';

/**
 * Azure's message when an analytics rule's query reads a table the workspace does not have: the
 * service runs the query against the workspace on PUT and answers 400 with this text (quoted in
 * criblio/Cribl-Microsoft PR #56, "Installing a rule validates its query against the workspace";
 * the error code of query failures is `BadRequest`, e.g. the semantic-error body quoted in
 * wortell/AZSentinel issue #97). The Microsoft docs and the REST spec are silent on this error.
 * The message does not name the table; neither does the emulator's.
 */
export const MISSING_TABLE_MESSAGE = 'Failed to run the analytics rule query. One of the tables does not exist.';

let builtInFunctions: Set<string> | undefined;

/** The tables/functions `query` reads that this workspace lacks (see querySources.ts: an approximation). */
export function missingSources(ctx: RequestContext, query: string): string[] {
  const tables = ctx.scope.tables?.tables;
  if (!tables) return [];
  builtInFunctions ??= builtInFunctionNames();
  const functions = savedFunctionAliases(ctx);
  return querySources(query).filter((n) => !tables.has(n) && !functions.has(n) && !builtInFunctions!.has(n));
}

export const ALERT_RULE_TYPE = 'Microsoft.SecurityInsights/alertRules';

const pick = (obj: Json, keys: readonly string[]): Json => Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));

/** `props` with only the properties (and known sub-properties) of `model`. */
function project(props: Json, model: KindFields, keys: readonly string[] = model.fields): Json {
  const out = pick(props, keys);
  for (const [key, subKeys] of Object.entries(model.nested)) {
    const v = out[key];
    if (v && typeof v === 'object' && !Array.isArray(v)) out[key] = pick(v as Json, subKeys);
  }
  return out;
}

/**
 * A kind some served api-version defines but `apiVersion` does not (NRT, MLBehaviorAnalytics,
 * ThreatIntelligence in the GA versions): the service's lists leave such rules out — a GA list does not
 * return NRT rules (Azure/azure-sdk-for-python#39996, "Alert rule NRT not returned", answered: use
 * 2025-01-01-preview; microsoft/msticpy#592, "the current one does not return NRT rules"). For a GET or
 * PUT of one the docs are silent: the emulator answers 400 naming the versions that define the kind.
 */
function kindOutsideVersion(kind: string, apiVersion: string): boolean {
  return !securityInsightsVersion(apiVersion).kind(kind) && versionsDefiningKind(kind).length > 0;
}

function kindNotInVersion(kind: string, apiVersion: string): never {
  throw badRequest(`The alert rule kind '${kind}' is not defined in api-version '${apiVersion}'. Use one of the api-versions that define it: ${versionsDefiningKind(kind).join(', ')}.`);
}

/** What a read with `apiVersion` shows: only the properties that version knows. */
export function renderRule(r: StoredResource, apiVersion: string): Json {
  return render(r, (body) => {
    const model = securityInsightsVersion(apiVersion).kind(String(body['kind']));
    if (model) body['properties'] = project(body['properties'] as Json, model);
    return body;
  });
}

function collection(ctx: RequestContext): string {
  return `${workspaceId(ctx.scope)}/providers/Microsoft.SecurityInsights/alertRules`;
}

function put(ctx: RequestContext, name: string): HandlerResult {
  const id = `${collection(ctx)}/${name}`;
  const existing = ctx.store.get(id);
  const what = `alert rule '${name}'`;
  const body = requireBody(ctx);
  const kind = body['kind'];
  if (typeof kind !== 'string' || kind === '') throw badRequest(`The 'kind' field is required (Scheduled, NRT, Fusion, MicrosoftSecurityIncidentCreation, …).`);
  const rawProps = body['properties'];
  if (rawProps == null || typeof rawProps !== 'object' || Array.isArray(rawProps)) throw badRequest(`The 'properties' object is required.`);
  if (existing && existing.body['kind'] !== kind) {
    throw conflict(`The kind of ${what} cannot be changed from '${String(existing.body['kind'])}' to '${kind}'. Delete the rule and create it again.`);
  }
  checkBodyEtag(body, existing, what);

  if (kindOutsideVersion(kind, ctx.apiVersion)) kindNotInVersion(kind, ctx.apiVersion);
  const model = securityInsightsVersion(ctx.apiVersion).kind(kind);
  let props: Json;
  if (model) {
    // Drop what this api-version does not know and what the service fills (read-only); keep newer-version fields already stored.
    props = project(rawProps as Json, model, model.fields.filter((f) => !model.readOnly.includes(f)));
    validateRule(kind, props);
    if ((kind === 'Scheduled' || kind === 'NRT') && typeof props['query'] === 'string' && missingSources(ctx, props['query']).length > 0) {
      throw badRequest(MISSING_TABLE_MESSAGE);
    }
    const previous = (existing?.body['properties'] ?? {}) as Json;
    for (const [k, v] of Object.entries(previous)) if (!model.fields.includes(k) || model.readOnly.includes(k)) props[k] = v;
    for (const [key, subKeys] of Object.entries(model.nested)) {
      const before = previous[key] as Json | null | undefined;
      const now = props[key] as Json | null | undefined;
      if (before && typeof before === 'object' && now && typeof now === 'object') {
        for (const [k, v] of Object.entries(before)) if (!subKeys.includes(k)) now[k] = v;
      }
    }
    props = fillRuleDefaults(kind, props, allRuleFields(kind) ?? []);
  } else {
    props = structuredClone(rawProps as Json);
  }
  props['lastModifiedUtc'] = ctx.now.toISOString();

  if (!existing) checkWorkspaceLimits(ctx, kind);
  const stored: StoredResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: ALERT_RULE_TYPE,
    etag: newEtag(),
    body: { kind, properties: props, systemData: systemData(ctx, existing) },
  };
  ctx.store.put(stored);
  return { status: existing ? 200 : 201, body: renderRule(stored, ctx.apiVersion), committed: true };
}

function checkWorkspaceLimits(ctx: RequestContext, kind: string): void {
  const rules = [...ctx.store.values(collection(ctx))];
  if (rules.length >= LIMITS.maxRulesPerWorkspace) {
    throw badRequest(`The workspace already has ${rules.length} analytics rules; the maximum is ${LIMITS.maxRulesPerWorkspace}.`);
  }
  if (kind === 'NRT' && rules.filter((r) => r.body['kind'] === 'NRT').length >= LIMITS.maxNrtRulesPerWorkspace) {
    throw badRequest(`The workspace already has ${LIMITS.maxNrtRulesPerWorkspace} NRT rules, the maximum allowed.`);
  }
}

export function alertRules(ctx: RequestContext, name: string | undefined): HandlerResult {
  if (name === undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    const visible = ctx.store.list(collection(ctx)).filter((r) => !kindOutsideVersion(String(r.body['kind']), ctx.apiVersion));
    return page(ctx, visible, (r) => renderRule(r, ctx.apiVersion));
  }
  const id = `${collection(ctx)}/${name}`;
  switch (ctx.method) {
    case 'GET': {
      const r = ctx.store.get(id);
      if (!r) throw notFound(`Alert rule '${name}' was not found in workspace '${ctx.scope.workspace}'.`);
      if (kindOutsideVersion(String(r.body['kind']), ctx.apiVersion)) kindNotInVersion(String(r.body['kind']), ctx.apiVersion);
      return { status: 200, body: renderRule(r, ctx.apiVersion) };
    }
    case 'PUT':
      return put(ctx, name);
    case 'DELETE': {
      return deleted(ctx.store.delete(id));
    }
    default:
      throw methodNotAllowed(ctx.method);
  }
}

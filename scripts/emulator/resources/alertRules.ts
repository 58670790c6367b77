/** Microsoft.SecurityInsights/alertRules: GET/PUT/DELETE and paged list, per api-version. */
import { allRuleFields, securityInsightsVersion } from '../apiVersions.ts';
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

/** What a read with `apiVersion` shows: only the properties that version knows. */
export function renderRule(r: StoredResource, apiVersion: string): Json {
  return render(r, (body) => {
    const fields = securityInsightsVersion(apiVersion).ruleFields(String(body['kind']));
    if (fields) body['properties'] = pick(body['properties'] as Json, fields);
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

  const versionFields = securityInsightsVersion(ctx.apiVersion).ruleFields(kind);
  let props: Json;
  if (versionFields) {
    // Drop what this api-version does not know (and read-only fields); keep newer-version fields already stored.
    props = pick(rawProps as Json, versionFields.filter((f) => f !== 'lastModifiedUtc'));
    validateRule(kind, props);
    if ((kind === 'Scheduled' || kind === 'NRT') && typeof props['query'] === 'string' && missingSources(ctx, props['query']).length > 0) {
      throw badRequest(MISSING_TABLE_MESSAGE);
    }
    const previous = (existing?.body['properties'] ?? {}) as Json;
    for (const [k, v] of Object.entries(previous)) if (!versionFields.includes(k)) props[k] = v;
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
    return page(ctx, ctx.store.list(collection(ctx)), (r) => renderRule(r, ctx.apiVersion));
  }
  const id = `${collection(ctx)}/${name}`;
  switch (ctx.method) {
    case 'GET': {
      const r = ctx.store.get(id);
      if (!r) throw notFound(`Alert rule '${name}' was not found in workspace '${ctx.scope.workspace}'.`);
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

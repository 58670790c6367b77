/**
 * Resource-group template deployments (Microsoft.Resources/deployments): REST spec
 * specification/resources/resource-manager/Microsoft.Resources/stable/2025-04-01/resources.json,
 * Deployments_CreateOrUpdate (PUT, 200/201 DeploymentExtended, x-ms-long-running-operation),
 * Deployments_Get, DeploymentPropertiesExtended (provisioningState, outputs, outputResources, error).
 *
 * PUT validates the request and the template first; a template or parameter fault is a synchronous
 * 400 `InvalidTemplate` "Deployment template validation failed: …" and no deployment is recorded
 * (troubleshooting/error-invalid-template: syntax errors, incorrect segment lengths, a value outside
 * allowedValues, circular dependencies; unknown and missing parameters are given the same code, the
 * docs do not list them).
 * Then each resource is applied in dependsOn order through the emulator's own resource handlers (the
 * same validation as a direct PUT); a resource whose dependency failed is not deployed. The answer is
 * 201 (200 for an existing name) with provisioningState `Accepted` and an `Azure-AsyncOperation` header
 * (azure-resource-manager/management/async-operations): polling it gives `Succeeded`, or `Failed` with
 * the error `DeploymentFailed` whose `details` are the failed resources' errors (the wording of
 * "At least one resource deployment operation failed…" is the service's). The emulator finishes the work
 * inside the PUT, so the first poll is already final; real ARM reports `Running` in between.
 *
 * Not modelled (400 with an emulator message; the docs describe them, the emulator does not do them):
 * templateLink/parametersLink (no fetching), mode Complete (deleting what the template omits), `copy`
 * loops, nested deployments, Key Vault parameter references. Deployments are kept in memory, not in the
 * state file, and listing, delete, cancel, what-if and deployment operations are not served. Validate
 * (Deployments_Validate) runs the PUT's checks only (see `validate`).
 */
import { randomUUID } from 'node:crypto';
import { ArmError, badRequest, methodNotAllowed, notFound } from '../errors.ts';
import { evaluateValue, evaluateString, TemplateError, type DeploymentScope, type ExpressionContext } from '../templateExpressions.ts';
import type { HandlerResult, Json, RequestContext } from './common.ts';

export interface DeploymentRecord {
  body: Json;
  operationId: string;
  status: 'Running' | 'Succeeded' | 'Failed';
  error?: Json;
  startTime: string;
  endTime?: string;
  /** Resources whose provider answered with an Azure-AsyncOperation URL still being followed. */
  pending: { id: string; url: string }[];
}

/** What a resource provider's Azure-AsyncOperation URL answers now. */
export interface ProviderOperation {
  status: string;
  error?: { code?: string; message?: string };
}

export interface DeploymentDeps {
  /** Deployments by lower-case id. */
  records: Map<string, DeploymentRecord>;
  /**
   * PUT one resource (full ARM id) through the resource provider; throws ArmError as a direct PUT would.
   * Returns the provider's Azure-AsyncOperation URL when it answered asynchronously (a watchlist upload).
   */
  apply(id: string, apiVersion: string, body: Json): string | undefined;
  /** GET a provider's Azure-AsyncOperation URL (as ARM polls it for the deployment). */
  poll(url: string): ProviderOperation;
  /** Origin of this emulator (for the Azure-AsyncOperation URL). */
  baseUrl: string;
}

const invalidTemplate = (message: string) => new ArmError(400, 'InvalidTemplate', `Deployment template validation failed: '${message}'.`);

const PARAMETER_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  securestring: (v) => typeof v === 'string',
  int: (v) => Number.isInteger(v),
  bool: (v) => typeof v === 'boolean',
  object: (v) => !!v && typeof v === 'object' && !Array.isArray(v),
  secureobject: (v) => !!v && typeof v === 'object' && !Array.isArray(v),
  array: Array.isArray,
};

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const lowerMap = (o: unknown) => new Map(Object.entries(isObject(o) ? o : {}).map(([k, v]) => [k.toLowerCase(), v]));

/** Parameter values: given ones (`{name: {value}}`) checked against the template's declarations, else the defaults. */
function parameterValues(template: Json, given: unknown, scope: DeploymentScope): Map<string, unknown> {
  const declared = isObject(template.parameters) ? template.parameters : {};
  const provided = isObject(given) ? given : {};
  const names = Object.keys(declared);
  const unknown = Object.keys(provided).filter((p) => !names.some((n) => n.toLowerCase() === p.toLowerCase()));
  if (unknown.length) {
    throw invalidTemplate(
      `The template parameters '${unknown.join(', ')}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. ` +
        `The only supported parameters for this template are '${names.join(', ')}'`,
    );
  }
  const values = new Map<string, unknown>();
  const ctx: ExpressionContext = { parameters: values, variables: new Map(), scope };
  for (const [name, decl] of Object.entries(declared)) {
    if (!isObject(decl) || typeof decl.type !== 'string' || !PARAMETER_TYPES[decl.type.toLowerCase()]) {
      throw invalidTemplate(`The template parameter '${name}' has no valid type (string, securestring, int, bool, object, secureObject, array)`);
    }
    const hit = Object.entries(provided).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    let value: unknown;
    if (hit !== undefined) {
      if (!isObject(hit) || !('value' in hit)) throw invalidTemplate(`The value for the template parameter '${name}' must be given as {"value": …} (Key Vault references are not modelled by the emulator)`);
      value = hit.value;
    } else if ('defaultValue' in decl) {
      value = evaluateValue(decl.defaultValue, ctx);
    } else {
      throw invalidTemplate(`The value for the template parameter '${name}' is not provided. Please see https://aka.ms/arm-deploy/#parameter-file for usage details`);
    }
    if (!PARAMETER_TYPES[decl.type.toLowerCase()]!(value)) {
      throw invalidTemplate(`Template parameter '${name}' was provided an invalid value. Expected a value of type '${decl.type}'`);
    }
    if (Array.isArray(decl.allowedValues) && !decl.allowedValues.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
      throw invalidTemplate(`The provided value ${JSON.stringify(value)} for the template parameter '${name}' is not valid. The parameter value is not part of the allowed values`);
    }
    values.set(name.toLowerCase(), value);
  }
  return values;
}

interface PlannedResource {
  id: string;
  name: string;
  type: string;
  apiVersion: string;
  body: Json;
  dependsOn: string[];
}

/**
 * A resource's full id from its type and name: one name segment per type segment after the namespace
 * (templates/child-resource-name-type); with `scope`, an extension resource of that resource.
 */
function resourceIdOf(type: string, name: string, scope: DeploymentScope, extensionOf?: string): string {
  const types = type.split('/');
  const names = name.split('/');
  if (types.length < 2 || types.length - 1 !== names.length) {
    throw invalidTemplate(
      `The template resource '${name}' for type '${type}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name. ` +
        'A root resource type must have segment length one greater than its resource name',
    );
  }
  const rg = `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}`;
  const base = extensionOf === undefined ? rg : extensionOf.startsWith('/') ? extensionOf : `${rg}/providers/${extensionOf}`;
  let id = `${base}/providers/${types[0]}`;
  types.slice(1).forEach((t, i) => (id += `/${t}/${names[i]}`));
  return id;
}

function planResources(template: Json, ctx: ExpressionContext): PlannedResource[] {
  if (!Array.isArray(template.resources)) throw invalidTemplate(`The template must have a 'resources' array`);
  const planned: PlannedResource[] = [];
  template.resources.forEach((raw, i) => {
    if (!isObject(raw)) throw invalidTemplate(`The template resource at index '${i}' is not an object`);
    for (const f of ['type', 'apiVersion', 'name']) {
      if (typeof raw[f] !== 'string' || raw[f] === '') throw invalidTemplate(`The template resource at index '${i}' must have a '${f}' string`);
    }
    for (const f of ['copy', 'resources']) {
      if (raw[f] !== undefined) throw invalidTemplate(`The template resource at index '${i}' uses '${f}', which the emulator does not model`);
    }
    if (raw.condition !== undefined && evaluateValue(raw.condition, ctx) === false) return;
    const type = String(evaluateString(raw.type as string, ctx));
    const name = String(evaluateString(raw.name as string, ctx));
    const apiVersion = String(evaluateString(raw.apiVersion as string, ctx));
    const scope = raw.scope === undefined ? undefined : String(evaluateValue(raw.scope, ctx));
    const body: Json = {};
    for (const f of ['kind', 'location', 'tags', 'etag', 'properties']) if (raw[f] !== undefined) body[f] = evaluateValue(raw[f], ctx);
    const dependsOn = Array.isArray(raw.dependsOn) ? raw.dependsOn.map((d) => String(evaluateValue(d, ctx))) : [];
    planned.push({ id: resourceIdOf(type, name, ctx.scope, scope), name, type, apiVersion, body, dependsOn });
  });
  return planned;
}

/** dependsOn order (a dependency is a resource id or name in the template); cycles and unknown names are InvalidTemplate. */
function ordered(resources: PlannedResource[]): { resource: PlannedResource; deps: PlannedResource[] }[] {
  const find = (ref: string) =>
    resources.find((r) => r.id.toLowerCase() === ref.toLowerCase() || r.name.toLowerCase() === ref.toLowerCase() || `${r.type}/${r.name}`.toLowerCase() === ref.toLowerCase());
  const deps = new Map(resources.map((r) => [r, r.dependsOn.map((d) => {
    const hit = find(d);
    if (!hit) throw invalidTemplate(`The resource '${d}' is not defined in the template`);
    return hit;
  })]));
  const out: { resource: PlannedResource; deps: PlannedResource[] }[] = [];
  const state = new Map<PlannedResource, 'visiting' | 'done'>();
  const visit = (r: PlannedResource) => {
    if (state.get(r) === 'done') return;
    if (state.get(r) === 'visiting') throw invalidTemplate(`Circular dependency detected on resource: '${r.id}'`);
    state.set(r, 'visiting');
    for (const d of deps.get(r)!) visit(d);
    state.set(r, 'done');
    out.push({ resource: r, deps: deps.get(r)! });
  };
  resources.forEach(visit);
  return out;
}

/**
 * Follows the provider operations a Running deployment waits for: one still InProgress keeps it
 * Running; once none is, the deployment ends Succeeded, or Failed with each failed operation's error
 * as a detail (target: the resource), as a resource refused at once would be.
 */
function follow(record: DeploymentRecord, deps: DeploymentDeps, now: Date): void {
  if (record.status !== 'Running') return;
  const answers = record.pending.map((p) => ({ ...p, op: deps.poll(p.url) }));
  if (answers.some((a) => !/^(succeeded|failed|canceled)$/i.test(a.op.status))) return;
  const details = answers
    .filter((a) => !/^succeeded$/i.test(a.op.status))
    .map((a) => ({ code: a.op.error?.code ?? a.op.status, message: a.op.error?.message ?? `The operation ended ${a.op.status}.`, target: a.id }));
  const props = { ...((record.body.properties ?? {}) as Json) };
  record.pending = [];
  record.endTime = now.toISOString();
  if (details.length) {
    record.status = 'Failed';
    record.error = { code: 'DeploymentFailed', message: DEPLOYMENT_FAILED, details };
    props.provisioningState = 'Failed';
    props.error = record.error;
  } else {
    record.status = 'Succeeded';
    props.provisioningState = 'Succeeded';
  }
  record.body = { ...record.body, properties: props };
}

const DEPLOYMENT_FAILED = 'At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.';

function extended(id: string, name: string, props: Json): Json {
  return { id, name, type: 'Microsoft.Resources/deployments', properties: props };
}

/**
 * Deployments_Validate (POST …/deployments/{name}/validate; 200 DeploymentValidateResult, 400 with its
 * `error`): the same request, parameter, expression and resource checks as a PUT, nothing applied or
 * recorded. Answered at once with 200 (the spec also allows 202 + polling; the emulator never needs it).
 * Only the template is checked (the service may also run provider preflight checks; not modelled).
 */
function validate(id: string, name: string, checked: Checked): HandlerResult {
  if ('error' in checked) return { status: 400, body: { error: checked.error } };
  return {
    status: 200,
    body: extended(id, name, {
      provisioningState: 'Succeeded', mode: checked.mode, parameters: checked.parameters,
      validatedResources: checked.order.map(({ resource }) => ({ id: resource.id })),
    }),
  };
}

type Checked =
  | { mode: string; template: Json; exprCtx: ExpressionContext; order: { resource: PlannedResource; deps: PlannedResource[] }[]; parameters: Json }
  | { error: { code: string; message: string } };

/** The request and template checks of PUT and validate; a template fault is returned (validate answers it in the body). */
function check(ctx: RequestContext, scope: DeploymentScope): Checked {
  const body = ctx.body;
  if (!isObject(body) || !isObject(body.properties)) throw badRequest(`The request content must have 'properties' (Deployment: properties is required).`, 'InvalidRequestContent');
  const p = body.properties;
  if (p.mode !== 'Incremental' && p.mode !== 'Complete') throw badRequest(`The deployment mode must be 'Incremental' or 'Complete' (DeploymentProperties.mode is required).`, 'InvalidRequestContent');
  if (p.mode === 'Complete') throw badRequest('The emulator does not model Complete mode (deleting what the template omits): deploy with mode Incremental.', 'InvalidRequestContent');
  if (p.templateLink !== undefined || p.parametersLink !== undefined) throw badRequest('The emulator does not fetch templateLink/parametersLink: send the template and parameters inline.', 'InvalidRequestContent');
  if (!isObject(p.template)) throw badRequest(`The request content must have 'properties.template' (or a templateLink).`, 'InvalidRequestContent');
  const template = p.template;
  try {
    const values = parameterValues(template, p.parameters, scope);
    const exprCtx: ExpressionContext = { parameters: values, variables: lowerMap(template.variables), scope };
    const order = ordered(planResources(template, exprCtx));
    const parameters = Object.fromEntries(
      Object.entries(isObject(template.parameters) ? template.parameters : {}).map(([k, d]) => [k, { type: isObject(d) ? d.type : 'String', value: values.get(k.toLowerCase()) }]),
    );
    return { mode: p.mode, template, exprCtx, order, parameters };
  } catch (e) {
    if (e instanceof TemplateError) return { error: invalidTemplate(e.message).body().error };
    if (e instanceof ArmError && e.code === 'InvalidTemplate') return { error: e.body().error };
    throw e;
  }
}

export function deployments(ctx: RequestContext, route: { name: string; operationId?: string; validate?: true }, deps: DeploymentDeps): HandlerResult {
  const { name, operationId } = route;
  const scope: DeploymentScope = { tenantId: ctx.scope.tenantId, subscriptionId: ctx.scope.subscriptionId, resourceGroup: ctx.scope.resourceGroup, location: ctx.scope.location };
  const id = `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.Resources/deployments/${name}`;
  const record = deps.records.get(id.toLowerCase());
  if (record && ctx.method === 'GET') follow(record, deps, ctx.now);
  if (operationId !== undefined) {
    if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method);
    if (!record || record.operationId !== operationId) throw notFound(`The operation '${operationId}' of deployment '${name}' could not be found.`, 'OperationNotFound');
    return {
      status: 200,
      body: {
        id: `${id}/operationStatuses/${operationId}`, name: operationId, status: record.status, startTime: record.startTime,
        ...(record.endTime ? { endTime: record.endTime } : {}), ...(record.error ? { error: record.error } : {}),
      },
      ...(record.status === 'Running' ? { headers: { 'Retry-After': '1' } } : {}),
    };
  }
  if (ctx.method === 'GET' && !route.validate) {
    if (!record) throw notFound(`Deployment '${name}' could not be found.`, 'DeploymentNotFound');
    return { status: 200, body: record.body };
  }
  if (ctx.method !== (route.validate ? 'POST' : 'PUT')) throw methodNotAllowed(ctx.method);
  // Deployment name: DeploymentNameParameter (pattern ^[-\w\._\(\)]+$, maxLength 64); the codes are
  // troubleshooting/common-deployment-errors' DeploymentNameLengthLimitExceeded and DeploymentNameInvalidCharacters.
  if (name.length > 64) throw badRequest(`The deployment name '${name}' exceeds the limit of 64 characters.`, 'DeploymentNameLengthLimitExceeded');
  if (!/^[-\w._()]+$/.test(name)) throw badRequest(`The deployment name '${name}' is not valid: it can only contain letters, digits, '-', '.', '_', '(' or ')'.`, 'DeploymentNameInvalidCharacters');
  const checked = check(ctx, scope);
  if (route.validate) return validate(id, name, checked);
  if ('error' in checked) throw new ArmError(400, checked.error.code, checked.error.message);
  const { template, exprCtx, order, parameters: shownParameters } = checked;

  const failed = new Set<PlannedResource>();
  const details: Json[] = [];
  const outputResources: Json[] = [];
  const pending: DeploymentRecord['pending'] = [];
  for (const { resource, deps: needs } of order) {
    if (needs.some((d) => failed.has(d))) {
      failed.add(resource);
      continue;
    }
    try {
      const asyncUrl = deps.apply(resource.id, resource.apiVersion, resource.body);
      if (asyncUrl) pending.push({ id: resource.id, url: asyncUrl });
      outputResources.push({ id: resource.id });
    } catch (e) {
      if (!(e instanceof ArmError)) throw e;
      failed.add(resource);
      details.push({ code: e.code, message: e.message, target: resource.id });
    }
  }
  let outputs: Json | undefined;
  if (!failed.size && isObject(template.outputs)) {
    try {
      outputs = Object.fromEntries(Object.entries(template.outputs).map(([k, o]) => [k, { type: isObject(o) ? o.type : undefined, value: evaluateValue(isObject(o) ? o.value : undefined, exprCtx) }]));
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      details.push({ code: 'InvalidTemplate', message: e.message });
    }
  }
  const error = details.length
    ? { code: 'DeploymentFailed', message: DEPLOYMENT_FAILED, details }
    : undefined;
  // A resource its provider is still creating asynchronously keeps the deployment Running until that
  // operation ends (ARM follows the provider's Azure-AsyncOperation, async-operations).
  const status = error ? 'Failed' : pending.length ? 'Running' : 'Succeeded';
  const now = ctx.now.toISOString();
  const props: Json = {
    provisioningState: status,
    correlationId: randomUUID(),
    timestamp: now,
    duration: 'PT0S',
    mode: checked.mode,
    parameters: shownParameters,
    outputResources,
    ...(outputs ? { outputs } : {}),
    ...(error ? { error } : {}),
  };
  const newOperation = randomUUID().replace(/-/g, '').toUpperCase();
  deps.records.set(id.toLowerCase(), {
    body: extended(id, name, props), operationId: newOperation, status, startTime: now, pending: error ? [] : pending,
    ...(status !== 'Running' ? { endTime: now } : {}), ...(error ? { error } : {}),
  });
  const asyncUrl = `${deps.baseUrl}${id}/operationStatuses/${newOperation}?api-version=${ctx.apiVersion}`;
  return {
    status: record ? 200 : 201,
    body: extended(id, name, { ...props, provisioningState: 'Accepted', error: undefined }),
    headers: { 'Azure-AsyncOperation': asyncUrl },
    committed: outputResources.length > 0,
  };
}

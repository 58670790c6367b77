/**
 * The resource provider side: checks the api-version and the parent scope (resource group,
 * workspace), then hands the request to the resource handler. Used by the HTTP server and by the
 * out-of-band "portal" helpers alike, so both go through the same service logic.
 */
import { checkApiVersion, type Provider } from './apiVersions.ts';
import { ArmError, notFound } from './errors.ts';
import type { SubscriptionInfo, Topology } from './config.ts';
import type { Route } from './router.ts';
import type { HandlerResult, RequestContext, Scope } from './resources/common.ts';
import { alertRules } from './resources/alertRules.ts';
import { metadata } from './resources/metadata.ts';
import { savedSearches } from './resources/savedSearches.ts';
import { tables } from './resources/tables.ts';
import { watchlistItems, watchlists, watchlistStatus } from './resources/watchlists.ts';
import { subscriptionWorkbooks, workbooks } from './resources/workbooks.ts';

export type ArmRoute = Extract<Route, { kind: 'securityInsights' | 'operationalInsights' | 'workbooks' | 'subscriptionWorkbooks' | 'deployments' }>;
/** The routes of resource providers (everything but template deployments, which the server runs through them). */
export type ProviderRoute = Exclude<ArmRoute, { kind: 'deployments' }>;

export function findSubscription(topology: Topology, subscriptionId: string): SubscriptionInfo {
  const sub = topology.subscriptions.get(subscriptionId.toLowerCase());
  if (!sub) throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
  return sub;
}

/** Resolves the route's scope against the configured topology (404s as ARM gives them). */
export function resolveScope(topology: Topology, route: ArmRoute): Scope {
  const sub = findSubscription(topology, route.subscriptionId);
  const base = { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId };
  if (route.kind === 'subscriptionWorkbooks') return { ...base, resourceGroup: '', location: '' };
  const group = sub.resourceGroups.get(route.resourceGroup.toLowerCase());
  if (!group) throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${route.resourceGroup}' could not be found.`);
  const scope: Scope = { ...base, resourceGroup: group.name, location: group.location };
  if (route.kind === 'workbooks' || route.kind === 'deployments') return scope;
  const ws = group.workspaces.get(route.workspace.toLowerCase());
  if (!ws) {
    throw new ArmError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${route.workspace}' not found.`);
  }
  return { ...scope, workspace: ws.name, tables: ws.tables };
}

export function providerOf(route: ArmRoute): { provider: Provider; type: string } {
  if (route.kind === 'securityInsights') return { provider: 'Microsoft.SecurityInsights', type: route.item ? 'watchlists/watchlistItems' : route.type };
  if (route.kind === 'operationalInsights') return { provider: `Microsoft.OperationalInsights/${route.type}`, type: route.type };
  if (route.kind === 'deployments') return { provider: 'Microsoft.Resources', type: 'deployments' };
  return { provider: 'Microsoft.Insights', type: 'workbooks' };
}

export function checkVersion(route: ArmRoute, apiVersion: string | null): string {
  const { provider, type } = providerOf(route);
  return checkApiVersion(provider, type, apiVersion);
}

export function dispatch(route: ProviderRoute, ctx: RequestContext): HandlerResult {
  switch (route.kind) {
    case 'subscriptionWorkbooks':
      return subscriptionWorkbooks(ctx);
    case 'workbooks':
      return workbooks(ctx, route.name);
    case 'operationalInsights':
      return route.type === 'tables' ? tables(ctx, route.name) : savedSearches(ctx, route.name);
    case 'securityInsights':
      if (route.item) return watchlistItems(ctx, route.name!, route.item.name);
      if (route.status) return watchlistStatus(ctx, route.name!, route.status);
      if (route.type === 'alertRules') return alertRules(ctx, route.name);
      if (route.type === 'watchlists') return watchlists(ctx, route.name);
      return metadata(ctx, route.name);
  }
}

export function unknownRoute(path: string): ArmError {
  return notFound(`No HTTP resource was found that matches the request URI '${path}'.`);
}

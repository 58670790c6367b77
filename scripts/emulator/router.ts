/** Request paths → routes. Pure; ARM path segments match case-insensitively. */

export type SiType = 'alertRules' | 'watchlists' | 'metadata';
/** Microsoft.OperationalInsights workspace child resources the emulator serves. */
export type OiType = 'savedSearches' | 'tables';

export type Route =
  | { kind: 'token'; tenantId: string }
  | { kind: 'openidConfiguration'; tenantId: string }
  | { kind: 'admin'; action: 'stats' | 'stats/reset' | 'state' }
  | { kind: 'securityInsights'; subscriptionId: string; resourceGroup: string; workspace: string; type: SiType; name?: string; item?: { name?: string }; status?: string }
  | { kind: 'operationalInsights'; subscriptionId: string; resourceGroup: string; workspace: string; type: OiType; name?: string }
  | { kind: 'workbooks'; subscriptionId: string; resourceGroup: string; name?: string }
  | { kind: 'subscriptionWorkbooks'; subscriptionId: string }
  /** Resource-group template deployments and their async-operation status (resources/deployments.ts). */
  | { kind: 'deployments'; subscriptionId: string; resourceGroup: string; name: string; operationId?: string; validate?: true }
  | { kind: 'unknown'; subscriptionId?: string };

const SI_TYPES: Record<string, SiType> = { alertrules: 'alertRules', watchlists: 'watchlists', metadata: 'metadata' };
const OI_TYPES: Record<string, OiType> = { savedsearches: 'savedSearches', tables: 'tables' };

const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function parseRoute(pathname: string): Route {
  const s = pathname.split('/').filter((x) => x !== '').map((x) => decodeURIComponent(x));
  if (s[0] === '__emulator') {
    const action = s.slice(1).join('/');
    if (action === 'stats' || action === 'stats/reset' || action === 'state') return { kind: 'admin', action };
    return { kind: 'unknown' };
  }
  if (s.length === 4 && eq(s[1], 'oauth2') && eq(s[2], 'v2.0') && eq(s[3], 'token')) return { kind: 'token', tenantId: s[0]! };
  if (s.length === 4 && eq(s[1], 'v2.0') && s[2] === '.well-known' && s[3] === 'openid-configuration') return { kind: 'openidConfiguration', tenantId: s[0]! };
  if (!eq(s[0], 'subscriptions') || s[1] === undefined) return { kind: 'unknown' };
  const subscriptionId = s[1];
  if (s.length === 5 && eq(s[2], 'providers') && eq(s[3], 'Microsoft.Insights') && eq(s[4], 'workbooks')) {
    return { kind: 'subscriptionWorkbooks', subscriptionId };
  }
  if (!eq(s[2], 'resourceGroups') || s[3] === undefined || !eq(s[4], 'providers')) return { kind: 'unknown', subscriptionId };
  const resourceGroup = s[3];
  if (eq(s[5], 'Microsoft.Resources') && eq(s[6], 'deployments') && s[7] !== undefined) {
    const base = { kind: 'deployments' as const, subscriptionId, resourceGroup, name: s[7] };
    if (s.length === 8) return base;
    if (s.length === 9 && eq(s[8], 'validate')) return { ...base, validate: true };
    if (s.length === 10 && eq(s[8], 'operationStatuses')) return { ...base, operationId: s[9]! };
  }
  if (eq(s[5], 'Microsoft.Insights') && eq(s[6], 'workbooks') && s.length <= 8) {
    return { kind: 'workbooks', subscriptionId, resourceGroup, ...(s[7] !== undefined ? { name: s[7] } : {}) };
  }
  if (eq(s[5], 'Microsoft.OperationalInsights') && eq(s[6], 'workspaces') && s[7] !== undefined && s[8] !== undefined && OI_TYPES[s[8].toLowerCase()] && s.length <= 10) {
    const base = { kind: 'operationalInsights' as const, subscriptionId, resourceGroup, workspace: s[7], type: OI_TYPES[s[8].toLowerCase()]! };
    return s.length === 10 ? { ...base, name: s[9]! } : base;
  }
  if (
    eq(s[5], 'Microsoft.OperationalInsights') && eq(s[6], 'workspaces') && s[7] !== undefined &&
    eq(s[8], 'providers') && eq(s[9], 'Microsoft.SecurityInsights') && s[10] !== undefined
  ) {
    const type = SI_TYPES[s[10].toLowerCase()];
    if (!type) return { kind: 'unknown', subscriptionId };
    const base = { kind: 'securityInsights' as const, subscriptionId, resourceGroup, workspace: s[7], type };
    if (s.length === 11) return base;
    if (s.length === 12) return { ...base, name: s[11]! };
    if (type === 'watchlists' && eq(s[12], 'watchlistItems') && s.length <= 14) {
      return { ...base, name: s[11]!, item: s[13] !== undefined ? { name: s[13] } : {} };
    }
    // The Azure-AsyncOperation URL of a watchlist upload or delete (examples/watchlists/DeleteWatchlist.json).
    if (type === 'watchlists' && eq(s[12], 'watchlistStatuses') && s.length === 14) return { ...base, name: s[11]!, status: s[13]! };
  }
  return { kind: 'unknown', subscriptionId };
}

/** Label used by the counters. */
export function resourceTypeOf(route: Route): string {
  switch (route.kind) {
    case 'securityInsights':
      return route.item ? 'watchlistItems' : route.type;
    case 'operationalInsights':
      return route.type;
    case 'workbooks':
    case 'subscriptionWorkbooks':
      return 'workbooks';
    case 'deployments':
      return 'deployments';
    default:
      return route.kind;
  }
}

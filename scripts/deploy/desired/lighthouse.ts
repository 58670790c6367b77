/**
 * Azure Lighthouse and watchlists: "Managing watchlists across workspaces using Azure Lighthouse
 * isn't supported" (Microsoft Sentinel docs, "Watchlists in Microsoft Sentinel", limitations). A
 * target reached through a delegation (the run signs in to a managing tenant, not the target's) may
 * not get watchlist writes: it is refused before any write, with what to do.
 */
import type { Resolved } from './resolve.ts';

export function lighthouseWatchlistProblem(r: Resolved, authTenantId: string | undefined): string | undefined {
  const { target } = r.desired;
  if (!authTenantId || authTenantId.toLowerCase() === target.tenantId.toLowerCase()) return undefined;
  const watchlists = r.desired.items.filter((i) => i.type === 'watchlist');
  if (!watchlists.length) return undefined;
  return (
    `watchlists cannot be managed through Azure Lighthouse (Microsoft Sentinel docs: "Managing watchlists across workspaces using Azure Lighthouse isn't supported"): ` +
    `${watchlists.map((w) => w.name).join(', ')} would be written as the managing tenant ${authTenantId}. ` +
    `Deploy this target with an identity of its own tenant ${target.tenantId} (without --auth-tenant / SENTINEL_AUTH_TENANT_ID), or give it no watchlists`
  );
}

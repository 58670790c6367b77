/** Plain data types of the deploy stage: workspaces, desired items, actual items. */
import type { Target } from '../../model/types.ts';

export type ResourceType = 'alertRule' | 'watchlist' | 'watchlistItem' | 'workbook' | 'metadata' | 'function';

/** Where a target's content goes. */
export interface WorkspaceRef {
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  location: string;
}

export type Json = Record<string, unknown>;

/** One deployable item of a target's desired state, already mapped to its ARM body. */
export interface DesiredItem {
  type: 'alertRule' | 'watchlist' | 'workbook' | 'function';
  /** ARM resource name: rule id, watchlist alias, workbook id, function alias (the saved search id). */
  name: string;
  displayName: string;
  /** Content version (goes into the ownership metadata). */
  version: string;
  /** Repo-relative file the item comes from. */
  file: string;
  /** The ARM request body (`{kind?, location?, tags?, properties}`). */
  body: Json;
  /** Watchlists only: the items, keyed by their stable item id. */
  items?: DesiredWatchlistItem[];
}

export interface DesiredWatchlistItem {
  /** Stable id: UUIDv5 of the watchlist alias and the search-key value. */
  name: string;
  /** The search-key value (for display). */
  key: string;
  body: Json;
}

/** A target's desired state: pure data derived from the repo and this one target. */
export interface DesiredState {
  target: Target;
  workspace: WorkspaceRef;
  items: DesiredItem[];
}

/** What a GET returned: the raw ARM resource (properties as the service sent them) and its etag. */
export interface ActualResource {
  id: string;
  name: string;
  etag?: string;
  kind?: string;
  location?: string;
  tags?: Record<string, string>;
  properties: Json;
  /** ARM's `systemData` (who created the item and who changed it last, when), where the service returns it. */
  systemData?: { createdBy?: string; createdAt?: string; lastModifiedBy?: string; lastModifiedAt?: string };
}

export interface ActualState {
  alertRules: ActualResource[];
  watchlists: ActualResource[];
  /** Items per watchlist alias (only fetched for watchlists the repo manages or desires). */
  watchlistItems: Record<string, ActualResource[]>;
  workbooks: ActualResource[];
  metadata: ActualResource[];
  /** The workspace's saved searches (functions are those with a functionAlias). */
  functions: ActualResource[];
}

export function workspaceResourceId(w: WorkspaceRef): string {
  return (
    `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}` +
    `/providers/Microsoft.OperationalInsights/workspaces/${w.workspaceName}`
  );
}

/** ARM id of an item in the workspace (SecurityInsights, saved searches) or resource group (workbooks). */
export function itemResourceId(w: WorkspaceRef, type: ResourceType, name: string, parent?: string): string {
  const si = `${workspaceResourceId(w)}/providers/Microsoft.SecurityInsights`;
  switch (type) {
    case 'alertRule':
      return `${si}/alertRules/${name}`;
    case 'watchlist':
      return `${si}/watchlists/${name}`;
    case 'watchlistItem':
      return `${si}/watchlists/${parent}/watchlistItems/${name}`;
    case 'metadata':
      return `${si}/metadata/${name}`;
    case 'function':
      return `${workspaceResourceId(w)}/savedSearches/${name}`;
    case 'workbook':
      return `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.Insights/workbooks/${name}`;
  }
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export function workspaceOf(t: Target): WorkspaceRef {
  return {
    tenantId: t.tenantId,
    subscriptionId: t.subscriptionId,
    resourceGroup: t.resourceGroup,
    workspaceName: t.workspaceName,
    location: t.location,
  };
}

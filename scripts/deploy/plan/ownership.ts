/**
 * Ownership: which items in a workspace this repository manages.
 *
 * Every deployed item gets a Sentinel `metadata` resource (the service's own provenance record,
 * the same one Sentinel Repositories and Content hub write) with
 *   source   {kind: 'SourceRepository', name: <repo name>, sourceId: <repo id>}  (model/identity.ts)
 *   parentId  the item's full ARM id,  contentId  the item's name,  kind  AnalyticsRule|Watchlist|Workbook|Parser
 *   customVersion  `sha256:…` fingerprint of the normalised body this repo last deployed (watchlists,
 *                  workbooks, functions; not alert rules, see `recordsFingerprint`).
 * An item counts as managed only when such a record exists for exactly that item id, from this repo
 * (its `sourceId` is the repository id, or — records written before identities existed — its name and
 * sourceId are both one of the identity's legacyOwners), with the matching kind and contentId.
 * The workspace lease (deploy/apply/lease.ts) is a metadata item too, never an ownership record.
 * Portal-created items have no record; Content-hub items carry
 * `source.kind: Solution`; another repo's items carry its name: none of them is ever touched.
 * The one way in for an item under the repo's name with no record at all is `--adopt`
 * (plan.ts `planAdopt`): the record is written first, then the item; any other record blocks it.
 * The fingerprint doubles as the drift detector: an item whose current normalised body no longer
 * matches the fingerprint was changed outside the repo.
 * Inside a managed watchlist, an item is the repo's when its id is the repo's id for its key (items
 * PUT one by one) or it was created by an identity that wrote the watchlist's ownership record
 * (items uploaded in bulk, whose ids the service assigns): model/watchlist.ts `isRepoItem`, with
 * `recordWriters` and `itemCreator` below. The new watchlist's record is written before its upload,
 * and an existing one again after every upload (plan.ts `touchRecord`), so the uploader is a record writer. The watchlist's fingerprint covers only the repo's items.
 *
 * Alert rules carry no fingerprint, so a changed rule costs one write (the rule), not two: the record
 * changes only with the rule's identity or version. A rule's drift is read from ARM's `systemData`
 * instead (`ruleDrift`): it was modified after its record was written, by someone other than the
 * identity that wrote the record.
 */

/** Does this type's ownership record carry the body fingerprint (rewritten on every change)? */
export const recordsFingerprint = (type: DesiredItem['type']): boolean => type !== 'alertRule';

/**
 * Drift of a managed rule from `systemData`: modified after its ownership record, by another
 * identity than the one that wrote the record. Undefined when the service returned no systemData.
 * (A change of the deploying identity reads as drift until the record is written again.)
 */
export function ruleDrift(item: ActualResource, record: ActualResource): boolean | undefined {
  const a = item.systemData;
  const r = record.systemData;
  if (!a?.lastModifiedBy || !r?.lastModifiedBy || !a.lastModifiedAt || !r.lastModifiedAt) return undefined;
  return a.lastModifiedBy !== r.lastModifiedBy && Date.parse(a.lastModifiedAt) > Date.parse(r.lastModifiedAt);
}
import type { ActualResource, DesiredItem, Json, ResourceType, WorkspaceRef } from '../desired/model.ts';
import { itemResourceId, sameId } from '../desired/model.ts';
import { ownerOf, type OwnerRef } from '../../model/identity.ts';

/**
 * The identities that wrote an ownership record (ARM `systemData` createdBy, lastModifiedBy), lower
 * case: the repo's deploying identities for that item. Empty when the service returned no systemData.
 */
export function recordWriters(record: ActualResource | undefined): Set<string> {
  const sd = record?.systemData;
  return new Set([sd?.createdBy, sd?.lastModifiedBy].filter((x): x is string => !!x).map((x) => x.toLowerCase()));
}

/** When a watchlist item was created: ARM `systemData.createdAt`, else the item's own `created` (WatchlistItemProperties). */
export function itemCreatedAt(item: ActualResource): string | undefined {
  return item.systemData?.createdAt ?? (typeof item.properties.created === 'string' ? item.properties.created : undefined);
}

/** Who created a watchlist item: ARM `systemData.createdBy`, else the item's own `createdBy.objectId` (WatchlistItemProperties). */
export function itemCreator(item: ActualResource): string | undefined {
  const own = (item.properties.createdBy ?? {}) as Json;
  return item.systemData?.createdBy ?? (typeof own.objectId === 'string' ? own.objectId : undefined);
}

export const METADATA_KIND: Record<DesiredItem['type'], string> = {
  alertRule: 'AnalyticsRule',
  watchlist: 'Watchlist',
  workbook: 'Workbook',
  // Sentinel's metadata kind for a KQL function deployed as a saved search (what Content hub records for solution parsers).
  function: 'Parser',
};

export const SOURCE_KIND = 'SourceRepository';

/**
 * The workspace lease (deploy/apply/lease.ts): one metadata item of this name per workspace. It is
 * not an ownership record: never pruned, never drift, never counted as unmanaged content.
 */
export const LEASE_NAME = 'sentinel-deploy-lease';

export const isLeaseRecord = (m: Pick<ActualResource, 'name'>): boolean => m.name.toLowerCase() === LEASE_NAME;

/** Deterministic metadata resource name for an item. */
export function metadataName(type: DesiredItem['type'], name: string): string {
  return `${METADATA_KIND[type].toLowerCase()}-${name}`.toLowerCase();
}

/**
 * Any metadata record of an item, whoever wrote it: under the name this tool gives records, or under
 * any other name whose parentId is the item's ARM id `id` (Content hub names its records its own way).
 * Never the workspace lease. Without `id`, only the record name is looked up.
 */
export function anyRecordOf(metadata: readonly ActualResource[], type: DesiredItem['type'], name: string, id?: string): ActualResource | undefined {
  const own = metadataName(type, name);
  return metadata.find((m) => m.name.toLowerCase() === own)
    ?? (id === undefined ? undefined : metadata.find((m) => !isLeaseRecord(m) && sameId(String(m.properties.parentId ?? ''), id)));
}

export function metadataBody(
  type: DesiredItem['type'],
  name: string,
  version: string,
  ws: WorkspaceRef,
  repoName: OwnerRef,
  /** The body fingerprint; omitted for types that do not record one (`recordsFingerprint`). */
  print: string | undefined,
): Json {
  const owner = ownerOf(repoName);
  return {
    properties: {
      contentId: name,
      parentId: itemResourceId(ws, type, name),
      kind: METADATA_KIND[type],
      version,
      source: { kind: SOURCE_KIND, name: owner.name, sourceId: owner.id },
      author: { name: owner.name },
      ...(print !== undefined ? { customVersion: print } : {}),
    },
  };
}

/** Comparable form of a metadata record (what we compare before rewriting one). */
export function normaliseMetadata(body: Json): Json {
  const p = (body.properties ?? {}) as Json;
  const s = (p.source ?? {}) as Json;
  return {
    contentId: String(p.contentId ?? '').toLowerCase(),
    parentId: String(p.parentId ?? '').toLowerCase(),
    kind: p.kind,
    version: p.version,
    source: { kind: s.kind, name: s.name, sourceId: s.sourceId },
    customVersion: p.customVersion,
  };
}

/** Is `meta` this repo's ownership record of the item `type`/`name` in `ws`? */
export function isOwnRecord(meta: ActualResource, type: DesiredItem['type'], name: string, ws: WorkspaceRef, repoName: OwnerRef): boolean {
  const p = meta.properties;
  const s = (p.source ?? {}) as Json;
  return (
    s.kind === SOURCE_KIND &&
    ownedBy(s, repoName) &&
    p.kind === METADATA_KIND[type] &&
    String(p.contentId ?? '').toLowerCase() === name.toLowerCase() &&
    sameId(String(p.parentId ?? ''), itemResourceId(ws, type, name))
  );
}

/** Does a record's `source` name this owner: its id, or (old records) one of its legacy names? */
export function ownedBy(source: Json, o: OwnerRef): boolean {
  const owner = ownerOf(o);
  const id = String(source.sourceId ?? source.name ?? '');
  if (id.toLowerCase() === owner.id.toLowerCase()) return true;
  return owner.legacyOwners.includes(String(source.name)) && id === String(source.name);
}

/** This repo's ownership records in a workspace, by `type/name` (lower case). */
export function ownRecords(metadata: readonly ActualResource[], ws: WorkspaceRef, repoName: OwnerRef): Map<string, ActualResource> {
  const out = new Map<string, ActualResource>();
  for (const m of metadata) {
    if (isLeaseRecord(m)) continue;
    const kind = Object.entries(METADATA_KIND).find(([, k]) => k === m.properties.kind)?.[0] as DesiredItem['type'] | undefined;
    const contentId = String(m.properties.contentId ?? '');
    if (kind && contentId && isOwnRecord(m, kind, contentId, ws, repoName)) out.set(`${kind}/${contentId.toLowerCase()}`, m);
  }
  return out;
}

export const recordKey = (type: ResourceType, name: string): string => `${type}/${name.toLowerCase()}`;

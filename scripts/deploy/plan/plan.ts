/**
 * plan: desired state vs what the workspace holds → create / update (field diff) / delete / no-op,
 * each with the exact ARM writes that make it so. Pure; fetching the actual state is in actual.ts.
 */
import type { DesiredItem, ActualResource, ActualState, DesiredState, DesiredWatchlistItem, Json, ResourceType } from '../desired/model.ts';
import { itemResourceId } from '../desired/model.ts';
import { type FieldChange, diffFields } from './diff.ts';
import { FUNCTION_TAG, WORKBOOK_TAG } from '../desired/mapping.ts';
import { normaliseRule, normaliseSavedSearch, normaliseWatchlist, normaliseWatchlistItem, normaliseWorkbook } from '../desired/normalise.ts';
import { anyRecordOf, itemCreatedAt, itemCreator, metadataBody, metadataName, normaliseMetadata, ownRecords, recordKey, recordsFingerprint, recordWriters, ruleDrift } from './ownership.ts';
import { uploadsOf, type WatchlistUpload } from '../desired/watchlist-upload.ts';
import { fingerprint, stableStringify } from '../desired/util.ts';
import { isRepoItem, itemKeyOf, watchlistItemKey } from '../../model/watchlist.ts';
import type { PlanOp } from '../../model/plan-counts.ts';
import { type OwnerRef } from '../../model/identity.ts';

export type ItemType = DesiredItem['type'];
export type Op = PlanOp;

/** One ARM write. Writes of a phase may run concurrently; phases run in order. */
export interface Write {
  method: 'PUT' | 'DELETE';
  type: ResourceType;
  name: string;
  /** Watchlist alias, for watchlist items. */
  parent?: string;
  body?: Json;
  /**
   * The etag read at plan time. The SecurityInsights, workbook and saved-search specs declare no
   * If-Match/If-None-Match header: their concurrency token is the `etag` property of the body
   * (ResourceWithEtag), so a PUT sends it there and the service refuses a stale one (409). DELETE
   * takes no body: the item is re-read first and not deleted when its etag moved.
   */
  etag?: string;
  /**
   * A create: the item did not exist at plan time. No spec declares a create-only precondition,
   * so it is re-read right before the PUT and an item made in between is re-planned, not overwritten.
   */
  absent?: true;
  /** Comparable the service must return after this PUT (a field it dropped is reported). */
  verify?: Json;
  /**
   * A watchlist PUT that also uploads these items in bulk (rawContent CSV, built by deploy/azure/arm.ts):
   * the service appends them with ids it assigns, asynchronously; the write waits for it.
   */
  upload?: WatchlistUpload;
}

export interface ItemChange {
  op: 'create' | 'update' | 'delete';
  key: string;
  /** The item's ARM name (id); '' for an item created by a bulk upload (the service assigns it). */
  name: string;
  changes: FieldChange[];
  /** Created by the watchlist's bulk upload, not by a PUT of its own. */
  bulk?: true;
}

/**
 * Items added to an existing watchlist go in one bulk upload from this many on; fewer are PUT one
 * by one (same writes, no asynchronous upload to wait for). A new watchlist uploads all of its items.
 */
export const BULK_CREATE_MIN = 2;

/**
 * A watchlist item this repo did not write (neither the repo's id for its key nor created by an
 * identity that wrote the watchlist's ownership record, see model/watchlist.ts `isRepoItem`): never
 * written or deleted, with or without --prune.
 */
export interface ForeignItem {
  /** The search-key value as stored. */
  key: string;
  /** The item's ARM name (id). */
  name: string;
  /** Its columns as stored (what adopting it means writing into the watchlist file). */
  values: Record<string, string>;
  /** The repo also lists this key: the repo's item is not written while this one exists. */
  conflict: boolean;
  /** A conflict where the repo's own item for this key exists too: the list holds the key twice. */
  duplicate?: true;
}

export interface PlannedChange {
  /** `type/name`, unique within a target. */
  key: string;
  type: ItemType;
  name: string;
  displayName: string;
  op: Op;
  changes: FieldChange[];
  /** Watchlists: item-level changes. */
  items?: ItemChange[];
  /** Watchlists: items added outside the repo (kept, never written). */
  foreign?: ForeignItem[];
  phases: Write[][];
  reason?: string;
  /** Managed item whose body no longer matches what this repo last deployed. */
  drift?: boolean;
  /**
   * `replace`: the item as read at plan time, put back when the recreate keeps failing, so the
   * workspace is never left without it.
   */
  restore?: Write;
}

export const REPLACE_REASON = 'kind changes force replacement';

export interface TargetPlan {
  target: string;
  displayName?: string;
  wave: number;
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  changes: PlannedChange[];
  problems: string[];
  warnings: string[];
  /** Items in the workspace this repo does not own (never touched). */
  unmanaged: number;
  /** Planning failed (auth, missing workspace, network): one line. */
  error?: string;
}

export interface PlanOptions {
  /** The repository identity (model/identity.ts) whose ownership records count. */
  repoName: OwnerRef;
  prune: boolean;
  /**
   * `--adopt`: an item under the repo's name that has no metadata record at all becomes an `adopt`
   * change (this repo's record written, then the item updated to the repo's content) instead of a
   * conflict. Items with any record (Content hub, another repo) stay conflicts.
   */
  adopt?: boolean;
}

export const UNMANAGED_REASON = 'an item with this name exists but is not managed by this repo (portal, Content hub or another repo): not touched';
/** The conflict reason of an item with no metadata record at all, without --adopt. */
export const ADOPTABLE_REASON = `${UNMANAGED_REASON} (re-run with --adopt to take it over)`;

/** Comparable form of an item body of any type. */
export function comparable(type: ItemType, body: Json): Json {
  if (type === 'alertRule') return normaliseRule(body);
  if (type === 'workbook') return normaliseWorkbook(body, [WORKBOOK_TAG]);
  if (type === 'function') return normaliseSavedSearch(body, [FUNCTION_TAG]);
  return normaliseWatchlist(body);
}

const keyOfItem = (kv: Json, searchKey: string): string => watchlistItemKey({ itemsSearchKey: searchKey }, kv);

/** Fingerprint of a watchlist with its items (items by search-key value, order-free). */
export function watchlistPrint(props: Json, items: Json[], searchKey: string): string {
  const sorted = [...items].sort((a, b) => (keyOfItem(a, searchKey) < keyOfItem(b, searchKey) ? -1 : 1));
  return fingerprint({ props, items: sorted });
}

interface Ctx {
  desired: DesiredState;
  actual: ActualState;
  opts: PlanOptions;
  records: Map<string, ActualResource>;
}

function metaWrite(ctx: Ctx, d: DesiredItem, print: string, rec: ActualResource | undefined): Write | undefined {
  const body = metadataBody(d.type, d.name, d.version, ctx.desired.workspace, ctx.opts.repoName, recordsFingerprint(d.type) ? print : undefined);
  if (rec && stableStringify(normaliseMetadata({ properties: rec.properties })) === stableStringify(normaliseMetadata(body))) return undefined;
  const w: Write = { method: 'PUT', type: 'metadata', name: rec?.name ?? metadataName(d.type, d.name), body };
  if (rec?.etag) w.etag = rec.etag;
  else if (!rec) w.absent = true;
  return w;
}

/**
 * The record written again as it is (its version and fingerprint kept), after a bulk upload that
 * would otherwise not rewrite it: the uploading identity becomes one of the record's writers, which
 * is what makes the uploaded rows the repo's (model/watchlist.ts `isRepoItem`) when the deploying
 * identity has changed since the record was last written.
 */
function touchRecord(ctx: Ctx, d: DesiredItem, rec: ActualResource): Write {
  const print = typeof rec.properties.customVersion === 'string' ? rec.properties.customVersion : undefined;
  const body = metadataBody(d.type, d.name, String(rec.properties.version ?? d.version), ctx.desired.workspace, ctx.opts.repoName, print);
  return { method: 'PUT', type: 'metadata', name: rec.name, body, ...(rec.etag ? { etag: rec.etag } : {}) };
}

const itemWrite = (d: DesiredItem, a: ActualResource | undefined, verify: Json): Write => ({
  method: 'PUT',
  type: d.type,
  name: a?.name ?? d.name,
  body: d.body,
  verify,
  ...(a?.etag ? { etag: a.etag } : a ? {} : { absent: true as const }),
});

interface ItemPlan {
  changes: ItemChange[];
  /** PUTs and DELETEs of single items. */
  writes: Write[];
  /** Items created in bulk, one upload per request. */
  uploads: WatchlistUpload[];
  retained: number;
  foreign: ForeignItem[];
  skipped: Set<string>;
  /** Adoption: deletes of the rows as deployed whose keys the repo now writes under its own ids. */
  rekeyed: Write[];
}

/**
 * Items of a watchlist being adopted: a row whose key the repo lists is taken over, whatever its id
 * and values — the repo's row is PUT under the repo's id (`watchlistItemId`, model/watchlist.ts
 * `isRepoItem`), then the row as deployed is deleted. Ownership of a row is read from its id or creator, never stored, so a row left
 * under the id another deployment chose would read as added outside the repo on every later plan.
 * These deletes are the only ones an adoption makes, and only of rows the repo owns once adopted.
 * Rows whose keys the repo does not list stay foreign: kept, never written, never pruned.
 */
function watchlistItemPlan(
  d: DesiredItem, actualItems: readonly ActualResource[], prune: boolean, writers: ReadonlySet<string>, isNew: boolean, adopting = false,
  /** When the watchlist's ownership record was created (rows created before it are not the repo's uploads). */
  since?: string,
): ItemPlan {
  const searchKey = String((d.body.properties as Json).itemsSearchKey);
  const byKey = new Map<string, ActualResource[]>();
  const foreignByKey = new Map<string, ForeignItem[]>();
  const adoptedByKey = new Map<string, ActualResource[]>();
  const listed = new Set((d.items ?? []).map((di) => itemKeyOf(di.key)));
  for (const a of actualItems) {
    const values = normaliseWatchlistItem(a.properties ? { properties: a.properties } : {}) as Record<string, string>;
    const k = keyOfItem(values, searchKey);
    if (isRepoItem(d.name, a.name, k, itemCreator(a), writers, { at: itemCreatedAt(a), since })) byKey.set(k, [...(byKey.get(k) ?? []), a]);
    else if (adopting && listed.has(k)) adoptedByKey.set(k, [...(adoptedByKey.get(k) ?? []), a]);
    else foreignByKey.set(k, [...(foreignByKey.get(k) ?? []), { key: String(values[searchKey] ?? ''), name: a.name, values, conflict: false }]);
  }
  /** Deletes of adopted rows, after the repo's rows are written. */
  const rekeyed: Write[] = [];
  const changes: ItemChange[] = [];
  const writes: Write[] = [];
  /** `rekey`: replaces a row being adopted (PUT under the repo's id, never in a bulk upload). */
  const creates: Array<{ di: DesiredWatchlistItem; want: Json; rekey: boolean }> = [];
  /** Keys of desired items not written because an item added outside the repo holds the key. */
  const skipped = new Set<string>();
  let retained = 0;
  const seen = new Set<string>();
  for (const di of d.items ?? []) {
    const k = itemKeyOf(di.key);
    seen.add(k);
    const [first, ...dupes] = byKey.get(k) ?? [];
    const others = foreignByKey.get(k) ?? [];
    for (const f of others) {
      f.conflict = true;
      if (first) f.duplicate = true;
    }
    const want = normaliseWatchlistItem(di.body);
    for (const old of adoptedByKey.get(k) ?? []) {
      changes.push({ op: 'delete', key: di.key, name: old.name, changes: [] });
      rekeyed.push({ method: 'DELETE', type: 'watchlistItem', parent: d.name, name: old.name, ...(old.etag ? { etag: old.etag } : {}) });
    }
    if (!first && others.length) {
      // The foreign item keeps the key: writing ours would give the watchlist two rows for one key.
      skipped.add(k);
    } else if (!first) {
      creates.push({ di, want, rekey: adoptedByKey.has(k) });
    } else {
      const fields = diffFields(normaliseWatchlistItem({ properties: first.properties }), want);
      if (fields.length) {
        // A changed row is PUT in place (its id kept): a bulk upload would append a second row for the key.
        changes.push({ op: 'update', key: di.key, name: first.name, changes: fields });
        writes.push({
          method: 'PUT', type: 'watchlistItem', parent: d.name, name: first.name, body: di.body, verify: want,
          ...(first.etag ? { etag: first.etag } : {}),
        });
      }
    }
    for (const dup of dupes) extra(dup, di.key);
  }
  // A row that replaces an adopted one is PUT under its own id: a bulk update "de-duplicates the items
  // in the watchlist where all the value in each column match" (Manage watchlists, bulk update), so an
  // uploaded copy of a row as deployed would add nothing, and deleting that row would lose the key.
  const bulkable = creates.filter((c) => !c.rekey);
  const bulk = bulkable.length > 0 && (isNew || bulkable.length >= BULK_CREATE_MIN);
  for (const { di, want, rekey } of creates) {
    const inBulk = bulk && !rekey;
    changes.push({ op: 'create', key: di.key, name: inBulk ? '' : di.name, changes: diffFields(undefined, want), ...(inBulk ? { bulk: true as const } : {}) });
    // Item creates carry no precondition (last writer wins): ids are ours, and a re-read per item would double the reads of a large list.
    if (!inBulk) writes.push({ method: 'PUT', type: 'watchlistItem', parent: d.name, name: di.name, body: di.body, verify: want });
  }
  const uploads = bulk ? uploadsOf(searchKey, bulkable.map((c) => c.want as Record<string, string>)) : [];
  for (const [k, list] of byKey) if (!seen.has(k)) for (const a of list) extra(a, k);
  const foreign = [...foreignByKey.values()].flat().sort((a, b) => (itemKeyOf(a.key) < itemKeyOf(b.key) ? -1 : itemKeyOf(a.key) > itemKeyOf(b.key) ? 1 : a.name < b.name ? -1 : 1));
  return { changes, writes, uploads, retained, foreign, skipped, rekeyed };

  function extra(a: ActualResource, key: string): void {
    if (!prune) {
      retained++;
      return;
    }
    // "bulk update won't delete the item in the existing watchlist. Delete the watchlist item individually" (Manage watchlists).
    changes.push({ op: 'delete', key, name: a.name, changes: [] });
    writes.push({ method: 'DELETE', type: 'watchlistItem', parent: d.name, name: a.name, ...(a.etag ? { etag: a.etag } : {}) });
  }
}

/** The watchlist PUTs that upload `uploads`: the first carries the plan's precondition, each later one appends. */
function uploadWrites(d: DesiredItem, a: ActualResource | undefined, want: Json, uploads: readonly WatchlistUpload[]): Write[] {
  return uploads.map((upload, i) => ({ ...(i === 0 ? itemWrite(d, a, want) : { method: 'PUT' as const, type: d.type, name: a?.name ?? d.name, body: d.body, verify: want }), upload }));
}

/** An upload or delete the service is still running: the watchlist's items are not all listed yet. */
function busyState(a: ActualResource): string | undefined {
  const p = a.properties;
  for (const v of [p.provisioningState, p.uploadStatus]) if (/^(inprogress|uploading|deleting)$/i.test(String(v ?? ''))) return String(v);
  return undefined;
}

/**
 * When the record of an adopted watchlist was written: the watchlist existed before its record, so
 * rows created before the record came with the watchlist as another deployment left it. Undefined for
 * a watchlist the repo created (its record predates it, and every row the repo's identity uploaded is
 * the repo's): the row-time check then never runs, so two service timestamps a moment apart can never
 * turn the repo's own rows foreign.
 */
function adoptedSince(a: ActualResource | undefined, rec: ActualResource | undefined): string | undefined {
  const recordAt = Date.parse(rec?.systemData?.createdAt ?? '');
  const watchlistAt = Date.parse(a?.systemData?.createdAt ?? '');
  return watchlistAt < recordAt ? rec!.systemData!.createdAt : undefined;
}

function planWatchlist(ctx: Ctx, d: DesiredItem, a: ActualResource | undefined, rec: ActualResource | undefined): PlannedChange {
  const base = { key: recordKey(d.type, d.name), type: d.type, name: d.name, displayName: d.displayName };
  const busy = a ? busyState(a) : undefined;
  if (busy) {
    return { ...base, op: 'conflict', changes: [], phases: [], reason: `the service is still running an upload or delete of this watchlist (${busy}): not touched; plan again when it completes` };
  }
  const want = comparable('watchlist', d.body);
  const searchKey = String(want.itemsSearchKey);
  const actualItems = a ? (ctx.actual.watchlistItems[d.name.toLowerCase()] ?? []) : [];
  // planPresent sends an existing watchlist without a record here only under --adopt.
  const adopting = !!a && !rec;
  // An adoption prunes nothing: the rows are someone else's until this run has written the record.
  const items = watchlistItemPlan(d, actualItems, ctx.opts.prune && !adopting, recordWriters(rec), !a, adopting, adoptedSince(a, rec));
  // The fingerprint covers what the repo writes: its items, less those a foreign item's key holds.
  const desiredItems = (d.items ?? []).filter((i) => !items.skipped.has(itemKeyOf(i.key))).map((i: DesiredWatchlistItem) => normaliseWatchlistItem(i.body));
  const print = watchlistPrint(want, desiredItems, searchKey);
  const ownItems = actualItems.filter((i) => !items.foreign.some((f) => f.name === i.name));
  const meta = metaWrite(ctx, d, print, rec);
  const fields = a ? diffFields(comparable('watchlist', { properties: a.properties }), want) : [];
  const conflicts = items.foreign.filter((f) => f.conflict).length;
  const notes = [
    ...(items.retained ? [`${items.retained} item(s) not in the repo kept (--prune removes them)`] : []),
    ...(items.foreign.length ? [`${items.foreign.length} item(s) added outside the repo kept (never written or pruned)`] : []),
    ...(conflicts ? [`${conflicts} of them hold a key the repo lists: the repo's item is not written`] : []),
  ];
  const retainNote = notes.length ? notes.join('; ') : undefined;
  const foreign = items.foreign.length ? { foreign: items.foreign } : {};
  const [firstUpload, ...moreUploads] = uploadWrites(d, a, want, items.uploads);

  if (!a) {
    // The record first (a crash never leaves an unowned watchlist; the uploader is then a record writer), then the upload, waited for.
    const after = rec ? (meta ?? (firstUpload ? touchRecord(ctx, d, rec) : undefined)) : undefined;
    const phases = [...(rec ? [] : [[meta!]]), [firstUpload ?? itemWrite(d, undefined, want)], ...moreUploads.map((w) => [w]), items.writes, ...(after ? [[after]] : [])];
    return { ...base, op: 'create', changes: diffFields(undefined, want), items: items.changes, phases: phases.filter((p) => p.length) };
  }
  if (adopting) {
    // The record first, with the absent precondition: a record someone else writes meanwhile stops the
    // adoption before the watchlist or a row is touched, and the identity uploading the rows is then a
    // record writer (so its rows are the repo's). A failure after it leaves an owned watchlist whose
    // next plan is an update with drift, never a half-written item nobody owns. Then the watchlist,
    // the rows under the repo's ids, and last the deletes of the rows as deployed (no gap for a key).
    const phases: Write[][] = [[meta!]];
    if (firstUpload) phases.push([firstUpload], ...moreUploads.map((w) => [w]));
    else if (fields.length) phases.push([itemWrite(d, a, want)]);
    if (items.writes.length) phases.push(items.writes);
    if (items.rekeyed.length) phases.push(items.rekeyed);
    const taken = new Set(items.rekeyed.map((w) => w.name)).size;
    const why = [ADOPT_REASON, ...(taken ? [`${taken} row(s) as deployed rewritten under the repo's ids`] : []), ...(retainNote ? [retainNote] : [])].join('; ');
    return { ...base, op: 'adopt', changes: fields, items: items.changes, phases, ...foreign, reason: why };
  }
  // Drift is about what the repo wrote: items added outside the repo are reported on their own (`foreign`).
  const drift = rec ? watchlistPrint(comparable('watchlist', { properties: a.properties }), ownItems.map((i) => normaliseWatchlistItem({ properties: i.properties })), searchKey) !== rec.properties.customVersion : false;
  const phases: Write[][] = [];
  if (firstUpload) phases.push([firstUpload], ...moreUploads.map((w) => [w]));
  else if (fields.length) phases.push([itemWrite(d, a, want)]);
  if (items.writes.length) phases.push(items.writes);
  // A partial item set is not "what the repo deployed": only record the fingerprint when nothing was kept.
  if (meta && !items.retained) phases.push([meta]);
  else if (firstUpload && rec) phases.push([touchRecord(ctx, d, rec)]);
  if (!phases.length) {
    return { ...base, op: 'noop', changes: [], items: [], phases: [], drift, ...foreign, ...(retainNote ? { reason: retainNote } : {}) };
  }
  return { ...base, op: 'update', changes: fields, items: items.changes, phases, drift, ...foreign, ...(retainNote ? { reason: retainNote } : {}) };
}

/**
 * `--adopt` of an item that exists under the repo's name with no metadata record at all. Its record
 * is written first, then the item if its content differs. Record first: the record's PUT carries the
 * absent precondition (re-read first), so a record written under its name between plan and apply
 * (another repo) stops the adoption before the item is changed — a record under any other name
 * (Content hub) makes the fresh plan each wave runs a conflict, and a saved plan stale; the item's PUT carries its plan-time etag, so an item
 * changed in between is refused (409) and re-planned. Either failure after the record leaves an item
 * the repo owns whose next plan is an ordinary update (shown as drift), never an item overwritten
 * with the repo's content while nobody owns it. (Item first would do exactly that when the record
 * write failed.) An alert rule whose kind differs cannot be changed in place: not adopted.
 */
function planAdopt(ctx: Ctx, d: DesiredItem, a: ActualResource): PlannedChange {
  const base = { key: recordKey(d.type, d.name), type: d.type, name: d.name, displayName: d.displayName };
  if (d.type === 'watchlist') return planWatchlist(ctx, d, a, undefined);
  if (d.type === 'alertRule' && a.kind && d.body.kind && a.kind !== d.body.kind) {
    return {
      ...base, op: 'conflict', changes: [], phases: [],
      reason: `${UNMANAGED_REASON}; --adopt does not take it over: its kind is ${a.kind}, the repo's is ${String(d.body.kind)} (a kind cannot change in place; delete it, then apply)`,
    };
  }
  const want = comparable(d.type, d.body);
  const meta = metaWrite(ctx, d, fingerprint(want), undefined)!;
  const fields = diffFields(comparable(d.type, { kind: a.kind, location: a.location, tags: a.tags, properties: a.properties }), want);
  const phases: Write[][] = [[meta], ...(fields.length ? [[itemWrite(d, a, want)]] : [])];
  return { ...base, op: 'adopt', changes: fields, phases, reason: ADOPT_REASON };
}

export const ADOPT_REASON = 'exists without any ownership record: this repo takes it over';

function planPresent(ctx: Ctx, d: DesiredItem, a: ActualResource | undefined, rec: ActualResource | undefined): PlannedChange {
  if (a && !rec) {
    if (ctx.opts.adopt) return planAdopt(ctx, d, a);
    return { key: recordKey(d.type, d.name), type: d.type, name: d.name, displayName: d.displayName, op: 'conflict', changes: [], phases: [], reason: ADOPTABLE_REASON };
  }
  if (d.type === 'watchlist') return planWatchlist(ctx, d, a, rec);
  const base = { key: recordKey(d.type, d.name), type: d.type, name: d.name, displayName: d.displayName };
  const want = comparable(d.type, d.body);
  const print = fingerprint(want);
  const meta = metaWrite(ctx, d, print, rec);
  if (!a) {
    const phases = rec ? [[itemWrite(d, undefined, want)], ...(meta ? [[meta]] : [])] : [[meta!], [itemWrite(d, undefined, want)]];
    return { ...base, op: 'create', changes: diffFields(undefined, want), phases, ...(rec ? { reason: 'managed item was deleted outside the repo' } : {}) };
  }
  const have = comparable(d.type, { kind: a.kind, location: a.location, tags: a.tags, properties: a.properties });
  const fields = diffFields(have, want);
  const drift = recordsFingerprint(d.type) ? fingerprint(have) !== rec!.properties.customVersion : (ruleDrift(a, rec!) ?? false);
  if (d.type === 'alertRule' && a.kind && d.body.kind && a.kind !== d.body.kind) {
    // A rule's kind cannot change in place (the service refuses the PUT): delete it, create it again
    // with the same id (the ownership record stays valid: same parentId), restore it if that fails.
    const phases: Write[][] = [
      [{ method: 'DELETE', type: d.type, name: a.name, ...(a.etag ? { etag: a.etag } : {}) }],
      [{ ...itemWrite(d, undefined, want), name: a.name }],
      ...(meta ? [[meta]] : []),
    ];
    const restore: Write = { method: 'PUT', type: d.type, name: a.name, body: { kind: a.kind, properties: a.properties }, absent: true };
    return { ...base, op: 'replace', changes: fields, phases, drift, reason: REPLACE_REASON, restore };
  }
  if (!fields.length && !meta) return { ...base, op: 'noop', changes: [], phases: [], drift };
  const phases: Write[][] = [];
  if (fields.length) phases.push([itemWrite(d, a, want)]);
  if (meta) phases.push([meta]);
  const changes = fields.length ? fields : diffFields(normaliseMetadata({ properties: rec!.properties }), normaliseMetadata(meta!.body!)).map((f) => ({ ...f, path: `(ownership record) ${f.path}` }));
  return { ...base, op: 'update', changes, phases, drift };
}

function planAbsent(ctx: Ctx, type: ItemType, name: string, a: ActualResource | undefined, rec: ActualResource): PlannedChange {
  const displayName = String(a?.properties.displayName ?? name);
  const base = { key: recordKey(type, name), type, name: a?.name ?? name, displayName };
  if (!ctx.opts.prune) {
    return { ...base, op: 'retain', changes: [], phases: [], reason: a ? 'managed, no longer in the repo (--prune deletes it)' : 'ownership record of an item already deleted (--prune removes it)' };
  }
  const callers = type === 'function' && a ? callersOf(ctx.desired, String(a.properties.functionAlias ?? name)) : [];
  if (callers.length) {
    return { ...base, op: 'retain', changes: [], phases: [], reason: `no longer in the repo, but rule(s) ${callers.join(', ')} still call it: not deleted (remove the calls first)` };
  }
  const delMeta: Write = { method: 'DELETE', type: 'metadata', name: rec.name, ...(rec.etag ? { etag: rec.etag } : {}) };
  const phases: Write[][] = a
    ? [[{ method: 'DELETE', type, name: a.name, ...(a.etag ? { etag: a.etag } : {}) }], [delMeta]]
    : [[delMeta]];
  return { ...base, op: 'delete', changes: [], phases, ...(a ? {} : { reason: 'ownership record of an item already deleted' }) };
}

/** Display names of the desired rules whose query calls function `alias`. */
function callersOf(desired: DesiredState, alias: string): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) return [];
  const call = new RegExp(`(^|[^A-Za-z0-9_.])${alias}\\s*\\(`);
  return desired.items
    .filter((d) => d.type === 'alertRule' && call.test(String((d.body.properties as Json).query ?? '')))
    .map((d) => d.displayName);
}

const ACTUAL_OF: Record<ItemType, keyof Pick<ActualState, 'alertRules' | 'watchlists' | 'workbooks' | 'functions'>> = {
  alertRule: 'alertRules',
  watchlist: 'watchlists',
  workbook: 'workbooks',
  function: 'functions',
};

const aliasOf = (a: ActualResource): string => String(a.properties.functionAlias ?? '').toLowerCase();

/**
 * Another saved search (any name) that already defines this function alias and is not ours: a
 * second function of the same name would clash in every query, so the function is not deployed.
 */
function aliasTaken(d: DesiredItem, actual: ActualState): ActualResource | undefined {
  if (d.type !== 'function') return undefined;
  const alias = String((d.body.properties as Json).functionAlias ?? '').toLowerCase();
  return actual.functions.find((a) => a.name.toLowerCase() !== d.name.toLowerCase() && aliasOf(a) === alias);
}

/** Plan one target: every desired item, every managed item no longer desired. */
export function planTarget(desired: DesiredState, actual: ActualState, opts: PlanOptions, extras: { problems?: string[]; warnings?: string[] } = {}): TargetPlan {
  const records = ownRecords(actual.metadata, desired.workspace, opts.repoName);
  const ctx: Ctx = { desired, actual, opts, records };
  const changes: PlannedChange[] = [];
  const desiredKeys = new Set(desired.items.map((d) => recordKey(d.type, d.name)));

  for (const d of desired.items) {
    const a = actual[ACTUAL_OF[d.type]].find((x) => x.name.toLowerCase() === d.name.toLowerCase());
    const rec = records.get(recordKey(d.type, d.name));
    // Any record of the item that is not this repo's: under the name this tool gives records, or — for
    // an item that exists — any other name whose parentId is the item (Content hub names its records
    // its own way). Such an item is never adopted.
    const foreign = !rec && anyRecordOf(actual.metadata, d.type, d.name, a ? itemResourceId(desired.workspace, d.type, d.name) : undefined);
    if (foreign) {
      const src = (foreign.properties.source ?? {}) as Json;
      changes.push({
        key: recordKey(d.type, d.name), type: d.type, name: d.name, displayName: d.displayName, op: 'conflict', changes: [], phases: [],
        reason: `its metadata record belongs to ${String(src.kind ?? 'unknown')} '${String(src.name ?? '')}', not this repo: not touched`,
      });
      continue;
    }
    const taken = aliasTaken(d, actual);
    if (taken) {
      changes.push({
        key: recordKey(d.type, d.name), type: d.type, name: d.name, displayName: d.displayName, op: 'conflict', changes: [], phases: [],
        reason: `the saved search '${taken.name}' (${String(taken.properties.displayName ?? '')}) already defines the function alias ${String(taken.properties.functionAlias)} and is not managed by this repo: not touched`,
      });
      continue;
    }
    changes.push(planPresent(ctx, d, a, rec));
  }

  let unmanaged = 0;
  for (const type of Object.keys(ACTUAL_OF) as ItemType[]) {
    for (const a of actual[ACTUAL_OF[type]]) {
      const key = recordKey(type, a.name);
      if (desiredKeys.has(key)) continue;
      const rec = records.get(key);
      if (rec) changes.push(planAbsent(ctx, type, a.name, a, rec));
      else unmanaged++;
    }
  }
  for (const [key, rec] of records) {
    const [type, name] = [key.slice(0, key.indexOf('/')) as ItemType, key.slice(key.indexOf('/') + 1)];
    const exists = actual[ACTUAL_OF[type]].some((x) => x.name.toLowerCase() === name);
    if (!desiredKeys.has(key) && !exists) changes.push(planAbsent(ctx, type, String(rec.properties.contentId), undefined, rec));
  }

  const t = desired.target;
  return {
    target: t.name,
    ...(t.displayName ? { displayName: t.displayName } : {}),
    wave: t.wave,
    tenantId: t.tenantId,
    subscriptionId: t.subscriptionId,
    resourceGroup: t.resourceGroup,
    workspaceName: t.workspaceName,
    changes: changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    problems: extras.problems ?? [],
    warnings: extras.warnings ?? [],
    unmanaged,
  };
}

/**
 * The workspace lease: one `apply` at a time writes to a workspace.
 *
 * The lock is a Sentinel metadata item (`…/providers/Microsoft.SecurityInsights/metadata/
 * sentinel-deploy-lease`, see plan/ownership.ts LEASE_NAME) that names its holder — run id,
 * repository identity, started-at and expiry — in `customVersion` ("optional free text" in the
 * REST spec, Metadata.json 2024-09-01). The spec's concurrency token is the `etag` of the body
 * (`MetadataModel` is a `ResourceWithEtag`; no If-Match header is declared), and a stale one is
 * refused (409): every change of the lease — take, renew, release — is a PUT carrying the etag just
 * read, so of two runs racing for it exactly one wins and the other reads the lease again.
 *
 * The item is created once per workspace, *free*, and then stays: releasing marks it free (with
 * the etag), it is never deleted. That keeps the one write without a precondition (no spec declares
 * a create-only one) to the first lease a workspace ever has — a free one, so two runs creating it
 * at once both write "free" and then race with etags as usual. A crashed run's lease expires.
 * A second run waits (bounded by `waitMs`) and then stops naming the holder.
 *
 * The lease is never an ownership record: plan/ownership.ts skips it, so it is never pruned, never
 * drift and never counted as unmanaged content.
 */
import type { WorkspaceApi } from '../azure/arm.ts';
import { statusOf } from '../azure/errors.ts';
import type { Json, WorkspaceRef } from '../desired/model.ts';
import { workspaceResourceId } from '../desired/model.ts';
import { LEASE_NAME, SOURCE_KIND } from '../plan/ownership.ts';
import { ownerOf, type OwnerRef } from '../../model/identity.ts';
import { delay } from '../azure/delay.ts';

/** The metadata kind of the lease item (a free string in the spec; not one of the content kinds). */
export const LEASE_KIND = 'DeploymentLease';

export interface LeaseHolder {
  runId: string;
  repoId: string;
  repoName: string;
  startedAt: string;
  expiresAt: string;
  /** Released by its run: free (the item stays for the next run). */
  released?: boolean;
}

export interface LeaseOptions {
  runId: string;
  owner: OwnerRef;
  /** How long a lease lives without renewal (a crashed run's lease is free after this). */
  ttlMs: number;
  /** How long to wait for another run's lease before giving up (0: do not wait). */
  waitMs: number;
  /** Pause between reads while waiting. */
  pollMs?: number;
  now?: () => Date;
  /** A resumed run: a lease of the same run id (its crashed attempt) is taken over at once. */
  resume?: boolean;
  /** Called once when the lease is held by another run and we start waiting. */
  onWait?: (holder: LeaseHolder) => void;
  signal?: AbortSignal;
}

/** Reading or writing a workspace's lease failed (sign-in, network, permissions): `cause` says why. */
export class LeaseAccessError extends Error {
  readonly ws: WorkspaceRef;
  constructor(ws: WorkspaceRef, cause: unknown) {
    super(`workspace ${ws.workspaceName}: could not take the deploy lease`, { cause });
    this.ws = ws;
  }
}

export class LeaseHeldError extends Error {
  readonly holder: LeaseHolder;
  constructor(ws: WorkspaceRef, holder: LeaseHolder, waitedMs: number) {
    super(`workspace ${ws.resourceGroup}/${ws.workspaceName} is locked by ${describeHolder(holder)}${waitedMs ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ''}: nothing written to it — try again after it finishes, or wait longer with --lock-wait`);
    this.holder = holder;
  }
}

export function describeHolder(h: LeaseHolder): string {
  return `run ${h.runId} of repository ${h.repoName === h.repoId ? h.repoName : `${h.repoName} (${h.repoId})`}, started ${h.startedAt}, expires ${h.expiresAt}`;
}

export function leaseBody(ws: WorkspaceRef, holder: LeaseHolder): Json {
  return {
    properties: {
      contentId: LEASE_NAME,
      parentId: workspaceResourceId(ws),
      kind: LEASE_KIND,
      source: { kind: SOURCE_KIND, name: holder.repoName, sourceId: holder.repoId },
      author: { name: holder.repoName },
      customVersion: JSON.stringify({ lease: 1, runId: holder.runId, startedAt: holder.startedAt, expiresAt: holder.expiresAt, ...(holder.released ? { released: true } : {}) }),
    },
  };
}

/** The holder a lease item names; a lease we cannot read counts as expired (it holds nothing readable). */
export function leaseHolderOf(item: { properties?: unknown }): LeaseHolder | undefined {
  const p = (item.properties ?? {}) as Json;
  try {
    const v = JSON.parse(String(p.customVersion ?? '')) as Partial<LeaseHolder> & { lease?: unknown };
    const s = (p.source ?? {}) as Json;
    if (v.lease !== 1 || typeof v.runId !== 'string' || typeof v.expiresAt !== 'string' || Number.isNaN(Date.parse(v.expiresAt))) return undefined;
    return { runId: v.runId, repoId: String(s.sourceId ?? ''), repoName: String(s.name ?? ''), startedAt: String(v.startedAt ?? ''), expiresAt: v.expiresAt, ...(v.released === true ? { released: true } : {}) };
  } catch {
    return undefined;
  }
}

/** The lease changed since we read it (a stale body etag → 409; a create that found one). */
const isPreconditionFailed = (e: unknown): boolean => statusOf(e) === 409 || statusOf(e) === 412;

/** A lease this run holds on one workspace. */
export class Lease {
  private etag: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lostReason: string | undefined;
  private released = false;
  holder: LeaseHolder;
  private readonly api: WorkspaceApi;
  private readonly opts: LeaseOptions;

  private constructor(api: WorkspaceApi, opts: LeaseOptions, holder: LeaseHolder, etag: string | undefined) {
    this.api = api;
    this.opts = opts;
    this.holder = holder;
    this.etag = etag;
  }

  /**
   * Takes the workspace's lease through `api` (its requests follow the run's abort signal: waiting
   * is cancellable); renews and releases it through `keepVia` (clients outside the run's signal, so
   * the lease is released even after Ctrl-C). None yet → create it free, then take it; released,
   * expired, unreadable or (resume) our own run's → take it with its etag; another run's → wait up to
   * `waitMs`, then LeaseHeldError naming the holder.
   */
  static async acquire(api: WorkspaceApi, opts: LeaseOptions, keepVia: WorkspaceApi = api): Promise<Lease> {
    const now = opts.now ?? (() => new Date());
    const owner = ownerOf(opts.owner);
    const started = now().getTime();
    let waited = false;
    for (;;) {
      const current = await api.get('metadata', LEASE_NAME);
      if (!current) {
        // The workspace's first lease: created free (the one write without a precondition), then taken below.
        const t = now().toISOString();
        try {
          await api.write({ method: 'PUT', type: 'metadata', name: LEASE_NAME, absent: true,
            body: leaseBody(api.ws, { runId: opts.runId, repoId: owner.id, repoName: owner.name, startedAt: t, expiresAt: t, released: true }) });
        } catch (e) {
          if (!isPreconditionFailed(e)) throw e;
        }
        continue;
      }
      const held = leaseHolderOf(current);
      const free = !held || held.released === true || Date.parse(held.expiresAt) <= now().getTime() || (opts.resume === true && held.runId === opts.runId);
      if (free) {
        const t = now();
        const holder: LeaseHolder = {
          runId: opts.runId, repoId: owner.id, repoName: owner.name,
          startedAt: held?.runId === opts.runId && !held.released ? held.startedAt : t.toISOString(), expiresAt: new Date(t.getTime() + opts.ttlMs).toISOString(),
        };
        try {
          const stored = await api.write({ method: 'PUT', type: 'metadata', name: LEASE_NAME, body: leaseBody(api.ws, holder), ...(current.etag ? { etag: current.etag } : {}) });
          const lease = new Lease(keepVia, opts, holder, stored?.etag);
          lease.startRenewal();
          return lease;
        } catch (e) {
          if (!isPreconditionFailed(e)) throw e;
          // Another run changed it between our read and write: read again.
          continue;
        }
      }
      const waitedMs = now().getTime() - started;
      if (waitedMs >= opts.waitMs) throw new LeaseHeldError(api.ws, held!, waitedMs);
      if (!waited) opts.onWait?.(held!);
      waited = true;
      await delay(Math.min(opts.pollMs ?? 2000, Math.max(1, opts.waitMs - waitedMs)), opts.signal);
    }
  }

  /** Why the lease was lost (another run took it over after it expired), if it was. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  /** Extends the expiry (with the etag: a lease taken over meanwhile is not overwritten). */
  async renew(): Promise<void> {
    if (this.lostReason || this.released) return;
    const now = (this.opts.now ?? (() => new Date()))();
    const holder = { ...this.holder, expiresAt: new Date(now.getTime() + this.opts.ttlMs).toISOString() };
    try {
      const stored = await this.api.write({
        method: 'PUT', type: 'metadata', name: LEASE_NAME, body: leaseBody(this.api.ws, holder), ...(this.etag ? { etag: this.etag } : {}),
      });
      this.holder = holder;
      this.etag = stored?.etag;
    } catch (e) {
      if (isPreconditionFailed(e)) this.lostReason = `the lease of ${this.api.ws.workspaceName} was taken over by another run after it expired`;
      // Other errors (network): the next renewal tries again; the lease still runs until its expiry.
    }
  }

  private startRenewal(): void {
    const every = Math.max(50, Math.floor(this.opts.ttlMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref();
  }

  /** Marks the lease free if it is still ours (with the etag); a lease someone took over stays theirs. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.lostReason || this.released) return;
    const t = (this.opts.now ?? (() => new Date()))().toISOString();
    try {
      await this.api.write({
        method: 'PUT', type: 'metadata', name: LEASE_NAME, body: leaseBody(this.api.ws, { ...this.holder, expiresAt: t, released: true }),
        ...(this.etag ? { etag: this.etag } : {}),
      });
      this.released = true;
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e;
    }
  }
}

/**
 * Takes the lease of every distinct workspace, in a fixed order (two runs over overlapping
 * workspaces cannot deadlock); on failure releases what it took and rethrows.
 */
export async function acquireAll(apis: readonly WorkspaceApi[], opts: LeaseOptions, keepVia: readonly WorkspaceApi[] = apis): Promise<Lease[]> {
  const byId = new Map<string, WorkspaceApi>();
  const keepers = new Map<string, WorkspaceApi>();
  apis.forEach((api, i) => {
    byId.set(workspaceResourceId(api.ws).toLowerCase(), api);
    keepers.set(workspaceResourceId(api.ws).toLowerCase(), keepVia[i] ?? api);
  });
  const leases: Lease[] = [];
  try {
    for (const key of [...byId.keys()].sort()) {
      const api = byId.get(key)!;
      try {
        leases.push(await Lease.acquire(api, opts, keepers.get(key)));
      } catch (e) {
        if (e instanceof LeaseHeldError || opts.signal?.aborted) throw e;
        throw new LeaseAccessError(api.ws, e);
      }
    }
    return leases;
  } catch (e) {
    await releaseAll(leases);
    throw e;
  }
}

/** Releases every lease; a failure to release one does not stop the others (it expires). */
export async function releaseAll(leases: readonly Lease[]): Promise<string[]> {
  const failed: string[] = [];
  await Promise.all(leases.map(async (l) => {
    try {
      await l.release();
    } catch (e) {
      failed.push(`${l.holder.runId}: ${(e as Error).message}`);
    }
  }));
  return failed;
}

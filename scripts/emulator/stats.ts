/** Request counters per subscription, method and resource type. */
import type { ClientAuthKind } from './auth.ts';

export interface Counter {
  requests: number;
  reads: number;
  /** Write requests received (PUT/PATCH/DELETE/POST), whatever their outcome. */
  writes: number;
  /** Writes that changed state (answered 2xx, or applied before an injected 500). */
  committedWrites: number;
  /** 429s from the subscription's token buckets. */
  throttled: number;
  /** Injected faults by kind. */
  faults: { '429': number; '500': number; '503': number; applyThenFail500: number; drop: number };
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
}

export interface StatsRow extends Counter {
  subscriptionId: string;
  method: string;
  resourceType: string;
}

/** One request to the token endpoint: which tenant it named, which client, how it authenticated (never the secret) and the answer. */
export interface TokenRequestRecord {
  tenantId: string;
  clientId: string;
  clientAuth: ClientAuthKind;
  status: number;
}

export interface EmulatorStats {
  total: Counter;
  bySubscription: Record<string, Counter>;
  rows: StatsRow[];
  /** Token endpoint requests in arrival order (not counted in `total`). */
  tokenRequests: TokenRequestRecord[];
}

export type CounterEvent =
  | { kind: 'request'; isWrite: boolean }
  | { kind: 'committed' }
  | { kind: 'throttled' }
  | { kind: 'fault'; fault: keyof Counter['faults'] }
  | { kind: 'status'; status: number };

function emptyCounter(): Counter {
  return { requests: 0, reads: 0, writes: 0, committedWrites: 0, throttled: 0, faults: { '429': 0, '500': 0, '503': 0, applyThenFail500: 0, drop: 0 }, statuses: {} };
}

function apply(c: Counter, e: CounterEvent): void {
  switch (e.kind) {
    case 'request':
      c.requests++;
      if (e.isWrite) c.writes++;
      else c.reads++;
      break;
    case 'committed':
      c.committedWrites++;
      break;
    case 'throttled':
      c.throttled++;
      break;
    case 'fault':
      c.faults[e.fault]++;
      break;
    case 'status':
      c.statuses[e.status] = (c.statuses[e.status] ?? 0) + 1;
      break;
  }
}

export class StatsCollector {
  private rows = new Map<string, StatsRow>();
  private tokens: TokenRequestRecord[] = [];

  recordToken(record: TokenRequestRecord): void {
    this.tokens.push(record);
  }

  record(subscriptionId: string, method: string, resourceType: string, event: CounterEvent): void {
    const key = `${subscriptionId.toLowerCase()}|${method}|${resourceType}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { subscriptionId: subscriptionId.toLowerCase(), method, resourceType, ...emptyCounter() }));
    apply(row, event);
  }

  snapshot(): EmulatorStats {
    const total = emptyCounter();
    const bySubscription: Record<string, Counter> = {};
    const rows = [...this.rows.values()].map((r) => structuredClone(r));
    for (const row of rows) {
      const sub = (bySubscription[row.subscriptionId] ??= emptyCounter());
      for (const target of [total, sub]) merge(target, row);
    }
    return { total, bySubscription, rows, tokenRequests: this.tokens.map((t) => ({ ...t })) };
  }

  reset(): void {
    this.rows.clear();
    this.tokens = [];
  }
}

function merge(into: Counter, from: Counter): void {
  into.requests += from.requests;
  into.reads += from.reads;
  into.writes += from.writes;
  into.committedWrites += from.committedWrites;
  into.throttled += from.throttled;
  for (const k of Object.keys(into.faults) as Array<keyof Counter['faults']>) into.faults[k] += from.faults[k];
  for (const [s, n] of Object.entries(from.statuses)) into.statuses[s] = (into.statuses[s] ?? 0) + n;
}

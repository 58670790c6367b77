/**
 * Cooperative back-off per subscription. The SDK's retry policy makes each request wait out its own
 * 429; with many requests in flight they all wake together and most are throttled again. This
 * policy, placed after the SDK's retry policy (so it sees every attempt), shares the wait: once a
 * 429 says the subscription's bucket is empty (`x-ms-ratelimit-remaining-subscription-*` is 0 or
 * absent) and "retry after N", further attempts on that bucket (reads, writes and deletes are separate
 * buckets, as in ARM) are paced instead of stampeding. It adds no retries of its own.
 */
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

export const THROTTLE_GATE_POLICY = 'subscriptionThrottleGate';

/**
 * While a subscription's bucket is empty, waiting attempts are released one at a time, in arrival
 * order, spaced by the longest wait a 429 asked for (about one token's refill time). The first
 * success that reports tokens left ends the pacing and releases the queue. Without this, every
 * waiting request wakes at once, one wins, and the rest burn a retry each round until some exhaust
 * the retry budget.
 */
export class ThrottleGate {
  private readonly queue: Array<() => void> = [];
  private next = 0;
  private spacing = 0;
  private timer: NodeJS.Timeout | undefined;

  wait(): Promise<void> {
    if (!this.queue.length && this.spacing === 0 && Date.now() >= this.next) return Promise.resolve();
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.pump();
    });
  }

  throttled(retryAfterMs: number): void {
    this.spacing = Math.max(1, this.spacing, retryAfterMs);
    this.next = Math.max(this.next, Date.now() + retryAfterMs);
    this.reschedule();
  }

  succeeded(remaining: number | undefined): void {
    if (remaining !== undefined && !(remaining > 0)) return;
    this.spacing = 0;
    this.next = Math.min(this.next, Date.now());
    this.reschedule();
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length) {
      const now = Date.now();
      if (now < this.next) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, this.next - now);
        return;
      }
      this.queue.shift()!();
      if (this.spacing > 0) this.next = now + this.spacing;
    }
  }
}

/**
 * Client-side mirror of ARM's per-subscription token bucket (documented: writes 200 burst + 10/s,
 * reads 250 burst + 25/s). Requests take a token before they are sent, so a rollout paces itself at
 * the refill rate instead of sending requests that are bound to be throttled; every response's
 * `x-ms-ratelimit-remaining-subscription-*` header lowers the estimate when the service knows of
 * less (other clients, a stricter limit), and 429s still go through the reactive gate above.
 */
export class TokenPacer {
  private tokens: number;
  private last = Date.now();
  private chain: Promise<void> = Promise.resolve();

  readonly capacity: number;
  readonly refillPerSecond: number;
  constructor(
    capacity: number,
    refillPerSecond: number,
  ) {
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.tokens = capacity;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
  }

  /** Resolves when a token is available (first come, first served). */
  take(): Promise<void> {
    const turn = this.chain.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000)));
        this.refill();
      }
      this.tokens -= 1;
    });
    this.chain = turn;
    return turn;
  }

  /** The service's count of tokens left after a request: never assume more than that. */
  sync(remaining: number | undefined): void {
    if (remaining === undefined || !Number.isFinite(remaining)) return;
    this.refill();
    this.tokens = Math.min(this.tokens, remaining);
  }
}

/**
 * ARM's documented per-subscription buckets ("Request limits and throttling": reads 250 + 25/s,
 * deletes 200 + 10/s, writes 200 + 10/s, each reported in `x-ms-ratelimit-remaining-subscription-<bucket>`).
 */
export const ARM_BUCKETS = {
  writes: { capacity: 200, refillPerSecond: 10 },
  reads: { capacity: 250, refillPerSecond: 25 },
  deletes: { capacity: 200, refillPerSecond: 10 },
} as const;

export type Bucket = keyof typeof ARM_BUCKETS;

/** GET/HEAD read, DELETE delete, every other method writes. */
export const bucketOf = (method: string): Bucket => (method === 'GET' || method === 'HEAD' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes');

/** One back-off gate and one pacer per bucket of a subscription. */
export type SubscriptionGates = Record<Bucket, { gate: ThrottleGate; pacer: TokenPacer }>;

export const newGates = (): SubscriptionGates => {
  const one = (b: Bucket) => ({ gate: new ThrottleGate(), pacer: new TokenPacer(ARM_BUCKETS[b].capacity, ARM_BUCKETS[b].refillPerSecond) });
  return { reads: one('reads'), writes: one('writes'), deletes: one('deletes') };
};

/** Milliseconds a 429 asks to wait (the same headers the SDK's throttling strategy reads). */
export function retryAfterMs(response: PipelineResponse): number | undefined {
  for (const [header, factor] of [['retry-after-ms', 1], ['x-ms-retry-after-ms', 1], ['retry-after', 1000]] as const) {
    const v = response.headers.get(header);
    if (v === undefined) continue;
    const n = Number(v);
    if (Number.isFinite(n)) return n * factor;
    const date = Date.parse(v);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

export function throttleGatePolicy(gates: SubscriptionGates): PipelinePolicy {
  return {
    name: THROTTLE_GATE_POLICY,
    async sendRequest(request, next) {
      const bucket = bucketOf(request.method);
      const { gate, pacer } = gates[bucket];
      await gate.wait();
      await pacer.take();
      const response = await next(request);
      // ARM reports the subscription bucket on every response. A 429 while it still has tokens is
      // the resource provider throttling that one request: only that request waits (SDK retry).
      const header = response.headers.get(`x-ms-ratelimit-remaining-subscription-${bucket}`);
      const remaining = header === undefined ? undefined : Number(header);
      pacer.sync(remaining);
      if (response.status === 429) {
        const ms = retryAfterMs(response);
        if (ms !== undefined && !(remaining !== undefined && remaining > 0)) gate.throttled(ms);
      } else if (response.status < 400) gate.succeeded(remaining);
      return response;
    },
  };
}

/**
 * Cooperative back-off per subscription. The SDK's retry policy makes each request wait out its own
 * 429; with many requests in flight they all wake together and most are throttled again. This
 * policy, placed after the SDK's retry policy (so it sees every attempt), shares the wait: once a
 * 429 says the subscription's bucket is empty (`x-ms-ratelimit-remaining-subscription-*` is 0 or
 * absent) and "retry after N", further attempts on that bucket (reads and writes are separate
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

export interface SubscriptionGates {
  read: ThrottleGate;
  write: ThrottleGate;
}

export const newGates = (): SubscriptionGates => ({ read: new ThrottleGate(), write: new ThrottleGate() });

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
      const isRead = request.method === 'GET' || request.method === 'HEAD';
      const gate = isRead ? gates.read : gates.write;
      await gate.wait();
      const response = await next(request);
      // ARM reports the subscription bucket on every response. A 429 while it still has tokens is
      // the resource provider throttling that one request: only that request waits (SDK retry).
      const header = response.headers.get(`x-ms-ratelimit-remaining-subscription-${isRead ? 'reads' : 'writes'}`);
      const remaining = header === undefined ? undefined : Number(header);
      if (response.status === 429) {
        const ms = retryAfterMs(response);
        if (ms !== undefined && !(remaining !== undefined && remaining > 0)) gate.throttled(ms);
      } else if (response.status < 400) gate.succeeded(remaining);
      return response;
    },
  };
}

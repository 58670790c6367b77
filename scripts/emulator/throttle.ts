/**
 * ARM's per-subscription throttling: one token bucket each for reads, writes and deletes per
 * subscription ("Request limits and throttling", Azure Resource Manager docs: subscription reads 250
 * burst + 25/s, deletes 200 + 10/s, writes 200 + 10/s; the remaining tokens are reported in
 * `x-ms-ratelimit-remaining-subscription-reads|writes|deletes`).
 */
import type { BucketConfig } from './config.ts';

export type Verdict = { ok: true; remaining: number } | { ok: false; remaining: 0; retryAfterMs: number };

export class TokenBucket {
  private tokens: number;
  private last: number;

  private readonly cfg: Required<BucketConfig>;
  constructor(cfg: Required<BucketConfig>, now: number) {
    this.cfg = cfg;
    this.tokens = cfg.burst;
    this.last = now;
  }

  take(now: number): Verdict {
    this.tokens = Math.min(this.cfg.burst, this.tokens + ((now - this.last) / 1000) * this.cfg.refillPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    return { ok: false, remaining: 0, retryAfterMs: Math.ceil(((1 - this.tokens) / this.cfg.refillPerSecond) * 1000) };
  }
}

/** Which bucket a request draws from: GET/HEAD read, DELETE delete, everything else writes. */
export type BucketKind = 'reads' | 'writes' | 'deletes';

export const bucketOf = (method: string): BucketKind => (method === 'GET' || method === 'HEAD' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes');

export class SubscriptionThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  private readonly cfg: Record<BucketKind, Required<BucketConfig>>;
  private readonly clock: () => number;
  constructor(cfg: Record<BucketKind, Required<BucketConfig>>, clock: () => number) {
    this.cfg = cfg;
    this.clock = clock;
  }

  take(subscriptionId: string, kind: BucketKind): Verdict {
    const key = `${subscriptionId.toLowerCase()}|${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.cfg[kind], this.clock())));
    return bucket.take(this.clock());
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** ARM's per-subscription throttling: one token bucket for writes and one for reads per subscription. */
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

export class SubscriptionThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  private readonly cfg: { writes: Required<BucketConfig>; reads: Required<BucketConfig> };
  private readonly clock: () => number;
  constructor(
    cfg: { writes: Required<BucketConfig>; reads: Required<BucketConfig> },
    clock: () => number,
  ) {
    this.cfg = cfg;
    this.clock = clock;
  }

  take(subscriptionId: string, isWrite: boolean): Verdict {
    const key = `${subscriptionId.toLowerCase()}|${isWrite ? 'w' : 'r'}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(isWrite ? this.cfg.writes : this.cfg.reads, this.clock())));
    return bucket.take(this.clock());
  }

  reset(): void {
    this.buckets.clear();
  }
}

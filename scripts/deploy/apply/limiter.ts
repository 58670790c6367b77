/** Bounded concurrency per key (one key per subscription: ARM throttles per subscription). */
export class KeyedLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
    if (!(limit >= 1)) throw new Error(`concurrency must be at least 1, got ${limit}`);
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = key.toLowerCase();
    if ((this.active.get(k) ?? 0) >= this.limit) {
      await new Promise<void>((resolve) => {
        const q = this.waiting.get(k) ?? [];
        q.push(resolve);
        this.waiting.set(k, q);
      });
    } else {
      this.active.set(k, (this.active.get(k) ?? 0) + 1);
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.get(k)?.shift();
      // Hand the slot straight to the next waiter; otherwise release it.
      if (next) next();
      else this.active.set(k, (this.active.get(k) ?? 1) - 1);
    }
  }
}

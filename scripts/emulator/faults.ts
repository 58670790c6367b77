/** Seeded fault injection: the same seed and the same request order give the same faults. */
import type { ResolvedConfig } from './config.ts';

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultKind = 'drop' | '429' | '500' | '503' | 'applyThenFail500';

export interface FaultPlan {
  latencyMs: number;
  fault: FaultKind | undefined;
}

export class FaultInjector {
  private random: () => number;

  private readonly cfg: ResolvedConfig['faults'];
  constructor(cfg: ResolvedConfig['faults']) {
    this.cfg = cfg;
    this.random = seededRandom(cfg.seed);
  }

  reset(): void {
    this.random = seededRandom(this.cfg.seed);
  }

  /** Draws a fixed number of values per request so one request's outcome never shifts another's. */
  plan(isWrite: boolean): FaultPlan {
    const [min, max] = this.cfg.latencyMs;
    const latencyMs = Math.round(min + (max - min) * this.random());
    const r = this.random();
    const bands: Array<[FaultKind, number]> = [
      ['drop', this.cfg.dropConnection],
      ['429', this.cfg.throttle429],
      ['500', this.cfg.error500],
      ['503', this.cfg.error503],
      ['applyThenFail500', isWrite ? this.cfg.applyThenFail500 : 0],
    ];
    let edge = 0;
    for (const [kind, p] of bands) {
      edge += p;
      if (r < edge) return { latencyMs, fault: kind };
    }
    return { latencyMs, fault: undefined };
  }
}

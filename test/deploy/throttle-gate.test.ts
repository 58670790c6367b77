import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenPacer } from '../../scripts/deploy/azure/throttle-gate.ts';

describe('TokenPacer (client-side mirror of the subscription bucket)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('spends the burst at once, then releases one request per refill interval', async () => {
    const pacer = new TokenPacer(2, 10);
    expect(await settled(pacer.take())).toBe(true);
    expect(await settled(pacer.take())).toBe(true);
    const third = pacer.take();
    expect(await settled(third)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled(third)).toBe(true);
  });

  it('never assumes more tokens than the service reports', async () => {
    const pacer = new TokenPacer(200, 10);
    pacer.sync(0);
    const next = pacer.take();
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled(next)).toBe(true);
    pacer.sync(undefined); // no header: nothing learned
    pacer.sync(500); // more than we think: keep our own estimate (no token left)
    const after = pacer.take();
    expect(await settled(after)).toBe(false);
    await vi.advanceTimersByTimeAsync(99);
    expect(await settled(after)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(after)).toBe(true);
  });
});

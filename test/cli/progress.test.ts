/** Rollout progress: live on a terminal stderr, lines per target and a heartbeat in CI logs. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Progress, TargetReport } from '../../scripts/deploy/apply/rollout.ts';
import { progressReporter } from '../../scripts/cli/progress.ts';
import type { CliContext } from '../../scripts/cli/context.ts';

function ctx(stderrIsTTY: boolean) {
  const err: string[] = [];
  const raw: string[] = [];
  const c: CliContext = { root: '.', out: () => undefined, err: (t) => err.push(t), errRaw: (t) => raw.push(t), env: {}, isTTY: false, stderrIsTTY };
  return { c, err, raw };
}

const p = (over: Partial<Progress> = {}): Progress => ({
  wave: 1, waveTargetsDone: 1, waveTargetsTotal: 2, targetsDone: 3, targetsTotal: 6, writesDone: 7, writesPlanned: 20, failures: 0, ...over,
});

const report: TargetReport = {
  target: 'fabrikam', wave: 1, tenantId: 't', subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws', status: 'ok',
  created: 2, updated: 1, adopted: 0, deleted: 0, unchanged: 4, failed: 0, writes: 3, results: [],
};

afterEach(() => {
  vi.useRealTimers();
});

describe('progress reporter', () => {
  it('in CI: a line per finished target and a heartbeat with wave and run counters kept apart', () => {
    vi.useFakeTimers();
    const { c, err, raw } = ctx(false);
    const r = progressReporter(c, 10_000);
    r.onProgress(p());
    expect(err).toEqual([]);
    vi.advanceTimersByTime(10_000);
    expect(err).toEqual(['… wave 1: 1/2 target(s) · run: 3/6 target(s), 7/20 write(s) planned so far, 0 failed']);
    r.onTargetDone(report);
    expect(err.at(-1)).toBe('✓ fabrikam (wave 1, tenant t, rg/ws): +2 ~1 -0 =4 · 3 write(s)');
    vi.advanceTimersByTime(20_000);
    expect(err.filter((l) => l.startsWith('…'))).toHaveLength(3);
    r.stop();
    vi.advanceTimersByTime(60_000);
    expect(err.filter((l) => l.startsWith('…'))).toHaveLength(3);
    expect(raw).toEqual([]); // nothing redrawn in a log
  });

  it('on a terminal stderr: one live line, cleared before a target line, whatever stdout is', () => {
    const { c, err, raw } = ctx(true);
    const r = progressReporter(c);
    r.onProgress(p({ waveTargetsDone: 2, waveTargetsTotal: 2 }));
    expect(raw.at(-1)).toBe('\r\x1b[2Kwave 1: 2/2 target(s) · run: 3/6 target(s), 7/20 write(s) planned so far, 0 failed');
    r.onTargetDone(report);
    expect(raw.at(-1)).toBe('\r\x1b[2K');
    expect(err.at(-1)).toContain('fabrikam');
    r.stop();
  });
});

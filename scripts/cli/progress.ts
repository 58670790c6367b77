/**
 * Progress of a rollout on stderr, never on stdout (which carries the report, maybe redirected):
 * - stderr is a terminal: one live line, redrawn at most every 100 ms;
 * - otherwise (CI logs): a line per finished target as it finishes, and a heartbeat with the
 *   counters at least every `heartbeatMs` (10 s) so a quiet long wave never looks hung.
 */
import type { Progress, TargetReport } from '../deploy/apply/rollout.ts';
import { targetReportLine } from '../render/deploy-report.ts';
import { progressLine } from '../render/progress.ts';
import { colorEnabled } from '../render/style.ts';
import type { CliContext } from './context.ts';

export interface ProgressReporter {
  onProgress(p: Progress): void;
  onTargetDone(r: TargetReport): void;
  /** Clears the live line before other output is printed. */
  clear(): void;
  stop(): void;
}

export function progressReporter(ctx: CliContext, heartbeatMs = 10_000): ProgressReporter {
  const live = Boolean(ctx.stderrIsTTY);
  const raw = ctx.errRaw ?? ((t: string) => ctx.err(t));
  const style = { color: live && colorEnabled(ctx.env, true) };
  let latest: Progress | undefined;
  let drawn = false;
  let lastDraw = 0;
  const clear = () => {
    if (live && drawn) raw('\r\x1b[2K');
    drawn = false;
  };
  const timer = live
    ? undefined
    : setInterval(() => {
        if (latest) ctx.err(`… ${progressLine(latest)}`);
      }, heartbeatMs);
  timer?.unref();
  return {
    onProgress(p) {
      latest = p;
      if (!live) return;
      const now = Date.now();
      if (now - lastDraw < 100 && p.waveTargetsDone < p.waveTargetsTotal) return;
      lastDraw = now;
      raw(`\r\x1b[2K${progressLine(p)}`);
      drawn = true;
    },
    onTargetDone(r) {
      clear();
      ctx.err(targetReportLine(r, style));
    },
    clear,
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}

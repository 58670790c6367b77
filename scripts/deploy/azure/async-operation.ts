/**
 * Waiting for an operation the service runs after answering (a watchlist upload or delete).
 *
 * Watchlists_CreateOrUpdate answers 201 "Created. The response includes the Provisioning State
 * and the Azure-AsyncOperation header. To get the progress of the operation, call GET operation on
 * the URL in Azure-AsyncOperation header field"; Watchlists_Delete answers with the same header
 * (SecurityInsights Watchlists.json, 2022-09-01-preview … 2025-09-01). The SDK version we use does
 * not poll (its operations are not long-running ones), so deploy does: GET the status URL until its
 * `status` is terminal (Succeeded, Failed, Canceled — "Track asynchronous Azure operations", ARM
 * docs), waiting `Retry-After` between polls within bounds, for at most `timeoutMs`, and giving up
 * at once when the run's signal aborts. The loop is here; what one poll reads is the caller's.
 */
import { delay } from './delay.ts';

export interface AsyncPollSettings {
  /** First wait between polls, ms (doubles up to `maxIntervalMs`; a Retry-After within bounds wins). */
  intervalMs: number;
  maxIntervalMs: number;
  /** Give up after this long, ms: the operation may still complete; the change is reported failed. */
  timeoutMs: number;
}

/** Azure: uploads "might take several minutes" (Create watchlists in Microsoft Sentinel). */
export const AZURE_ASYNC_POLL: AsyncPollSettings = { intervalMs: 2000, maxIntervalMs: 30_000, timeoutMs: 10 * 60_000 };
/** The emulator completes its operations in milliseconds (config `watchlists.uploadMs`). */
export const EMULATOR_ASYNC_POLL: AsyncPollSettings = { intervalMs: 10, maxIntervalMs: 100, timeoutMs: 60_000 };

/** One poll's reading. */
export interface PollReading {
  done: boolean;
  /** The operation ended Failed or Canceled: why, in the service's words. */
  failed?: string;
  /** The service's Retry-After, ms. */
  retryAfterMs?: number;
}

/** The operation failed or did not finish in time: one line naming what and why. */
export class AsyncOperationError extends Error {}

/** Terminal status of an ARM operation-status body (or a resource's provisioningState). */
export function readStatus(status: unknown): Pick<PollReading, 'done' | 'failed'> {
  const s = String(status ?? '');
  if (/^succeeded$/i.test(s)) return { done: true };
  if (/^(failed|canceled|cancelled)$/i.test(s)) return { done: true, failed: s };
  return { done: false };
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

/**
 * Polls until `poll` reads done; throws AsyncOperationError when it failed or `timeoutMs` passed
 * (`what` names the operation in the message), and the signal's reason when the run aborts.
 */
export async function waitForOperation(what: string, poll: () => Promise<PollReading>, s: AsyncPollSettings, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + s.timeoutMs;
  let interval = s.intervalMs;
  for (;;) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    const r = await poll();
    if (r.failed) throw new AsyncOperationError(`${what} ended ${r.failed}`);
    if (r.done) return;
    const wait = Math.min(Math.max(r.retryAfterMs ?? interval, s.intervalMs), s.maxIntervalMs);
    if (Date.now() + wait > deadline) {
      throw new AsyncOperationError(`${what} is still in progress after ${seconds(s.timeoutMs)}: not waited for longer (it may still complete; raise --upload-timeout, or apply again later: the plan then shows what landed)`);
    }
    await delay(wait, signal);
    interval = Math.min(interval * 2, s.maxIntervalMs);
  }
}

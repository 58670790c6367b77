/**
 * Two pipeline policies every ARM client gets, placed after the SDK's retry policy so they act on
 * each attempt:
 *
 * - **Per-attempt timeout.** The HTTP client's own `request.timeout` aborts the socket and surfaces
 *   an AbortError, which the retry policy never retries. This policy times each attempt itself and
 *   turns an expiry into a RestError with code `ETIMEDOUT`, which the SDK's exponential strategy
 *   retries like any transient network fault; the last attempt's error says how long it waited. An
 *   endpoint that accepts the connection and never answers (or stops mid-body) therefore costs at
 *   most `(maxRetries + 1) × timeout`, never forever.
 * - **Run signal.** The run's AbortSignal (first Ctrl-C, or `--timeout` for the whole run) is
 *   linked into every request, so in-flight requests are cancelled at once instead of being waited
 *   for; the SDK's retry policy stops retrying an aborted request.
 */
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

export const TIMEOUT_POLICY = 'sentinelAttemptTimeout';

/** Default per-attempt timeout. ARM answers synchronous calls in seconds; a minute is a stuck request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export function attemptTimeoutPolicy(timeoutMs: number, runSignal?: AbortSignal): PipelinePolicy {
  return {
    name: TIMEOUT_POLICY,
    async sendRequest(request, next) {
      const attempt = new AbortController();
      const outer = request.abortSignal;
      const abort = () => attempt.abort();
      for (const s of [outer, runSignal]) {
        if (s?.aborted) attempt.abort();
        s?.addEventListener('abort', abort);
      }
      request.abortSignal = attempt.signal;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, timeoutMs);
      try {
        return await next(request);
      } catch (e) {
        if (timedOut && !runSignal?.aborted && !outer?.aborted) {
          throw new RestError(`no answer within ${formatSeconds(timeoutMs)} (request timed out)`, { code: 'ETIMEDOUT', request });
        }
        throw e;
      } finally {
        clearTimeout(timer);
        for (const s of [outer, runSignal]) s?.removeEventListener('abort', abort);
        // The next attempt (a retry) links its own signals again.
        if (outer) request.abortSignal = outer;
        else delete request.abortSignal;
      }
    },
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

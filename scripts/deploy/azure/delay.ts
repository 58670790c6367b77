/** An abortable wait (Node's timers/promises): rejects with the signal's own reason when the run aborts. */
import { setTimeout as wait } from 'node:timers/promises';

export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, signal ? { signal } : undefined);
  } catch (e) {
    // timers/promises rejects with an AbortError; callers tell Ctrl-C from --timeout by the signal's reason.
    if (signal?.aborted) throw signal.reason ?? e;
    throw e;
  }
}

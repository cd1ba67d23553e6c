// The suite's only way to wait: check a condition until it holds or a deadline passes, then fail with
// what was awaited and the last thing seen. Nothing in the suite sleeps for a fixed time.

export interface WaitOptions {
  /** What is awaited, for the error message ("the Problems panel to list 3 findings"). */
  description: string;
  timeoutMs: number;
  /** Time between two checks; the check itself decides, this only spaces them. */
  pollMs?: number;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Resolves with the first value of `check` that is not undefined (or false); a check that throws counts as
 * "not yet", and its last error is reported when the deadline passes.
 */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 100;
  let lastProblem = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      lastProblem = '';
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const detail = lastProblem ? ` (last error: ${lastProblem})` : '';
      throw new WaitTimeoutError(`timed out after ${options.timeoutMs} ms waiting for ${options.description}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}

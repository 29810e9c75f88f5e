/** A wait that ends at once when the run is interrupted (Ctrl-C), never holding the process. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export type Backoff = number | 'constant' | 'linear' | 'exponential';

/**
 * The wait before poll number `run` (from 1), capped at an hour: intervalMs, then growing by the
 * `backoff` factor after each run (`exponential` is 2), or by intervalMs each run (`linear`).
 */
export function pollDelay(intervalMs: number, backoff: Backoff | undefined, run: number, capMs = 3_600_000): number {
  const n = Math.max(1, run);
  const ms = backoff === 'linear' ? intervalMs * n
    : backoff === undefined || backoff === 'constant' ? intervalMs
    : intervalMs * Math.pow(backoff === 'exponential' ? 2 : backoff, n - 1);
  return Math.min(capMs, Math.round(ms));
}

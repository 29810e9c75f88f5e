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

/** The wait before poll number `run` (from 1): intervalMs, growing by `backoff` each time, capped. */
export function pollDelay(intervalMs: number, backoff: number, run: number, capMs = 3_600_000): number {
  return Math.min(capMs, Math.round(intervalMs * Math.pow(backoff, Math.max(0, run - 1))));
}

/**
 * Runs tasks with at most `jobs` at once (--jobs). Tasks start in order; a task's index is its
 * slot, so whoever consumes the results can keep the given order whatever the finish order.
 * `stop` is checked before each start (Ctrl-C: no new notebook starts). The first error stops
 * new starts and is thrown once the running tasks have settled.
 */
export async function runPool<T>(items: readonly T[], jobs: number, task: (item: T, index: number) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && !stop() && next < items.length) {
      const index = next++;
      try {
        await task(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  if (failure) throw failure.error;
}

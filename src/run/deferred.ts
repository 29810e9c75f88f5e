/**
 * Reporting off the critical path. Between a response and the next request the runner does only
 * what the next request needs (checks, captures); redacting the result and handing it to the
 * reporters waits until the next request has been written to the socket (`requestSent`), so that
 * work overlaps the server's. undici writes a request on a reused connection only on the next
 * turn of the event loop (it first checks the idle socket), so a plain setImmediate would run
 * before the write: the fallback, for steps that send nothing, waits two turns. Order is kept
 * (a step's start, then its end, then the next step's), and the queue is drained before a
 * notebook's end is reported.
 *
 * The queue is bounded: steps that send nothing (skips after a failure, compute-only steps) never
 * yield to the event loop, so past MAX_PENDING tasks it is drained at once and memory stays flat.
 */
const MAX_PENDING = 64;

type Task = () => void | Promise<void>;

export class DeferredHooks {
  private tasks: Task[] = [];
  private fallback: NodeJS.Immediate | undefined;
  private running: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  /**
   * Queues a task. A reporter's error surfaces here (or at drain), never as an unhandled rejection.
   * Not async: it runs once per step on the runner's critical path, and only a full queue has
   * something to wait for (the drain it returns).
   */
  defer(task: Task): Promise<void> | undefined {
    this.throwIfFailed();
    this.tasks.push(task);
    if (this.tasks.length >= MAX_PENDING) return this.drain();
    this.fallback ??= setImmediate(() => {
      this.fallback = setImmediate(() => {
        this.fallback = undefined;
        void this.run();
      });
    });
  }

  /** The next request is being written: the queue runs as soon as the write is done. */
  requestSent(): void {
    if (this.tasks.length === 0) return;
    this.cancelFallback();
    queueMicrotask(() => void this.run());
  }

  /** Runs every queued task now; throws the first error a task threw. */
  async drain(): Promise<void> {
    this.cancelFallback();
    await this.run();
    this.throwIfFailed();
  }

  private cancelFallback(): void {
    if (this.fallback) clearImmediate(this.fallback);
    this.fallback = undefined;
  }

  /** One runner at a time, so tasks run in the order they were queued. */
  private run(): Promise<void> {
    this.running = this.running.then(async () => {
      while (this.tasks.length && !this.failure) {
        const batch = this.tasks;
        this.tasks = [];
        for (const task of batch) {
          try {
            const pending = task();
            if (pending) await pending;
          } catch (error) {
            this.failure = { error };
            return;
          }
        }
      }
    });
    return this.running;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

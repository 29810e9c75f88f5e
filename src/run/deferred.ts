/**
 * Reporting off the critical path. Between a response and the next request the runner does only
 * what the next request needs (checks, captures); redacting the result and handing it to the
 * reporters waits for the next turn of the event loop, which comes once the next request has been
 * written to the socket, so that work overlaps the server's. Order is kept (a step's start, then
 * its end, then the next step's), and the queue is drained before a notebook's end is reported.
 *
 * The queue is bounded: steps that send nothing (skips after a failure, compute-only steps) never
 * yield to the event loop, so past MAX_PENDING tasks it is drained at once and memory stays flat.
 */
const MAX_PENDING = 64;

type Task = () => void | Promise<void>;

export class DeferredHooks {
  private tasks: Task[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private running: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  /** Queues a task. A reporter's error surfaces here (or at drain), never as an unhandled rejection. */
  async defer(task: Task): Promise<void> {
    this.throwIfFailed();
    this.tasks.push(task);
    if (this.tasks.length >= MAX_PENDING) return this.drain();
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      void this.run();
    });
  }

  /** Runs every queued task now; throws the first error a task threw. */
  async drain(): Promise<void> {
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    await this.run();
    this.throwIfFailed();
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

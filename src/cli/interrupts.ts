/**
 * SIGINT / SIGTERM for the whole life of the process. main installs this before it loads anything
 * else, so no signal, from start-up to exit, kills the process by itself: the first one stops the
 * run (requests in flight end, remaining steps are skipped) and starts the teardown deadline; a
 * second one stops teardown at once. Either way the process exits 130 after writing its reports.
 *
 * The deadline is a plain referenced timer started by the signal itself, so it runs whatever the
 * run is doing when the signal lands (steps, teardown, writing reports). An `AbortSignal.timeout`
 * held only inside `AbortSignal.any` is garbage-collected in Node 20 and never fires.
 */
export const DEFAULT_TEARDOWN_MS = 10_000;

export type RunStage = 'starting' | 'running' | 'finished';

export class Interrupts {
  /** Aborted by the first signal. */
  readonly stop = new AbortController();
  /** Aborted when teardown must end too: a second signal, or the deadline after the first. */
  readonly teardown = new AbortController();
  /** How long teardown may take after the first signal (--teardown-timeout). */
  teardownMs = DEFAULT_TEARDOWN_MS;
  stage: RunStage = 'starting';
  private deadline: NodeJS.Timeout | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => this.receive(signal);
  private readonly onExit = () => {
    if (this.stop.signal.aborted) process.exitCode = 130;
  };

  constructor(private readonly stderr: NodeJS.WritableStream) {}

  get interrupted(): boolean {
    return this.stop.signal.aborted;
  }

  install(): this {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
    return this;
  }

  /** For commands that handle signals themselves (the mock server). */
  uninstall(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
    this.dispose();
  }

  /** The run is over: a pending deadline must not hold the process open. */
  dispose(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  private receive(signal: NodeJS.Signals): void {
    if (this.stop.signal.aborted) {
      if (!this.teardown.signal.aborted) {
        this.stderr.write(`${signal} again: teardown stops now; reports are written\n`);
        this.teardown.abort(new Error(`${signal} again`));
      }
      return;
    }
    this.stderr.write(`\n${signal}: ${this.announcement()}\n`);
    this.stop.abort(new Error(signal));
    if (this.stage === 'finished') return;
    this.deadline = setTimeout(() => {
      this.stderr.write(`teardown deadline (${this.teardownMs} ms) reached; the rest of teardown is skipped\n`);
      this.teardown.abort(new Error('teardown deadline'));
    }, this.teardownMs);
  }

  private announcement(): string {
    switch (this.stage) {
      case 'starting':
        return 'stopping before any request was sent';
      case 'running':
        return `stopping; teardown runs (up to ${formatMs(this.teardownMs)}, again to skip it), reports are written`;
      case 'finished':
        return 'the run had already ended; its reports are written';
    }
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

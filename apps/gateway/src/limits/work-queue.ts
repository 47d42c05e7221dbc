/**
 * One socket's share of the node's work: at most `running` of its tasks run at once (so at most that many
 * of its queries hold or wait for a pool connection, whatever it sends), and at most `waiting` more wait
 * behind them, in the order they came. Past that a task is refused, not queued: a flood costs its sender.
 */
export class WorkQueue {
  #running = 0;
  readonly #waiting: (() => Promise<void>)[] = [];

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  /** Runs `task` now or once it is its turn; false, without running it, when the queue is full. */
  offer(task: () => Promise<void>): boolean {
    if (this.#running < this.running) this.#start(task);
    else if (this.#waiting.length < this.waiting) this.#waiting.push(task);
    else return false;
    return true;
  }

  #start(task: () => Promise<void>): void {
    this.#running++;
    const next = () => {
      this.#running--;
      const waiting = this.#waiting.shift();
      if (waiting !== undefined) this.#start(waiting);
    };
    task().then(next, next);
  }
}

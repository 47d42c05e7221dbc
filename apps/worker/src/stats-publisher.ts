import type { DashboardStats } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';

/**
 * Coalesces `dashboard_stats`: any number of changes within `intervalMs` give one computation, and a
 * change made while one runs gives another after it, so the last stats sent always follow the last change.
 * Stats equal to the last ones sent are not sent again: they go to every connected dashboard.
 */
export class StatsPublisher {
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastSent: { stats: DashboardStats; text: string } | undefined;

  constructor(
    private readonly compute: () => Promise<DashboardStats>,
    /** Sends `stats`; `previous` are the last ones sent, so what did not change need not go again. */
    private readonly publish: (stats: DashboardStats, previous: DashboardStats | undefined) => Promise<void> | void,
    private readonly intervalMs: number,
    private readonly log: Log,
  ) {}

  changed(): void {
    this.#dirty = true;
    if (this.#timer === undefined && this.#running === undefined) this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#run().finally(() => {
        this.#running = undefined;
        if (this.#dirty) this.#schedule();
      });
    }, this.intervalMs);
  }

  async #run(): Promise<void> {
    this.#dirty = false;
    try {
      const stats = await this.compute();
      const text = JSON.stringify(stats);
      if (text === this.#lastSent?.text) return;
      await this.publish(stats, this.#lastSent?.stats);
      this.#lastSent = { stats, text };
    } catch (err) {
      // PostgreSQL may be away; the stats are sent once it answers again.
      this.#dirty = true;
      this.log.warn({ err }, 'dashboard stats not computed');
    }
  }

  /** Sends what is pending now; for shutdown. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
    if (this.#dirty) await this.#run();
  }
}

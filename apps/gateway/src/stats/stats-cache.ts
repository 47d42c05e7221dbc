import type { DashboardStats } from '@care-chat/contract';

/**
 * The dashboard counts, computed at most once per `ttlMs` however many sockets ask: a reconnect storm
 * after a deploy asks thousands of times a second.
 */
export class StatsCache {
  #value: { at: number; stats: Promise<DashboardStats> } | undefined;

  constructor(
    private readonly compute: () => Promise<DashboardStats>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<DashboardStats> {
    const now = Date.now();
    if (this.#value === undefined || now - this.#value.at > this.ttlMs) {
      const stats = this.compute();
      this.#value = { at: now, stats };
      // A failure is not kept: the next caller computes again.
      stats.catch(() => {
        if (this.#value?.stats === stats) this.#value = undefined;
      });
    }
    return this.#value.stats;
  }
}

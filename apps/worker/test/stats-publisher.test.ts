import { CUSTOMER_TYPES, type CustomerType, type DashboardCounts, type DashboardStats } from '@care-chat/contract';
import { createLogger } from '@care-chat/runtime';
import { describe, expect, it } from 'vitest';
import { StatsPublisher } from '../src/stats-publisher.js';

const zero = { active: 0, resolved: 0, pending: 0 };
const statsOf = (active: number): DashboardStats => ({
  ...zero,
  active,
  by_type: Object.fromEntries(CUSTOMER_TYPES.map((t) => [t, zero])) as Record<CustomerType, DashboardCounts>,
});

/** A store whose count the test moves, and a publisher over it that records what it sends. */
function setup(computeMs = 0) {
  const state = { active: 0, computes: 0 };
  const published: number[] = [];
  const publisher = new StatsPublisher(
    async () => {
      state.computes += 1;
      const value = state.active;
      await new Promise((resolve) => setTimeout(resolve, computeMs));
      return statsOf(value);
    },
    (stats) => {
      published.push(stats.active);
    },
    5,
    createLogger('stats-test', 'silent'),
  );
  return { state, published, publisher };
}

describe('StatsPublisher', () => {
  it('turns a burst of changes into one computation', async () => {
    const { state, published, publisher } = setup();
    for (let i = 1; i <= 100; i++) {
      state.active = i;
      publisher.changed();
    }
    await publisher.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.computes).toBe(1);
    expect(published).toEqual([100]);
  });

  it('computes again after a change made while computing, so the last stats sent are the latest', async () => {
    const { state, published, publisher } = setup(30);
    state.active = 1;
    publisher.changed();
    await new Promise((resolve) => setTimeout(resolve, 15)); // inside the first computation
    state.active = 2;
    publisher.changed();
    const deadline = Date.now() + 2000;
    while (published.at(-1) !== 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(published).toEqual([1, 2]);
  });

  it('keeps the change when computing fails, and sends it once computing works', async () => {
    let failing = true;
    const published: number[] = [];
    const publisher = new StatsPublisher(
      async () => {
        if (failing) throw new Error('database away');
        return statsOf(7);
      },
      (stats) => {
        published.push(stats.active);
      },
      5,
      createLogger('stats-test', 'silent'),
    );
    publisher.changed();
    await publisher.flush();
    expect(published).toEqual([]);
    failing = false;
    await publisher.flush();
    expect(published).toEqual([7]);
  });
});

describe('StatsPublisher, unchanged stats', () => {
  it('sends nothing when the counts are what was last sent', async () => {
    const { state, published, publisher } = setup();
    state.active = 3;
    publisher.changed();
    await publisher.flush();
    publisher.changed();
    await publisher.flush();
    state.active = 4;
    publisher.changed();
    await publisher.flush();
    expect(published).toEqual([3, 4]);
    expect(state.computes).toBe(3);
  });
});

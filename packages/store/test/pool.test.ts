import { createTestDatabase, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, warmPool } from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 5);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('the pool', () => {
  it('opens the connections it is warmed with at once, and keeps them idle for the next queries', async () => {
    await warmPool(pool, 3);
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 3, idle: 3 });
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()',
    );
    expect(rows[0]?.n).toBe(3);
    // That query took one of the warm connections instead of opening a fourth.
    expect(pool.totalCount).toBe(3);
  });

  it('keeps idle connections a minute, not pg’s 10 s, so a message after a pause finds one open', () => {
    expect((pool as unknown as { options: pg.PoolConfig }).options.idleTimeoutMillis).toBe(60_000);
  });
});

import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrate, primeIngest, warmPool } from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 5);
  await migrate(pool, createLogger('test', 'silent'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('the pool', () => {
  it('opens the connections it is warmed with at once, and keeps them idle for the next queries', async () => {
    await warmPool(pool, 3, primeIngest);
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 3, idle: 3 });
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()',
    );
    expect(rows[0]?.n).toBe(3);
    // That query took one of the warm connections instead of opening a fourth.
    expect(pool.totalCount).toBe(3);
  });

  it('primes each connection in a transaction it rolls back: the ingest runs, and nothing of it stays', async () => {
    const primed: number[] = [];
    await warmPool(pool, 3, async (client, index) => {
      await primeIngest(client, index);
      primed.push(index);
    });
    expect(primed.sort()).toEqual([0, 1, 2]);
    const { rows } = await pool.query<{ contacts: number; chats: number; messages: number }>(
      `SELECT (SELECT count(*)::int FROM contacts) AS contacts, (SELECT count(*)::int FROM chats) AS chats,
              (SELECT count(*)::int FROM messages) AS messages`,
    );
    expect(rows[0]).toEqual({ contacts: 0, chats: 0, messages: 0 });
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('gives no connection back before every prime has ended, and says why one failed', async () => {
    const failing = warmPool(pool, 2, async (client, index) => {
      if (index === 0) await client.query('SELECT no_such_column FROM chats');
      // Still in its transaction when the other has failed.
      else await client.query('SELECT pg_sleep(0.1)');
    });
    await expect(failing).rejects.toThrow(/no_such_column/);
    // Each query runs on its own, in no transaction left open by a prime (there, now() is when it began).
    const alone = await Promise.all(
      [1, 2, 3].map(async () => (await pool.query('SELECT now() = statement_timestamp() AS alone')).rows[0]?.alone),
    );
    expect(alone).toEqual([true, true, true]);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(rows[0]?.n).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('keeps idle connections a minute, not pg’s 10 s, so a message after a pause finds one open', () => {
    expect((pool as unknown as { options: pg.PoolConfig }).options.idleTimeoutMillis).toBe(60_000);
  });
});

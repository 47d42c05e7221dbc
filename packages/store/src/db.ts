import pg from 'pg';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

/**
 * How long an idle connection is kept. A new one costs a PostgreSQL backend process, and its first ingest
 * plans every statement again (10-13 ms here, against 2 ms after), which pg's default of 10 s had the
 * first message after every short pause pay.
 */
const IDLE_MS = 60_000;

export function createPool(connectionString: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString, max, connectionTimeoutMillis: 2000, idleTimeoutMillis: IDLE_MS });
}

/**
 * Opens `count` connections now and runs `prime` on each in a transaction rolled back, so that the first
 * messages after a start find them open with their statements planned, and nothing of the prime stays.
 */
export async function warmPool(
  pool: pg.Pool,
  count: number,
  prime: (client: pg.PoolClient, index: number) => Promise<void>,
): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  // Every prime ends before any connection goes back: one given back mid-transaction would carry it along.
  const primed = await Promise.allSettled(
    clients.map(async (client, index) => {
      await client.query('BEGIN');
      try {
        await prime(client, index);
      } finally {
        await client.query('ROLLBACK');
      }
    }),
  );
  // A connection whose prime failed is closed, not reused: its ROLLBACK may have failed too.
  clients.forEach((client, index) => client.release(primed[index]?.status === 'rejected'));
  const failed = primed.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Runs `work` in a transaction on one client; rolls back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Chat ids are bigints shown as strings; anything else names no chat (and must not reach a bigint cast). */
export const isChatId = (value: string): boolean => /^\d{1,18}$/.test(value);

import { type InboundMessageJob, redisKeys } from '@care-chat/contract';
import { decodeEntry, realtimeKeys, type StreamEntry } from '@care-chat/realtime';
import { createLogger } from '@care-chat/runtime';
import { createPool, migrate, NO_MEDIA_URL } from '@care-chat/store';
import { createTestDatabase, RedisServer, SAMPLE_NUMBERS, type TestDatabase, textMessage } from '@care-chat/testkit';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardEmitter } from '../src/broadcaster.js';
import { isPermanent } from '../src/permanent.js';
import type { ProcessorDeps } from '../src/processors/deps.js';
import { processInboundJob } from '../src/processors/inbound-job.js';

const log = createLogger('test', 'silent');
let database: TestDatabase;
let db: pg.Pool;
let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPool(database.url, 4);
  await migrate(db, log);
  server = await RedisServer.start();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.kill();
  await db?.end();
  await database?.drop();
});

const depsOn = (connection: Redis): ProcessorDeps => ({
  db,
  emitter: dashboardEmitter(connection, 'retries', 60_000),
  stats: { changed: () => undefined },
  config: {
    customerTypeByNumber: new Map([[SAMPLE_NUMBERS.Partner, 'Partner']]),
    defaultCustomerType: 'Customer',
    mediaUrl: NO_MEDIA_URL,
  },
  log,
  // Nobody online, no SLA clock: these tests are about storing and broadcasting.
  online: async () => [],
  sla: { schedule: async () => undefined },
});

const messageJob = (from: string): InboundMessageJob => ({
  kind: 'message',
  business_number_id: SAMPLE_NUMBERS.Partner,
  contact: null,
  message: textMessage({ phoneNumberId: SAMPLE_NUMBERS.Partner, from, text: 'hello' }),
});

const storedCount = async (wamid: string) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE wamid = $1', [wamid])).rows[0]?.n;

/** The error a real query fails with. */
async function sqlError(...statements: string[]): Promise<unknown> {
  const client = await db.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } catch (error) {
    return error;
  } finally {
    client.release(true);
  }
  throw new Error('the statements succeeded');
}

describe('a Redis failure after the row is stored is retried, not given up on', () => {
  // Each case breaks Redis in a way a real outage or a misbehaving server does, and mends it after.
  const cases: [string, RegExp, () => Promise<{ connection: Redis; mend: () => Promise<void> }>][] = [
    [
      'out of memory',
      /^OOM /,
      async () => {
        await redis.config('SET', 'maxmemory', '1');
        return { connection: redis, mend: async () => void (await redis.config('SET', 'maxmemory', '0')) };
      },
    ],
    [
      'a read-only replica (after a failover)',
      /^READONLY /,
      async () => {
        await redis.replicaof('127.0.0.1', '1');
        return { connection: redis, mend: async () => void (await redis.replicaof('NO', 'ONE')) };
      },
    ],
    [
      'a closed connection',
      /^Connection is closed\.$/,
      async () => {
        const closed = new Redis(server.url);
        closed.disconnect();
        return { connection: closed, mend: async () => undefined };
      },
    ],
    [
      'a connection that gave up reconnecting',
      /max retries per request/i,
      async () => {
        const away = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, retryStrategy: () => 10 });
        away.on('error', () => undefined);
        return { connection: away, mend: async () => away.disconnect() };
      },
    ],
  ];

  it.each(cases)('%s', async (_name, message, breakRedis) => {
    const job = messageJob(`9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
    const { connection, mend } = await breakRedis();
    try {
      const failure = await processInboundJob(job, depsOn(connection), { retried: false }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(UnrecoverableError);
      expect((failure as Error).message).toMatch(message);
      expect(await storedCount(job.message.id)).toBe(1);
    } finally {
      await mend();
    }
    // The retry finds the row and broadcasts it.
    await expect(processInboundJob(job, depsOn(redis), { retried: true })).resolves.toBeUndefined();
    expect(await storedCount(job.message.id)).toBe(1);
  });
});

describe('the SLA checks come after the broadcast, off its path', () => {
  const stream = realtimeKeys(redisKeys('retries').realtime).stream;
  /** The broadcasts in the stream that carry the message `wamid`. */
  const broadcastsOf = async (wamid: string) =>
    ((await redis.xrange(stream, '-', '+')) as StreamEntry[]).filter(([, fields]) =>
      JSON.stringify(decodeEntry(fields)).includes(wamid),
    ).length;

  it('a message whose checks could not be scheduled is broadcast once; its retry schedules them', async () => {
    const job = messageJob(`9197${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
    const scheduled: string[] = [];
    let broadcastsWhenScheduling = -1;
    const refusing: ProcessorDeps = {
      ...depsOn(redis),
      sla: {
        schedule: async () => {
          broadcastsWhenScheduling = await broadcastsOf(job.message.id);
          throw new Error('the SLA queue is out of reach');
        },
      },
    };
    await expect(processInboundJob(job, refusing, { retried: false })).rejects.toThrow('the SLA queue is out of reach');
    // The dashboards had the update before the checks were even tried.
    expect(broadcastsWhenScheduling).toBeGreaterThan(0);
    const first = await broadcastsOf(job.message.id);

    const retrying: ProcessorDeps = {
      ...depsOn(redis),
      sla: { schedule: async (message) => void scheduled.push(message.message_id) },
    };
    await expect(processInboundJob(job, retrying, { retried: true })).resolves.toBeUndefined();
    expect(scheduled).toHaveLength(1);
    expect(await broadcastsOf(job.message.id)).toBe(first);
    expect(await storedCount(job.message.id)).toBe(1);
  });
});

describe('what fails for good', () => {
  it('a job whose own data is invalid, at once and before touching PostgreSQL', async () => {
    const job = messageJob('919811112222');
    const broken = { ...job, message: { ...job.message, timestamp: 'not-a-time' } };
    await expect(processInboundJob(broken, depsOn(redis), { retried: false })).rejects.toThrow(
      new UnrecoverableError('invalid job: job.message.timestamp must be unix seconds, not in the future'),
    );
    expect(await storedCount(job.message.id)).toBe(0);
  });

  it.each([
    ['invalid text for a type', '22P02', ["SELECT 'x'::int"]],
    ['division by zero', '22012', ['SELECT 1 / 0']],
    ['a NOT NULL violation', '23502', ['INSERT INTO contacts (customer) VALUES (NULL)']],
    [
      'a CHECK violation',
      '23514',
      ["INSERT INTO chats (contact_id, customer, business_number_id, customer_type) VALUES (1, 'c', 'b', 'Driver')"],
    ],
  ])('PostgreSQL refusing the data: %s (%s)', async (_name, code, statements) => {
    const error = await sqlError(...statements);
    expect(error).toMatchObject({ code });
    expect(isPermanent(error)).toBe(true);
  });

  it.each([
    ['an undefined table (a deploy may create it)', '42P01', ['SELECT * FROM not_yet_migrated']],
    ['a cancelled statement', '57014', ['SET statement_timeout = 1', 'SELECT pg_sleep(1)']],
  ])('but not PostgreSQL failing otherwise: %s (%s)', async (_name, code, statements) => {
    const error = await sqlError(...statements);
    expect(error).toMatchObject({ code });
    expect(isPermanent(error)).toBe(false);
  });

  it('nor PostgreSQL out of reach', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres' });
    const error = await client.connect().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isPermanent(error)).toBe(false);
  });
});

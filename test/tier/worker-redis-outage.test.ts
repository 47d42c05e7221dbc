import {
  closeAllClients,
  nextEvent,
  postWebhook,
  recordEvents,
  SAMPLE_NUMBERS,
  settle,
  TcpSwitch,
  TEST_APP_SECRET,
  textWebhook,
  until,
  viaEmitter,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { Tier } from './tier.js';

// Past the point where ioredis gives up on a command waiting for its connection (20 reconnections, at
// 0.1 s, 0.2 s, … then 2 s apart: about 21 s), and so fails what the worker was publishing.
const OUTAGE_MS = 25_000;
const CUSTOMER = '919855555555';

let tier: Tier;
let redis: TcpSwitch;

beforeAll(async () => {
  // The worker reaches Redis through a relay the test can cut; the gateways go direct. The lock outlasts
  // the outage, so the job cannot come back as stalled: only the worker's own retry can finish it.
  redis = await TcpSwitch.start(Number(new URL(inject('redisUrl')).port || 6379));
  tier = await Tier.start({ workerEnv: { REDIS_URL: redis.wrap(inject('redisUrl')), WORKER_LOCK_MS: '120000' } });
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
  await redis?.close();
});

const storedRows = async () =>
  (
    await tier.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.customer = $1',
      [CUSTOMER],
    )
  ).rows[0]?.n;

it("the worker's Redis away after a row is stored, past ioredis's give-up: stored once, broadcast once", async () => {
  const watcher = await tier.client(tier.nodes[0], 'PartnerApp');
  const seen = recordEvents(watcher, ['room_update']);
  const logsBefore = tier.worker.logs.length;
  const arrival = nextEvent(watcher, 'room_update', OUTAGE_MS + 20_000, (s) => s.customer === CUSTOMER);

  // The test holds the contacts table, so the worker's transaction waits inside PostgreSQL while Redis
  // is taken from it, and stores the row only once Redis is gone.
  const holder = await tier.db.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE contacts IN EXCLUSIVE MODE');
    const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: CUSTOMER, text: 'through the outage' });
    expect((await postWebhook(tier.nodes[0].url, body, TEST_APP_SECRET)).status).toBe(200);
    await until(
      async () =>
        (
          await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks
             WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND relation = 'contacts'::regclass AND NOT granted`,
          )
        ).rows[0]?.n,
      (waiting) => waiting === 1,
      'the worker to wait for the contacts table',
    );
    redis.disconnect();
    const cutAt = Date.now();
    await holder.query('COMMIT');
    await until(storedRows, (n) => n === 1, 'the row to be stored');
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - cutAt)));
  } finally {
    holder.release();
    redis.reconnect();
  }

  // What ioredis failed the publish with is retried, not given up on.
  const retried = await tier.worker.waitForLog((line) => line.msg === 'job will be retried', 15_000, logsBefore);
  expect((retried.err as { message: string }).message).toMatch(/max retries per request/i);
  expect(await arrival).toMatchObject({ customer: CUSTOMER, last_message: 'through the outage', unseen_count: 1 });
  await tier.drained(30_000);
  await settle(viaEmitter(tier.emitter), [watcher]);
  expect((seen.get('room_update') ?? []).filter((s) => (s as { customer: string }).customer === CUSTOMER)).toHaveLength(
    1,
  );
  expect(await storedRows()).toBe(1);
  const [job] = await tier.queue.getJobs(['completed', 'failed']);
  expect(await job?.getState()).toBe('completed');
}, 90_000);

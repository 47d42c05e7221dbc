import { createLogger } from '@care-chat/runtime';
import { createPool, migrate, NO_MEDIA_URL, storeReply } from '@care-chat/store';
import { createTestDatabase, insertChat, SAMPLE_NUMBERS, type TestDatabase, uniquePrefix } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardEmitter } from '../src/broadcaster.js';
import { deliverReply, type OutboundDeps } from '../src/outbound/deliver-reply.js';
import type { SendAnswer } from '../src/outbound/graph-client.js';

const log = createLogger('test', 'silent');
let database: TestDatabase;
let db: pg.Pool;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPool(database.url, 4);
  await migrate(db, log);
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  redis?.disconnect();
  await db?.end();
  await database?.drop();
});

/** A reply stored as the gateway stores it, in a chat whose customer wrote just now. */
async function storedReply(): Promise<string> {
  const chatId = await insertChat(db, 'Partner');
  await db.query('UPDATE chats SET last_incoming_whatsapp_message = now() WHERE id = $1', [chatId]);
  const stored = await storeReply(
    db,
    {
      chatId,
      customerTypes: ['Partner'],
      executiveId: '42',
      kind: 'text',
      body: 'hello',
      preview: 'hello',
      template: null,
      mediaType: null,
      media: null,
      mediaLink: null,
      clientDatetime: null,
      repeatWithinMs: 0,
    },
    NO_MEDIA_URL,
  );
  if (stored.outcome !== 'stored') throw new Error(stored.outcome);
  return stored.message.message_id;
}

function depsWith(waits: { pair?: number; number?: number }, answers: SendAnswer[]) {
  const calls: object[] = [];
  const deps: OutboundDeps = {
    db,
    emitter: dashboardEmitter(redis, uniquePrefix(), 60_000),
    log,
    pacer: { pair: async () => waits.pair ?? 0, number: async () => waits.number ?? 0 },
    send: async (_number, message) => {
      calls.push(message);
      return answers.shift() ?? { kind: 'accepted', wamid: `wamid.${calls.length}` };
    },
    config: {
      numberByCustomerType: new Map([['Partner', SAMPLE_NUMBERS.Partner]]),
      templateLanguage: 'en',
      maxAttempts: 3,
      retryMs: 100,
      retryMaxMs: 1000,
      unknownWaitMs: 5000,
    },
  };
  return { deps, calls };
}

const state = async (id: string) =>
  (
    await db.query<{ wamid: string | null; delivery_status: string; send_attempts: number; pending: boolean }>(
      'SELECT wamid, delivery_status, send_attempts, send_pending_since IS NOT NULL AS pending FROM messages WHERE id = $1',
      [id],
    )
  ).rows[0];

describe('deliverReply', () => {
  it('a customer over its pair rate: given back until its slot, which it keeps, and nothing is sent meanwhile', async () => {
    const id = await storedReply();
    const { deps, calls } = depsWith({ pair: 4000 }, []);
    const step = await deliverReply({ message_id: id }, deps);
    expect(step).toMatchObject({ data: { message_id: id, pair_at: expect.any(Number) } });
    if (!('at' in step)) throw new Error('not given back');
    expect(step.at - Date.now()).toBeGreaterThan(3500);
    expect(calls).toEqual([]);
    // Back at its slot (passed now): sent, without reserving another pair slot.
    const back = depsWith({ pair: 99_999 }, []);
    expect(await deliverReply({ message_id: id, pair_at: Date.now() - 1 }, back.deps)).toEqual({ done: true });
    expect(back.calls).toHaveLength(1);
    expect(await state(id)).toMatchObject({ wamid: 'wamid.1', send_attempts: 1, pending: false });
  });

  it('a number slot more than a second away: given back with both slots; one come back too late takes a new one', async () => {
    const id = await storedReply();
    const { deps } = depsWith({ number: 3000 }, []);
    const step = await deliverReply({ message_id: id }, deps);
    expect(step).toMatchObject({ data: { pair_at: expect.any(Number), number_at: expect.any(Number) } });
    const late = depsWith({ number: 2500 }, []);
    const again = await deliverReply(
      { message_id: id, pair_at: Date.now() - 5000, number_at: Date.now() - 500 },
      late.deps,
    );
    expect(again).toMatchObject({ data: { number_at: expect.any(Number) } });
    expect(late.calls).toEqual([]);
  });

  it('a call whose outcome is unknown is not made again until the wait for a status is over', async () => {
    const id = await storedReply();
    const { deps, calls } = depsWith({}, [{ kind: 'unknown', reason: 'timeout' }]);
    const step = await deliverReply({ message_id: id }, deps);
    expect(step).toMatchObject({ data: { message_id: id } });
    expect(await state(id)).toMatchObject({ wamid: null, pending: true, send_attempts: 1 });
    // Taken up again before the wait is over (a stalled job): still nothing sent.
    const early = await deliverReply({ message_id: id }, deps);
    if (!('at' in early)) throw new Error('sent again too soon');
    expect(early.at - Date.now()).toBeGreaterThan(4000);
    expect(calls).toHaveLength(1);
    // A status named the reply meanwhile: it has its wamid, and the job is done without a call.
    await db.query("UPDATE messages SET wamid = 'wamid.from-status', send_pending_since = NULL WHERE id = $1", [id]);
    expect(await deliverReply({ message_id: id }, deps)).toEqual({ done: true });
    expect(calls).toHaveLength(1);
  });

  it('retries WhatsApp’s limits no sooner than its Retry-After, and fails at once on a refusal', async () => {
    const id = await storedReply();
    const error = { code: 130429, title: 'Rate limit hit', message: 'Rate limit hit' };
    const { deps } = depsWith({}, [{ kind: 'retry', error, retryAfterMs: 3000 }]);
    const step = await deliverReply({ message_id: id }, deps);
    if (!('at' in step)) throw new Error('not retried');
    expect(step.at - Date.now()).toBeGreaterThan(2500);
    expect(await state(id)).toMatchObject({ pending: false, delivery_status: 'queued' });
    const refused = { code: 131047, title: 'Re-engagement message', message: 'more than 24 hours' };
    const then = depsWith({}, [{ kind: 'refused', error: refused }]);
    expect(await deliverReply({ message_id: id }, then.deps)).toEqual({ done: true });
    expect(await state(id)).toMatchObject({ delivery_status: 'failed', pending: false, send_attempts: 2 });
  });
});

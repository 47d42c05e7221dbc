import type { ChatSummary } from '@care-chat/contract';
import {
  closeAllClients,
  postWebhook,
  recordEvents,
  SAMPLE_NUMBERS,
  TEST_APP_SECRET,
  textMessage,
  webhookBody,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Tier } from './tier.js';

const MESSAGES = 500;
const PER_WEBHOOK = 10;
// Short locks, so the jobs the killed worker held pass to the new one within seconds.
const WORKER_ENV = { WORKER_LOCK_MS: '2000' };
let tier: Tier;

beforeAll(async () => {
  // A slow first worker, so the burst is still being worked through when it dies.
  tier = await Tier.start({ workerEnv: { ...WORKER_ENV, WORKER_CONCURRENCY: '2' } });
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
});

async function storedCount(): Promise<number> {
  const { rows } = await tier.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
  return rows[0]?.n ?? 0;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('a worker killed with SIGKILL mid-burst loses nothing: every message is stored once and broadcast once', async () => {
  const watcher = await tier.client(tier.nodes[0], 'PartnerApp');
  const seen = recordEvents(watcher, ['room_update']);
  const texts = Array.from({ length: MESSAGES }, (_, i) => `burst message ${i}`);
  const customers = texts.map((_, i) => `9197${String(i).padStart(8, '0')}`);

  for (let start = 0; start < MESSAGES; start += PER_WEBHOOK) {
    const messages = texts
      .slice(start, start + PER_WEBHOOK)
      .map((text, i) => textMessage({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customers[start + i] ?? '', text }));
    const body = webhookBody([
      { phoneNumberId: SAMPLE_NUMBERS.Partner, contacts: messages.map((m) => ({ wa_id: m.from ?? '' })), messages },
    ]);
    const answer = await postWebhook(tier.nodes[(start / PER_WEBHOOK) % 2]?.url ?? '', body, TEST_APP_SECRET);
    expect(answer.status).toBe(200);
  }

  await until(async () => (await storedCount()) >= 30, 'the first messages to be stored');
  expect(await tier.worker.stop('SIGKILL')).toBeNull();
  const storedAtKill = await storedCount();
  expect(storedAtKill).toBeLessThan(MESSAGES);

  await tier.restartWorker(WORKER_ENV);
  await until(async () => (await storedCount()) === MESSAGES, 'every message to be stored');
  await tier.drained();
  const delivered = () => new Set((seen.get('room_update') as ChatSummary[]).map((s) => s.last_message));
  await until(async () => delivered().size === MESSAGES, 'every message to be broadcast', 10_000);

  expect([...delivered()].sort()).toEqual([...texts].sort());
  // And none twice: a retried job does not publish again what its killed attempt had published.
  expect(seen.get('room_update')).toHaveLength(MESSAGES);
  const { rows } = await tier.db.query(
    'SELECT count(*)::int AS chats, sum(unread_count)::int AS unread, max(version)::int AS max_version FROM chats',
  );
  expect(rows).toEqual([{ chats: MESSAGES, unread: MESSAGES, max_version: 1 }]);
  console.info(
    `stored ${storedAtKill} of ${MESSAGES} before SIGKILL; all ${MESSAGES} stored once and broadcast after restart`,
  );
}, 60_000);

it('a worker stopped with SIGTERM finishes the jobs it holds, exits 0, and the next one takes the rest', async () => {
  // One job at a time, so the SIGTERM comes while most of the batch is still waiting.
  await tier.worker.stop('SIGTERM');
  await tier.restartWorker({ ...WORKER_ENV, WORKER_CONCURRENCY: '1' });
  const before = await storedCount();
  const messages = Array.from({ length: 60 }, (_, i) =>
    textMessage({
      phoneNumberId: SAMPLE_NUMBERS.Partner,
      from: `9196${String(i).padStart(8, '0')}`,
      text: `term ${i}`,
    }),
  );
  const body = webhookBody([
    { phoneNumberId: SAMPLE_NUMBERS.Partner, contacts: messages.map((m) => ({ wa_id: m.from ?? '' })), messages },
  ]);
  expect((await postWebhook(tier.nodes[0].url, body, TEST_APP_SECRET)).status).toBe(200);
  await until(async () => (await storedCount()) > before, 'the first of them to be stored');
  expect(await tier.worker.stop('SIGTERM')).toBe(0);
  // Nothing was left half-done: no job is still held by the stopped worker.
  expect(await tier.queue.getJobCountByTypes('active')).toBe(0);
  const storedAtStop = await storedCount();
  await tier.restartWorker(WORKER_ENV);
  await until(async () => (await storedCount()) === before + messages.length, 'the rest to be stored');
  await tier.drained();
  expect(storedAtStop).toBeLessThan(before + messages.length);
});

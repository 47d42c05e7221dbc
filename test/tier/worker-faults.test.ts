import { type InboundMessageJob, inboundJobOptions } from '@care-chat/contract';
import {
  closeAllClients,
  nextEvent,
  postWebhook,
  TcpSwitch,
  TEST_APP_SECRET,
  textMessage,
  textWebhook,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { Tier } from './tier.js';

let tier: Tier;
let postgres: TcpSwitch;

beforeAll(async () => {
  // The worker reaches PostgreSQL through a relay the test can cut; the gateways go direct.
  postgres = await TcpSwitch.start(Number(new URL(inject('databaseUrl')).port || 5432));
  tier = await Tier.start({ workerEnv: { WORKER_CONCURRENCY: '4' }, workerDatabase: (url) => postgres.wrap(url) });
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
  await postgres?.close();
});

it('a job that can never succeed fails for good, stays visible, and does not hold up the queue', async () => {
  const broken: InboundMessageJob = {
    kind: 'message',
    business_number_id: '100000000000001',
    contact: null,
    message: { ...textMessage({ phoneNumberId: '1', from: '919811111111', text: 'x' }), timestamp: 'not-a-time' },
  };
  const job = await tier.queue.add('message', broken, { ...inboundJobOptions, jobId: 'broken-1' });
  const watcher = await tier.client(tier.nodes[0], 'PartnerApp');
  const next = nextEvent(watcher, 'room_update', 10_000, (s) => s.customer === '919822222222');
  await postWebhook(
    tier.nodes[0].url,
    textWebhook({ phoneNumberId: '100000000000001', from: '919822222222', text: 'after' }),
    TEST_APP_SECRET,
  );
  await next;
  await tier.drained();
  expect(await job.getState()).toBe('failed');
  const failed = await tier.queue.getJob('broken-1');
  expect(failed?.attemptsMade).toBe(1);
  expect(failed?.failedReason).toBe('invalid job: job.message.timestamp must be unix seconds, not in the future');
  const { rows } = await tier.db.query("SELECT count(*)::int AS n FROM chats WHERE customer = '919811111111'");
  expect(rows).toEqual([{ n: 0 }]);
});

it('PostgreSQL out of reach: jobs retry with backoff, then complete once it is back, once each', async () => {
  const watcher = await tier.client(tier.nodes[1], 'PartnerApp');
  postgres.disconnect();
  const logsBefore = tier.worker.logs.length;
  const arrival = nextEvent(watcher, 'room_update', 30_000, (s) => s.customer === '919833333333');
  const body = textWebhook({ phoneNumberId: '100000000000001', from: '919833333333', text: 'during the outage' });
  expect((await postWebhook(tier.nodes[1].url, body, TEST_APP_SECRET)).status).toBe(200);
  await tier.worker.waitForLog((line) => line.msg === 'job will be retried', 15_000, logsBefore);
  postgres.reconnect();
  expect(await arrival).toMatchObject({ last_message: 'during the outage', unseen_count: 1, version: 1 });
  await tier.drained(30_000);
  const { rows } = await tier.db.query(
    "SELECT count(*)::int AS n FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.customer = '919833333333'",
  );
  expect(rows).toEqual([{ n: 1 }]);
}, 45_000);

it('a message to a number missing from WHATSAPP_NUMBERS takes DEFAULT_CUSTOMER_TYPE, with a warning, never dropped', async () => {
  const watcher = await tier.client(tier.nodes[0], 'CustomerApp');
  const logsBefore = tier.worker.logs.length;
  const arrival = nextEvent(watcher, 'room_update_customer', 10_000, (s) => s.customer === '919844444444');
  await postWebhook(
    tier.nodes[0].url,
    textWebhook({ phoneNumberId: '555000555', from: '919844444444', text: 'lost?' }),
    TEST_APP_SECRET,
  );
  expect(await arrival).toMatchObject({ customer_type: 'Customer', last_message: 'lost?' });
  const warning = await tier.worker.waitForLog((line) => line.business_number_id === '555000555', 5000, logsBefore);
  expect(warning.level).toBe(40);
});

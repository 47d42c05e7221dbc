import { ClientEvent, responseEvent } from '@care-chat/contract';
import {
  closeAllClients,
  connected,
  dashboardClient,
  nextEvent,
  postWebhook,
  RedisServer,
  SAMPLE_NUMBERS,
  signToken,
  TEST_APP_SECRET,
  textWebhook,
  until,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Tier } from './tier.js';

let redis: RedisServer;
let tier: Tier;

beforeAll(async () => {
  redis = await RedisServer.start();
  tier = await Tier.start({ redisUrl: redis.url });
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
  await redis?.kill();
});

const ready = async (url: string) =>
  (await fetch(`${url}/api/health/ready`)).json() as Promise<{ status: number; checks: object }>;

it('Redis restarted: webhooks get 503 meanwhile, every process reconnects by itself, and updates flow again', async () => {
  const client = await connected(dashboardClient(tier.nodes[0].url, signToken()));
  const joined = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
  client.emit(ClientEvent.JoinRoom, { room: 'SRDPApp' });
  await joined;
  const body = (text: string) => textWebhook({ phoneNumberId: SAMPLE_NUMBERS.SRDP, from: '919811110000', text });

  await redis.kill();
  for (const node of tier.nodes) {
    expect((await postWebhook(node.url, body('while Redis is away'), TEST_APP_SECRET)).status).toBe(503);
    expect(
      await until(
        () => ready(node.url),
        (r) => r.status === 0,
        'not ready',
      ),
    ).toMatchObject({
      checks: { redis: 'error', postgres: 'ok' },
    });
  }

  await redis.start();
  for (const node of tier.nodes)
    await until(
      () => ready(node.url),
      (r) => r.status === 1,
      'ready again',
    );
  const arrival = nextEvent(client, 'room_update_srdp', 20_000, (s) => s.last_message === 'after Redis came back');
  // As Meta does, a delivery refused with 503 is sent again until it is taken.
  await until(
    async () => (await postWebhook(tier.nodes[1].url, body('after Redis came back'), TEST_APP_SECRET)).status,
    (status) => status === 200,
    'the webhook to be queued',
  );
  expect(await arrival).toMatchObject({ customer: '919811110000', customer_type: 'SRDP' });
  expect(client.connected).toBe(true);
  for (const process of [...tier.nodes.map((node) => node.process), tier.worker]) {
    expect(process.child.exitCode).toBeNull();
  }
}, 60_000);

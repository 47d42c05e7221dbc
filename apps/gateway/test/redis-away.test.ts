import { SOCKET_PATH } from '@care-chat/contract';
import {
  FakeGraph,
  RedisServer,
  SAMPLE_BUSINESS_ACCOUNTS,
  sampleTemplates,
  signToken,
  startGateway,
  TEST_ACCESS_TOKEN,
  uniquePrefix,
  until,
} from '@care-chat/testkit';
import { expect, it } from 'vitest';

it('refuses new Socket.IO sessions while Redis is out of reach, and takes them again once it is back', async () => {
  const redis = await RedisServer.start();
  const node = await startGateway(uniquePrefix(), { REDIS_URL: redis.url });
  const handshake = async () => {
    const response = await fetch(`${node.url}${SOCKET_PATH}/?EIO=4&transport=polling`);
    return { status: response.status, body: await response.text() };
  };
  try {
    await redis.kill();
    const refused = await until(handshake, (answer) => answer.status === 403, 'a refusal');
    expect(JSON.parse(refused.body)).toEqual({ code: 4, message: 'Redis is out of reach: try again shortly' });
    await redis.start();
    await until(handshake, (answer) => answer.status === 200, 'sessions again');
  } finally {
    await node.process.stop();
    await redis.kill();
  }
});

it('lists templates from WhatsApp while Redis is out of reach, without waiting for it', async () => {
  const redis = await RedisServer.start();
  const fake = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
  fake.templates.set(SAMPLE_BUSINESS_ACCOUNTS.Partner, sampleTemplates('Partner'));
  const node = await startGateway(uniquePrefix(), { REDIS_URL: redis.url, WHATSAPP_API_BASE_URL: fake.baseUrl });
  const templates = async () => {
    const answer = await fetch(`${node.url}/api/templates?stakeholder=Partner`, {
      headers: { authorization: `Bearer ${signToken()}` },
      // A Redis command waits for Redis to come back (ioredis retries it 20 times): the list must not.
      signal: AbortSignal.timeout(2000),
    });
    return (await answer.json()) as { status: number; templates: unknown[] };
  };
  try {
    await redis.kill();
    await until(
      () => fetch(`${node.url}/api/health/ready`),
      (answer) => answer.status === 503,
      'Redis missed',
    );
    const listed = await templates();
    expect({ status: listed.status, templates: listed.templates.length }).toEqual({ status: 1, templates: 2 });
    expect(fake.seen('templates')).toHaveLength(1);
    // Back, so the gateway's shutdown does not wait for it.
    await redis.start();
  } finally {
    await node.process.stop();
    await Promise.all([redis.kill(), fake.close()]);
  }
});

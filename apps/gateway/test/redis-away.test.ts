import { SOCKET_PATH } from '@care-chat/contract';
import { RedisServer, startGateway, uniquePrefix, until } from '@care-chat/testkit';
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

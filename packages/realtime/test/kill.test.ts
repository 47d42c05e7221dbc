import { type AppProcess, startNode } from '@care-chat/testkit';
import { afterEach, expect, it } from 'vitest';
import { useCluster } from './cluster.js';

const cluster = useCluster(1);
let child: AppProcess | undefined;

afterEach(async () => {
  await child?.stop('SIGKILL');
});

/**
 * A killed server writes nothing as it dies: the session must already be in Redis, written when its
 * rooms changed. This server runs in a process of its own, so that it can be killed.
 */
it('a client whose server was SIGKILLed recovers on another, with its rooms and what it missed', async () => {
  const { prefix, emitter } = cluster();
  child = startNode('packages/realtime/test/fixtures/server.ts', {
    PORT: '0',
    REDIS_URL: cluster().redisUrl,
    PREFIX: prefix,
  });
  const { port } = await child.waitForLog((line) => line.msg === 'listening');
  const relay = await cluster().relayTo(Number(port));
  const client = await cluster().connect(relay.url, { name: 'bob', rooms: ['r'] });
  await emitter.to('r').emit('hello', 'before', 0);
  await client.received('hello', 1);
  const back = client.connection();
  // The relay still points to the dead port: the client cannot come back until it is pointed elsewhere.
  await child.stop('SIGKILL');
  await emitter.to('r').emit('hello', 'missed', 1);
  await emitter.to('elsewhere').emit('hello', 'not for it', 0);
  await emitter.emit('hello', 'missed', 2);
  relay.switchTo(cluster().server(0).port);
  await back;
  expect(client.socket.recovered).toBe(true);
  await cluster().settle([client]);
  expect(client.payloads('hello')).toEqual([
    ['before', 0],
    ['missed', 1],
    ['missed', 2],
  ]);
  const [member] = await cluster().io(0).in('r').fetchSockets();
  expect({ id: member?.id, name: member?.data.name }).toEqual({ id: client.socket.id, name: 'bob' });
});

import { type AppProcess, startNode } from '@care-chat/testkit';
import { afterEach, expect, it } from 'vitest';
import { useCluster } from './cluster.js';

const cluster = useCluster(1);
let child: AppProcess | undefined;

afterEach(async () => {
  child?.child.kill('SIGCONT');
  await child?.stop('SIGKILL');
});

/**
 * A server can learn of a lost connection long after the client has come back elsewhere (a half-open
 * connection waits for the ping timeout). What it persists then is older than the session the client's
 * new server keeps, which a later recovery (after that server is killed) would get. Here the old server
 * is a process of its own, frozen with SIGSTOP while the client moves, so that it learns late.
 */
it('a server that learns late of a disconnection does not overwrite the session the client has elsewhere', async () => {
  child = startNode('packages/realtime/test/fixtures/server.ts', {
    PORT: '0',
    REDIS_URL: cluster().redisUrl,
    PREFIX: cluster().prefix,
  });
  const { port } = await child.waitForLog((line) => line.msg === 'listening');
  const relay = await cluster().relayTo(Number(port));
  const client = await cluster().connect(relay.url, { rooms: ['r'] });
  await cluster().emitter.emit('hello', 'for an offset', 0);
  await client.received('hello', 1);
  const { pid } = client.credentials;
  const rooms = async () => {
    const raw = await cluster().redis.hget(cluster().keys.session(pid), 'session');
    return raw === null ? null : (JSON.parse(raw) as { rooms: string[] }).rooms.sort();
  };

  child.child.kill('SIGSTOP');
  expect(await cluster().reconnectElsewhere(client, relay, 0)).toBe(true);
  await client.socket.emitWithAck('join', 'later');
  // The new server writes the session on its connection before it broadcasts this marker.
  await cluster().settle([client]);
  const current = await rooms();
  expect(current).toContain('later');

  child.child.kill('SIGCONT');
  await child.waitForLog((line) => line.msg === 'disconnected');
  expect(await rooms()).toEqual(current);
});

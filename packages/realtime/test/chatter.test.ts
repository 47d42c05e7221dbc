import { expect, it } from 'vitest';
import { useCluster } from './cluster.js';

const cluster = useCluster(3);

/**
 * Requests between servers and their answers go over pub/sub: they make no sense later, so a replay must
 * never meet them, and the stream holds only what clients may be owed. Nor is there any heartbeat.
 */
it('requests between servers, their answers and acknowledged broadcasts leave the stream empty', async () => {
  const clients = await cluster().connectEach(['a'], ['a', 'b'], []);
  for (const client of clients) client.socket.on('ask', (n, answer) => answer(n * 2));
  const stop = cluster().onEveryServer('pingWithAck', () => (n, answer) => answer(String(n)));
  try {
    const io = cluster().io(0);
    expect(await io.fetchSockets()).toHaveLength(3);
    expect(await io.in('b').fetchSockets()).toHaveLength(1);
    expect(await io.serverSideEmitWithAck('pingWithAck', 1)).toEqual(['1', '1']);
    io.serverSideEmit('ping', 2);
    expect(await io.of('/').adapter.serverCount()).toBe(3);
    expect(await io.timeout(1000).emitWithAck('ask', 21)).toEqual([42, 42, 42]);
    expect(await cluster().io(2).to('a').timeout(1000).emitWithAck('ask', 1)).toEqual([2, 2]);
    expect(await cluster().redis.xlen(cluster().keys.stream)).toBe(0);
  } finally {
    stop();
  }
});

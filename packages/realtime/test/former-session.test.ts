import type { StreamAdapter } from '@care-chat/realtime';
import { until } from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { useCluster } from './cluster.js';
import { TEST_RECOVERY_WINDOW_MS, type TestIo } from './fixtures/server.js';

const FORMER_SESSION_MS = 3_600_000;

const adapterOf = (io: TestIo) => io.of('/').adapter as unknown as StreamAdapter;

describe('a session past its recovery window, with formerSessionMs', () => {
  const cluster = useCluster(2, { formerSessionMs: FORMER_SESSION_MS });

  /** A client in rooms `r` and `s` that has had a packet, whose session then expired while it was away. */
  async function expiredAway() {
    const relay = await cluster().relay(0);
    const client = await cluster().connect(relay.url, { name: 'alice', rooms: ['r', 's'] });
    await cluster().emitter.to('r').emit('hello', 'before', 0);
    await client.received('hello', 1);
    const { pid } = client.credentials;
    const recovered = await cluster().reconnectElsewhere(client, relay, 1, async () => {
      // Once its server has persisted it, the session goes as the window's passing takes it, without the wait.
      const sockets = async () => cluster().io(0).of('/').sockets.size;
      await until(sockets, (n) => n === 0, 'the server to see the connection drop');
      await cluster().redis.del(cluster().keys.session(pid));
    });
    return { client, pid, recovered };
  }

  it('is not recovered, but its rooms and data are there once for the client that names it', async () => {
    const { pid, recovered } = await expiredAway();
    expect(recovered).toBe(false);
    const former = await adapterOf(cluster().io(1)).formerSession(pid);
    expect(former?.rooms.sort()).toEqual(expect.arrayContaining(['r', 's']));
    expect(former?.data).toEqual({ name: 'alice' });
    expect(await adapterOf(cluster().io(0)).formerSession(pid)).toBeNull();
  });

  it('outlives the recovery window by formerSessionMs', async () => {
    const client = await cluster().connect(0, { rooms: ['r'] });
    await cluster().emitter.to('r').emit('hello', 'for an offset', 0);
    await client.received('hello', 1);
    const key = cluster().keys.former(client.credentials.pid);
    await until(
      () => cluster().redis.exists(key),
      (n) => n === 1,
      'the former session written',
    );
    expect(await cluster().redis.pttl(key)).toBeGreaterThan(TEST_RECOVERY_WINDOW_MS);
    expect(await cluster().redis.pttl(key)).toBeLessThanOrEqual(TEST_RECOVERY_WINDOW_MS + FORMER_SESSION_MS);
  });

  it('is gone once its client left of its own accord', async () => {
    const client = await cluster().connect(0, { rooms: ['r'] });
    await cluster().emitter.to('r').emit('hello', 'for an offset', 0);
    await client.received('hello', 1);
    const { pid } = client.credentials;
    const former = () => cluster().redis.exists(cluster().keys.former(pid));
    await until(former, (n) => n === 1, 'the former session written');
    client.close();
    await until(former, (n) => n === 0, 'the former session deleted');
    expect(await adapterOf(cluster().io(0)).formerSession(pid)).toBeNull();
  });
});

describe('without formerSessionMs', () => {
  const cluster = useCluster(1);

  it('keeps nothing past the window', async () => {
    const client = await cluster().connect(0, { rooms: ['r'] });
    await cluster().emitter.to('r').emit('hello', 'for an offset', 0);
    await client.received('hello', 1);
    const { pid } = client.credentials;
    expect(await cluster().redis.exists(cluster().keys.session(pid))).toBe(1);
    expect(await cluster().redis.exists(cluster().keys.former(pid))).toBe(0);
    expect(await adapterOf(cluster().io(0)).formerSession(pid)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { useCluster } from './cluster.js';

const cluster = useCluster(3);

/** A client through a relay to server 0, in room `r`, that has had one packet (so it has an offset). */
async function clientWithOffset(transport: 'websocket' | 'polling' = 'websocket') {
  const relay = await cluster().relay(0);
  const client = await cluster().connect(relay.url, { name: 'alice', rooms: ['r'] }, { transports: [transport] });
  await cluster().emitter.to('r').emit('hello', 'before', 0);
  await client.received('hello', 1);
  return { client, relay };
}

describe('connection state recovery across servers', () => {
  it.each(['websocket', 'polling'] as const)(
    'a %s client recovers on another server: its id, rooms and data, and exactly what it missed, in order',
    async (transport) => {
      const { client, relay } = await clientWithOffset(transport);
      const id = client.socket.id;
      const recovered = await cluster().reconnectElsewhere(client, relay, 1, async () => {
        const { emitter } = cluster();
        await emitter.to('r').emit('hello', 'missed', 1);
        await emitter.emit('hello', 'missed', 2);
        await emitter.to('elsewhere').emit('hello', 'not for it', 0);
        await emitter.volatile.emit('hello', 'volatile', 0);
        await emitter.except('r').emit('hello', 'not for it', 0);
        cluster().io(2).to('r').emit('hello', 'missed', 3);
      });
      expect(recovered).toBe(true);
      expect(client.socket.id).toBe(id);
      await cluster().settle([client], 2);
      expect(client.payloads('hello')).toEqual([
        ['before', 0],
        ['missed', 1],
        ['missed', 2],
        ['missed', 3],
      ]);
      const offsets = client.of('hello').map(({ offset }) => offset ?? '');
      expect(new Set(offsets).size).toBe(4);
      const [member] = await cluster().io(1).in('r').fetchSockets();
      expect({ id: member?.id, name: member?.data.name }).toEqual({ id, name: 'alice' });
    },
  );

  it('a room joined while connected comes back with the session', async () => {
    const { client, relay } = await clientWithOffset();
    await client.socket.emitWithAck('join', 'later');
    const recovered = await cluster().reconnectElsewhere(client, relay, 2, () =>
      cluster().emitter.to('later').emit('hello', 'missed in later', 1),
    );
    expect(recovered).toBe(true);
    cluster().io(0).to('later').emit('hello', 'live in later', 2);
    await client.received('hello', 3);
    expect(client.payloads('hello').slice(1)).toEqual([
      ['missed in later', 1],
      ['live in later', 2],
    ]);
  });

  it('an unknown session id gets a new session, and the server goes on serving it', async () => {
    const client = await cluster().connect(0, {}, { auth: { pid: 'no-such-session', offset: '1-0' } });
    expect(client.socket.recovered).toBe(false);
    await cluster().settle([client], 1);
  });

  it.each(['not-an-offset', '', '1-2-3', '$'])(
    'a malformed offset (%j) gets a new session, and the server goes on serving it',
    async (offset) => {
      const { client, relay } = await clientWithOffset();
      const id = client.socket.id;
      // Laid over what the client sends to recover: its real session id, this offset.
      client.socket.auth = { offset };
      expect(await cluster().reconnectElsewhere(client, relay, 1)).toBe(false);
      expect(client.socket.id).not.toBe(id);
      await cluster().settle([client], 1);
    },
  );

  it('is not recovered when the stream lost entries since its offset (Redis lost its data): no silent gap', async () => {
    const { client, relay } = await clientWithOffset();
    const recovered = await cluster().reconnectElsewhere(client, relay, 1, async () => {
      await cluster().emitter.to('r').emit('hello', 'lost with the stream', 1);
      // As a Redis restarted without persistence keeps no stream, but the session is written again.
      await cluster().redis.del(cluster().keys.stream);
      await cluster().emitter.to('r').emit('hello', 'after the loss', 2);
    });
    expect(recovered).toBe(false);
    await cluster().settle([client], 1);
    expect(client.payloads('hello')).toEqual([['before', 0]]);
  });

  it('recovered on the server where its old connection is still open: the old one is let go, the new one keeps the rooms', async () => {
    const first = await cluster().connect(0, { name: 'half-open', rooms: ['r'] });
    await cluster().emitter.to('r').emit('hello', 'before', 0);
    await first.received('hello', 1);
    const { id } = first.socket;
    const gone = first.disconnection();
    const second = await cluster().connect(0, {}, { auth: first.credentials });
    expect(second.socket.id).toBe(id);
    await gone;
    // However the old connection ends, the recovered socket stays in its rooms.
    first.close();
    await cluster().emitter.to('r').emit('hello', 'after', 1);
    await second.received('hello', 1);
    expect(second.payloads('hello')).toEqual([['after', 1]]);
  });

  it('a client that left on purpose has no session to come back to', async () => {
    const { client } = await clientWithOffset();
    const { pid, offset } = client.credentials;
    const left = client.disconnection();
    client.close();
    await left;
    const again = await cluster().connect(1, {}, { auth: { pid, offset } });
    expect(again.socket.recovered).toBe(false);
  });
});

/**
 * A server that has just started has read nothing yet; a client that reconnects to it (its own server
 * was replaced, or killed) must still get what it missed, which that server will never read live.
 */
describe('recovery on a server started while the client was away', () => {
  it('replays what was missed before the new server read anything', async () => {
    const { client, relay } = await clientWithOffset();
    let fresh = -1;
    const recovered = await cluster().reconnectElsewhere(
      client,
      relay,
      () => fresh,
      async () => {
        await cluster().emitter.to('r').emit('hello', 'missed', 1);
        fresh = await cluster().addServer();
      },
    );
    expect(recovered).toBe(true);
    await cluster().settle([client], fresh);
    expect(client.payloads('hello')).toEqual([
      ['before', 0],
      ['missed', 1],
    ]);
  });
});

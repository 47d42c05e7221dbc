import { describe, expect, it } from 'vitest';
import type { TestClient } from './clients.js';
import { useCluster } from './cluster.js';
import type { Handshake } from './events.js';
import { TEST_RECOVERY_WINDOW_MS, type TestSocket } from './fixtures/server.js';

/** As an authentication that asks another service: recovered sockets are checked again, after a while. */
const checkedAgain = {
  io: { connectionStateRecovery: { maxDisconnectionDuration: TEST_RECOVERY_WINDOW_MS, skipMiddlewares: false } },
  middleware: (socket: TestSocket, next: (err?: Error) => void) => {
    const { name } = socket.handshake.auth as Partial<Handshake>;
    setTimeout(() => next(socket.recovered && name === 'revoked' ? new Error('unauthorized') : undefined), 20);
  },
};

const refusal = (client: TestClient) =>
  new Promise<Error>((resolve) => client.socket.once('connect_error', (error) => resolve(error)));

/**
 * The events written to the client's connection from now on, as packets: socket.io-client keeps those of a
 * socket not yet connected from its listeners, but they did reach the client.
 */
function eventsWritten(client: TestClient): unknown[][] {
  const events: unknown[][] = [];
  client.socket.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
    if (packet.type === EVENT && packet.data !== undefined) events.push(packet.data);
  });
  return events;
}

/** socket.io-parser's PacketType.EVENT. */
const EVENT = 2;

/**
 * Socket.IO restores a session before the socket's middlewares run, and would write the missed packets
 * then. Nothing may reach a socket before its middlewares have let it in, and a recovered socket gets only
 * what reaches the rooms it is in once connected.
 */
describe('a recovering socket, before it is connected', () => {
  const cluster = useCluster(2, checkedAgain);

  it('is written nothing, missed or live, when its middlewares refuse it', async () => {
    const relay = await cluster().relay(0);
    const client = await cluster().connect(relay.url, { name: 'revoked', rooms: ['r'] });
    await cluster().emitter.to('r').emit('hello', 'before', 0);
    await client.received('hello', 1);
    const refused = refusal(client);
    const written = eventsWritten(client);
    const back = cluster().reconnectElsewhere(client, relay, 1, async () => {
      await cluster().emitter.to('r').emit('hello', 'missed', 1);
    });
    back.catch(() => undefined);
    // Live while its middleware runs.
    await cluster().emitter.to('r').emit('hello', 'while checked', 2);
    expect((await refused).message).toBe('unauthorized');
    // The refusal is the last packet written to it: whatever was written before has arrived.
    expect(written).toEqual([]);
    expect(client.payloads('hello')).toEqual([['before', 0]]);
  });

  it('gets, once connected, only what reaches the rooms it is in then', async () => {
    const relay = await cluster().relay(0);
    const client = await cluster().connect(relay.url, { name: 'narrowed', rooms: ['kept', 'dropped'] });
    await cluster().emitter.to('kept').emit('hello', 'before', 0);
    await client.received('hello', 1);
    // As a token that allows fewer rooms now: the connection's listener leaves one.
    const narrow = (socket: TestSocket) => {
      if (socket.recovered) void socket.leave('dropped');
    };
    cluster().io(1).on('connection', narrow);
    try {
      const recovered = await cluster().reconnectElsewhere(client, relay, 1, async () => {
        await cluster().emitter.to('dropped').emit('hello', 'missed, dropped', 1);
        await cluster().emitter.to('kept').emit('hello', 'missed, kept', 2);
        await cluster().emitter.to(['kept', 'dropped']).emit('hello', 'missed, both', 3);
      });
      expect(recovered).toBe(true);
      await cluster().emitter.to('dropped').emit('hello', 'live, dropped', 4);
      await cluster().emitter.to('kept').emit('hello', 'live, kept', 5);
      await client.received('hello', 4);
      await cluster().settle([client], 1);
      expect(client.payloads('hello')).toEqual([
        ['before', 0],
        ['missed, kept', 2],
        ['missed, both', 3],
        ['live, kept', 5],
      ]);
    } finally {
      cluster().io(1).off('connection', narrow);
    }
  });
});

import { uniquePrefix } from '@care-chat/testkit';
import { Emitter as StockEmitter } from '@socket.io/redis-emitter';
import { MessageType } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { settle, type TestClient } from './clients.js';
import { type Cluster, useCluster } from './cluster.js';
import type { ServerToClient } from './events.js';

/**
 * `settle` for what comes over pub/sub: a request on the servers' own channel, published on the stock
 * emitter's connection after its messages, reaches each server after them (one subscriber connection,
 * in publishing order); each server then sends its own sockets the marker.
 */
async function settleLive(cluster: Cluster, clients: readonly TestClient[]): Promise<void> {
  const stop = cluster.onEveryServer('ping', (i) => (id) => void cluster.io(i).local.emit('marker', id));
  const ping = (id: number) => ({
    uid: 'test',
    nsp: '/',
    type: MessageType.SERVER_SIDE_EMIT,
    data: { packet: ['ping', id] },
  });
  try {
    await settle((id) => cluster.redis.publish(cluster.keys.requests('/'), JSON.stringify(ping(id))), clients);
  } finally {
    stop();
  }
}

/**
 * A cluster given `stockEmitterKey: key`, and a stock emitter on the test's connection, under that key
 * (under the default one when the servers are given none).
 */
function stockSetup(key: string | null | undefined) {
  const cluster = useCluster(3, { stockEmitterKey: key });
  const stock = () => new StockEmitter<ServerToClient>(cluster().redis, typeof key === 'string' ? { key } : {});
  return { cluster, stock };
}

describe.each([
  ['under its default key, reaches the room on every server', undefined, 1],
  ['with stockEmitterKey: null, is ignored', null, 0],
] as const)('the stock @socket.io/redis-emitter %s', (_, key, copies) => {
  const { cluster, stock } = stockSetup(key);

  it('to(room).emit', async () => {
    // Other suites' servers take the default key too: a room of our own keeps them out of it.
    const room = `${cluster().prefix}-room`;
    const clients = await cluster().connectEach([room], [room], [room]);
    stock().to(room).emit('hello', 'stock', 1);
    await settleLive(cluster(), clients);
    // With the last offset delivered there (it never was in the stream), so that no payload's last string
    // is taken for one.
    const arrival = { event: 'hello', args: ['stock', 1], offset: expect.stringMatching(/^\d+-\d+$/) };
    expect(clients.map((client) => client.of('hello'))).toEqual(clients.map(() => Array(copies).fill(arrival)));
  });
});

describe('the stock @socket.io/redis-emitter under a key of its own', () => {
  const { cluster, stock } = stockSetup(`stock-${uniquePrefix()}`);

  it('reaches the room on every server, and no one else', async () => {
    const clients = await cluster().connectEach(['r'], ['r'], ['r'], ['other']);
    stock().to('r').emit('hello', 'stock', 1);
    await settleLive(cluster(), clients);
    expect(clients.map((client) => client.payloads('hello'))).toEqual([
      [['stock', 1]],
      [['stock', 1]],
      [['stock', 1]],
      [],
    ]);
  });

  it('is delivered live only: a recovered client is not sent it again, nor what it sent while the client was away', async () => {
    const relay = await cluster().relay(0);
    const client = await cluster().connect(relay.url, { rooms: ['r'] });
    await cluster().emitter.to('r').emit('hello', 'stream', 1);
    stock().to('r').emit('hello', 'stock', 2);
    await client.received('hello', 2);
    const recovered = await cluster().reconnectElsewhere(client, relay, 1, async () => {
      stock().to('r').emit('hello', 'stock while away', 3);
      await cluster().emitter.to('r').emit('hello', 'stream while away', 4);
    });
    expect(recovered).toBe(true);
    await cluster().settle([client], 1);
    expect(client.payloads('hello')).toEqual([
      ['stream', 1],
      ['stock', 2],
      ['stream while away', 4],
    ]);
    // The stock packet carries the offset of the entry delivered before it: what the client has.
    const [stream, live, away] = client.of('hello').map(({ offset }) => offset);
    expect(live).toBe(stream);
    expect(away).not.toBe(stream);
  });

  it('socketsJoin and socketsLeave change the rooms of sockets on every server', async () => {
    const clients = await cluster().connectEach(['a'], ['a', 'b'], ['b']);
    stock().in('a').socketsJoin('joined');
    stock().to('joined').emit('hello', 'joined', 1);
    stock().in('b').socketsLeave('a');
    stock().to('a').emit('hello', 'in a', 2);
    await settleLive(cluster(), clients);
    expect(clients.map((client) => client.payloads('hello'))).toEqual([
      [
        ['joined', 1],
        ['in a', 2],
      ],
      [['joined', 1]],
      [],
    ]);
  });

  it('disconnectSockets disconnects the sockets of a room on every server', async () => {
    const clients = await cluster().connectEach(['a'], ['a'], ['b']);
    const reasons = Promise.all(clients.slice(0, 2).map((client) => client.disconnection()));
    stock().in('a').disconnectSockets();
    expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
    await settleLive(cluster(), clients.slice(2));
    expect(clients[2]?.socket.connected).toBe(true);
  });

  it('serverSideEmit reaches every server', async () => {
    const heard: number[] = [];
    let stop = () => {};
    const all = new Promise<void>((resolve) => {
      stop = cluster().onEveryServer('ping', (i) => () => {
        if (heard.push(i) === 3) resolve();
      });
    });
    try {
      stock().serverSideEmit('ping', 5);
      await all;
      expect(heard.sort()).toEqual([0, 1, 2]);
    } finally {
      stop();
    }
  });
});

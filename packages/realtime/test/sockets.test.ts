import { EventEmitter, once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { TestClient } from './clients.js';
import { useCluster } from './cluster.js';

const cluster = useCluster(3);

/** Who got `hello`, by client name, once the marker sent after it is in. */
async function reached(clients: TestClient[], via: number): Promise<string[]> {
  await cluster().settle(clients, via);
  return clients.flatMap((client, i) => client.payloads('hello').map(() => `c${i}`));
}

const idOf = (client: TestClient | undefined) => client?.socket.id ?? '';

describe('socket management across three servers', () => {
  it('socketsJoin puts the sockets of a room on every server in another', async () => {
    const clients = await cluster().connectEach(['a'], ['a'], ['b']);
    cluster().io(2).in('a').socketsJoin('joined');
    cluster().io(2).to('joined').emit('hello', 'joined', 1);
    expect(await reached(clients, 2)).toEqual(['c0', 'c1']);
    const members = await cluster().io(0).in('joined').fetchSockets();
    expect(members.map(({ data }) => data.name).sort()).toEqual(['c0', 'c1']);
  });

  it('socketsLeave takes the sockets of a room on every server out of another', async () => {
    const clients = await cluster().connectEach(['a', 'x'], ['a', 'x'], ['a']);
    cluster().io(0).in('x').socketsLeave('a');
    cluster().io(0).to('a').emit('hello', 'still in a', 1);
    expect(await reached(clients, 0)).toEqual(['c2']);
  });

  it('disconnectSockets disconnects the sockets of a room on every server, and them only', async () => {
    const clients = await cluster().connectEach(['a'], ['a'], ['b']);
    const reasons = Promise.all(clients.slice(0, 2).map((client) => client.disconnection()));
    cluster().io(2).in('a').disconnectSockets();
    expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
    await cluster().settle(clients.slice(2), 2);
    expect(clients.map((client) => client.socket.connected)).toEqual([false, false, true]);
  });

  it('fetchSockets finds the sockets of every server, with their rooms and data', async () => {
    const rooms = [['a'], ['a', 'b'], []];
    const clients = await cluster().connectEach(...rooms);
    const everyone = await cluster().io(1).fetchSockets();
    const seen = everyone.map(({ id, rooms, data }) => ({ name: data.name, id, rooms: [...rooms].sort() }));
    expect(seen.sort((x, y) => x.name.localeCompare(y.name))).toEqual(
      clients.map((client, i) => ({
        name: `c${i}`,
        id: idOf(client),
        rooms: [idOf(client), ...(rooms[i] ?? [])].sort(),
      })),
    );
    const inA = await cluster().io(2).in('a').fetchSockets();
    expect(inA.map(({ data }) => data.name).sort()).toEqual(['c0', 'c1']);
  });

  it('serverSideEmit reaches the other servers, not the sender', async () => {
    const got: string[] = [];
    const heard = new EventEmitter();
    const stop = cluster().onEveryServer('ping', (i) => (n: number) => {
      got.push(`s${i}:${n}`);
      heard.emit(`s${i}:${n}`);
    });
    try {
      const first = Promise.all([once(heard, 's1:1'), once(heard, 's2:1')]);
      cluster().io(0).serverSideEmit('ping', 1);
      await first;
      // Published after the others had the first: the sender would have had its own before this one.
      const second = once(heard, 's0:2');
      cluster().io(1).serverSideEmit('ping', 2);
      await second;
      expect(got.filter((entry) => entry.endsWith(':1')).sort()).toEqual(['s1:1', 's2:1']);
    } finally {
      stop();
    }
  });

  it('serverSideEmitWithAck collects one answer from each other server', async () => {
    const stop = cluster().onEveryServer(
      'pingWithAck',
      (i) => (n: number, answer: (reply: string) => void) => answer(`s${i}:${n}`),
    );
    try {
      const answers = await cluster().io(1).serverSideEmitWithAck('pingWithAck', 7);
      expect(answers.sort()).toEqual(['s0:7', 's2:7']);
    } finally {
      stop();
    }
  });

  it('serverCount counts the three servers', async () => {
    const counts = await Promise.all(cluster().servers.map(({ io }) => io.of('/').adapter.serverCount()));
    expect(counts).toEqual([3, 3, 3]);
  });
});

/**
 * These go through the stream to keep their place among broadcasts, and do on the other servers. On the
 * sender's own sockets they must too: a socket that joins after 100 broadcasts to a room gets none of them,
 * one that leaves after them gets them all.
 */
describe('socketsJoin and socketsLeave on the sender’s own sockets', () => {
  const ROUNDS = 100;

  it('a socket made to join a room gets none of the broadcasts sent to it before', async () => {
    const clients = await cluster().connectEach([], []);
    const io = cluster().io(0);
    for (let n = 0; n < ROUNDS; n++) io.to('late').emit('seq', 'before', n);
    io.in(clients.map(idOf)).socketsJoin('late');
    io.to('late').emit('seq', 'after', 0);
    await cluster().settle(clients, 0);
    expect(clients.map((client) => client.payloads('seq'))).toEqual([[['after', 0]], [['after', 0]]]);
  });

  it('a socket made to leave a room gets every broadcast sent to it before', async () => {
    const clients = await cluster().connectEach(['early'], ['early']);
    const io = cluster().io(0);
    for (let n = 0; n < ROUNDS; n++) io.to('early').emit('seq', 'before', n);
    io.in(clients.map(idOf)).socketsLeave('early');
    io.to('early').emit('seq', 'after', 0);
    await cluster().settle(clients, 0);
    const all = Array.from({ length: ROUNDS }, (_, n) => ['before', n]);
    expect(clients.map((client) => client.payloads('seq'))).toEqual([all, all]);
  });
});

import { decodeEntry, encodeEntry, entryOrigin } from '@care-chat/realtime';
import { MessageType } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { useCluster } from './cluster.js';

interface Seen {
  event: unknown;
  originMs: number | undefined;
  recipients: number;
}
const seen: Seen[] = [];
const cluster = useCluster(2, {
  onDeliver: (broadcast, recipients) =>
    seen.push({ event: broadcast.packet.data[0], originMs: broadcast.originMs, recipients }),
});

const hellos = () => seen.filter(({ event }) => event === 'hello');

describe('onDeliver: each server is told of each broadcast with sockets there, with its origin', () => {
  it('gives a published group’s origin and each server’s own count of recipients', async () => {
    seen.length = 0;
    const clients = await cluster().connectEach(['a'], ['a'], ['a'], ['b']);
    const originMs = Date.now() - 1500;
    await cluster().emitter.publishOnce(
      `origin-${originMs}`,
      (group) => group.to('a').emit('hello', 'with origin', 1),
      { originMs },
    );
    await cluster().settle(clients);
    await cluster().settle(clients, 1);
    // connectEach spreads clients over the servers in turn: two of room `a` on server 0, one on server 1.
    expect(
      hellos()
        .map(({ recipients }) => recipients)
        .sort(),
    ).toEqual([1, 2]);
    expect(hellos().map((hello) => hello.originMs)).toEqual([originMs, originMs]);
  });

  it('has no origin for a broadcast published without one, and says nothing of a server with no recipient', async () => {
    seen.length = 0;
    const clients = await cluster().connectEach(['c'], []);
    await cluster().emitter.to('c').emit('hello', 'no origin', 2);
    await cluster().settle(clients);
    await cluster().settle(clients, 1);
    expect(hellos()).toEqual([{ event: 'hello', originMs: undefined, recipients: 1 }]);
  });
});

describe('the origin field of an entry', () => {
  const message = {
    uid: 'emitter',
    nsp: '/',
    type: MessageType.BROADCAST,
    data: { packet: { type: 2, data: ['hello', 'x', 1], nsp: '/' }, opts: { rooms: [], except: [], flags: {} } },
  } as Parameters<typeof encodeEntry>[0];

  it('is read back, and leaves the message as it was for readers that do not know it', () => {
    const fields = encodeEntry(message, 1_700_000_000_123.7);
    expect(entryOrigin(fields)).toBe(1_700_000_000_123);
    expect(decodeEntry(fields)).toEqual(decodeEntry(encodeEntry(message)));
  });

  it('is absent, or ignored when it is not a whole number of milliseconds', () => {
    expect(entryOrigin(encodeEntry(message))).toBeUndefined();
    for (const bad of ['soon', '', '1e400', '12.5']) {
      expect(entryOrigin([...encodeEntry(message), 'origin', bad])).toBeUndefined();
    }
  });
});

import { decodeEntry, EMITTER_UID, EVENT_PACKET_TYPE, encodeEntry } from '@care-chat/realtime';
import { MessageType } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { useCluster } from './cluster.js';

const cluster = useCluster(2);

const entry = (type: number, data?: string) => [
  ...['uid', 'someone', 'nsp', '/', 'type', String(type)],
  ...(data === undefined ? [] : ['data', data]),
];

/** What anyone with the Redis may write to the stream; none of it is a message this adapter can act on. */
const GARBAGE: [string, string[]][] = [
  ['fields of another format', ['foo', 'bar']],
  ['an unknown type', entry(99, '{}')],
  ['data that is not JSON', entry(MessageType.BROADCAST, '{')],
  ['a broadcast without a packet', entry(MessageType.BROADCAST, '{"opts":{"rooms":[],"except":[]}}')],
  [
    'a broadcast whose packet data is not a list',
    entry(MessageType.BROADCAST, '{"packet":{"type":2,"data":"x","nsp":"/"},"opts":{"rooms":[],"except":[]}}'),
  ],
  [
    'a broadcast whose rooms are not strings',
    entry(MessageType.BROADCAST, '{"packet":{"type":2,"data":["hello"],"nsp":"/"},"opts":{"rooms":[1],"except":[]}}'),
  ],
  ['a socketsJoin without data', entry(MessageType.SOCKETS_JOIN)],
  ['a socketsJoin without options', entry(MessageType.SOCKETS_JOIN, '{"rooms":["x"]}')],
  ['a socketsLeave without options', entry(MessageType.SOCKETS_LEAVE, '{"rooms":["x"]}')],
  ['a disconnectSockets without options', entry(MessageType.DISCONNECT_SOCKETS, '{}')],
  ['a request that belongs on pub/sub', entry(MessageType.FETCH_SOCKETS, '{}')],
];

/** The entry of `hello` to everyone, as the Emitter writes it. */
const hello = (text: string, n: number) =>
  encodeEntry({
    uid: EMITTER_UID,
    nsp: '/',
    type: MessageType.BROADCAST,
    data: {
      packet: { type: EVENT_PACKET_TYPE, data: ['hello', text, n], nsp: '/' },
      opts: { rooms: [], except: [], flags: {} },
    },
  });

describe('garbage in the stream is skipped', () => {
  it.each(GARBAGE)('%s: the broadcasts around it in the same read, and after it, still arrive', async (_, garbage) => {
    const clients = await cluster().connectEach([], []);
    const { stream } = cluster().keys;
    // One transaction: the read loop gets the three entries in one XREAD.
    await cluster()
      .redis.multi()
      .xadd(stream, '*', ...hello('before', 1))
      .xadd(stream, '*', ...garbage)
      .xadd(stream, '*', ...hello('after', 2))
      .exec();
    await cluster().emitter.emit('hello', 'later', 3);
    await cluster().settle(clients);
    const expected = [
      ['before', 1],
      ['after', 2],
      ['later', 3],
    ];
    expect(clients.map((client) => client.payloads('hello'))).toEqual([expected, expected]);
  });

  it('a replay over undecodable entries and requests recovers the client with the broadcasts among them', async () => {
    const relay = await cluster().relay(0);
    const client = await cluster().connect(relay.url);
    await cluster().emitter.emit('hello', 'before', 0);
    await client.received('hello', 1);
    const recovered = await cluster().reconnectElsewhere(client, relay, 1, async () => {
      // Only what the read loop survives today: the others are the cases above.
      for (const [, garbage] of GARBAGE.filter(([, fields]) => decodeEntry(fields) === null)) {
        await cluster().redis.xadd(cluster().keys.stream, '*', ...garbage);
      }
      await cluster().emitter.socketsJoin('joined');
      await cluster().emitter.emit('hello', 'missed', 1);
    });
    expect(recovered).toBe(true);
    await cluster().settle([client], 1);
    expect(client.payloads('hello')).toEqual([
      ['before', 0],
      ['missed', 1],
    ]);
  });
});

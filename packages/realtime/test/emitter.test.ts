import { once } from 'node:events';
import { createServer } from 'node:net';
import { decodeEntry, EMITTER_UID, Emitter, type EventsMap, realtimeKeys } from '@care-chat/realtime';
import { uniquePrefix } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { MessageType } from 'socket.io-adapter';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ServerToClient } from './events.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

/** An Emitter on a prefix of its own, and a reader of what it wrote. */
function emitterOnItsOwn<Events extends EventsMap = ServerToClient>() {
  const prefix = uniquePrefix();
  const emitter = new Emitter<Events>(redis, { prefix });
  const written = async () =>
    ((await redis.xrange(realtimeKeys(prefix).stream, '-', '+')) as [string, string[]][]).map(([id, fields]) => ({
      id,
      message: decodeEntry(fields),
    }));
  return { emitter, written };
}

const broadcast = (nsp: string, data: unknown[], opts: object = {}) => ({
  uid: EMITTER_UID,
  nsp,
  type: MessageType.BROADCAST,
  data: { packet: { type: 2, data, nsp }, opts: { rooms: [], except: [], flags: {}, ...opts } },
});

describe('Emitter', () => {
  it('emit resolves with the id of the entry it wrote, in the adapter’s format', async () => {
    const { emitter, written } = emitterOnItsOwn();
    const id = await emitter.to('a').except('b').emit('hello', 'x', 1);
    expect(await written()).toEqual([
      { id, message: broadcast('/', ['hello', 'x', 1], { rooms: ['a'], except: ['b'] }) },
    ]);
  });

  it('each operator returns a new one: a shared one is never changed underfoot', async () => {
    const { emitter, written } = emitterOnItsOwn();
    const toA = emitter.to('a');
    toA.to('b');
    toA.volatile.compress(false);
    await toA.emit('hello', 'x', 1);
    await emitter.of('admin').in(['c', 'd']).volatile.emit('hello', 'y', 2);
    expect((await written()).map(({ message }) => message)).toEqual([
      broadcast('/', ['hello', 'x', 1], { rooms: ['a'] }),
      broadcast('/admin', ['hello', 'y', 2], { rooms: ['c', 'd'], flags: { volatile: true } }),
    ]);
  });

  it('socketsJoin, socketsLeave and disconnectSockets are entries of their own kinds', async () => {
    const { emitter, written } = emitterOnItsOwn();
    await emitter.in('a').socketsJoin(['b', 'c']);
    await emitter.except('a').socketsLeave('b');
    await emitter.to('a').disconnectSockets(true);
    const opts = (rooms: string[], except: string[]) => ({ rooms, except, flags: {} });
    expect((await written()).map(({ message }) => message)).toEqual([
      {
        uid: EMITTER_UID,
        nsp: '/',
        type: MessageType.SOCKETS_JOIN,
        data: { opts: opts(['a'], []), rooms: ['b', 'c'] },
      },
      { uid: EMITTER_UID, nsp: '/', type: MessageType.SOCKETS_LEAVE, data: { opts: opts([], ['a']), rooms: ['b'] } },
      {
        uid: EMITTER_UID,
        nsp: '/',
        type: MessageType.DISCONNECT_SOCKETS,
        data: { opts: opts(['a'], []), close: true },
      },
    ]);
  });

  it('publishOnce writes a group once, in order: the second call resolves false and writes nothing', async () => {
    const { emitter, written } = emitterOnItsOwn();
    const group = (n: number) => (g: Parameters<Parameters<typeof emitter.publishOnce>[1]>[0]) => {
      g.to('a').emit('hello', 'first', n);
      g.emit('seq', 'second', n);
    };
    expect(await emitter.publishOnce('job-1', group(1))).toBe(true);
    expect(await emitter.publishOnce('job-1', group(2))).toBe(false);
    expect((await written()).map(({ message }) => message)).toEqual([
      broadcast('/', ['hello', 'first', 1], { rooms: ['a'] }),
      broadcast('/', ['seq', 'second', 1]),
    ]);
    expect(await emitter.publishOnce('job-2', group(3))).toBe(true);
    expect(await written()).toHaveLength(4);
  });

  it.each(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])(
    'refuses the reserved event name %j, alone or in a group, and writes nothing',
    async (event) => {
      const { emitter, written } = emitterOnItsOwn<EventsMap>();
      expect(() => emitter.to('a').emit(event)).toThrow(/reserved/);
      await expect(emitter.publishOnce('job', (g) => g.emit(event))).rejects.toThrow(/reserved/);
      expect(await written()).toEqual([]);
    },
  );

  it('emit rejects when Redis cannot take the entry', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    closed.close();
    const unreachable = new Redis({ port, host: '127.0.0.1', enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    unreachable.on('error', () => {});
    try {
      const emitter = new Emitter<ServerToClient>(unreachable, { prefix: uniquePrefix() });
      await expect(emitter.emit('hello', 'x', 1)).rejects.toThrow();
      await expect(emitter.publishOnce('job', (g) => g.emit('hello', 'x', 1))).rejects.toThrow();
    } finally {
      unreachable.disconnect();
    }
  });

  it('an explicitly undefined recoveryWindowMs is the default window, not an invalid trim', async () => {
    const emitter = new Emitter<ServerToClient>(redis, { prefix: uniquePrefix(), recoveryWindowMs: undefined });
    await expect(emitter.emit('hello', 'x', 1)).resolves.toMatch(/^\d+-\d+$/);
  });
});

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { internalProblems, streamAdapter } from '@care-chat/realtime';
import { transports } from 'engine.io';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { useCluster } from './cluster.js';

const cluster = useCluster(1);

/** An adapter on connections that never connect: these servers never get past their constructor. */
function idleAdapter() {
  const [redis, reader, subscriber] = [0, 1, 2].map(() => new Redis({ lazyConnect: true })) as [Redis, Redis, Redis];
  return streamAdapter({ redis, reader, subscriber, prefix: 'never-used', recoveryWindowMs: 1000 });
}

type Prototype = Record<string, unknown>;
type Class = { prototype: Prototype };
const require = createRequire(import.meta.url);
// socket.io does not export its Client (its file sits beside the entry point); ws's typings omit Sender.
const { Client } = require(join(dirname(require.resolve('socket.io')), 'client.js')) as { Client: Class };
const { Sender } = require('ws') as { Sender: Class };

const PRIVATE_MEMBERS: [string, Prototype, string][] = [
  ['socket.io Client#writeToEngine', Client.prototype, 'writeToEngine'],
  ['socket.io-adapter Adapter#_encode', Adapter.prototype as unknown as Prototype, '_encode'],
  [
    'engine.io WebSocket#_canSendPreEncodedFrame',
    (transports.websocket as unknown as Class).prototype,
    '_canSendPreEncodedFrame',
  ],
  ['ws Sender#sendFrame', Sender.prototype, 'sendFrame'],
];

describe('the private APIs the adapter writes through', () => {
  it('are all there in the versions installed', () => {
    expect(internalProblems(cluster().io(0).of('/'))).toEqual([]);
  });

  it.each(PRIVATE_MEMBERS)('without %s, new Server() throws naming it', (_, prototype, member) => {
    const original = Object.getOwnPropertyDescriptor(prototype, member);
    expect(original).toBeDefined();
    delete prototype[member];
    try {
      expect(() => new Server({ adapter: idleAdapter() })).toThrow(member);
    } finally {
      Object.defineProperty(prototype, member, original as PropertyDescriptor);
    }
  });

  it('names a namespace without the sockets a recovered session is restored to', () => {
    expect(internalProblems({ server: { opts: {} } })).toEqual([expect.stringContaining('_preConnectSockets')]);
  });

  it('with perMessageDeflate on, which would send merged frames empty, new Server() throws naming it', () => {
    const server = () => new Server({ perMessageDeflate: true, adapter: idleAdapter() });
    expect(server).toThrow(Error);
    expect(server).toThrow(/perMessageDeflate/);
  });
});

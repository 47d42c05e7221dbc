import { decodeEntry, encodeEntry } from '@care-chat/realtime';
import { type ClusterMessage, MessageType } from 'socket.io-adapter';
import { expect, it } from 'vitest';

const messages: [string, ClusterMessage][] = [
  [
    'a broadcast',
    {
      uid: 'a',
      nsp: '/',
      type: MessageType.BROADCAST,
      data: {
        packet: { type: 2, data: ['hello', { nested: [1, null] }, 'x'], nsp: '/' },
        opts: { rooms: ['r'], except: [], flags: { volatile: true } },
      },
    },
  ],
  [
    'a socketsJoin',
    {
      uid: 'b',
      nsp: '/admin',
      type: MessageType.SOCKETS_JOIN,
      data: { opts: { rooms: [], except: ['x'], flags: {} }, rooms: ['y'] },
    },
  ],
];

it.each(messages)('decodes %s as it was encoded', (_, message) => {
  expect(decodeEntry(encodeEntry(message))).toEqual({ data: undefined, ...message });
});

it.each([
  ['no fields', []],
  ['no uid', ['nsp', '/', 'type', '3']],
  ['no namespace', ['uid', 'a', 'type', '3']],
  ['a type that is not a number', ['uid', 'a', 'nsp', '/', 'type', 'three']],
  ['a type no message has', ['uid', 'a', 'nsp', '/', 'type', '99']],
  ['data that is not JSON', ['uid', 'a', 'nsp', '/', 'type', '4', 'data', '{']],
  ['a broadcast without options', ['uid', 'a', 'nsp', '/', 'type', '3', 'data', '{"packet":{"type":2,"data":[]}}']],
  ['a type that never enters the stream (a heartbeat, a request)', ['uid', 'a', 'nsp', '/', 'type', '13']],
  ['a join without rooms', ['uid', 'a', 'nsp', '/', 'type', '4', 'data', '{"opts":{"rooms":[],"except":[]}}']],
])('decodes an entry with %s as null', (_, fields) => {
  expect(decodeEntry(fields)).toBeNull();
});

import { ClientEvent, type ClientEventName, responseEvent } from '@care-chat/contract';
import { createPool } from '@care-chat/store';
import {
  closeAllClients,
  connectDashboard,
  createTestDatabase,
  type GatewayNode,
  insertChat,
  malformedPayloads,
  nextEvent,
  request,
  signToken,
  startGateway,
  type TestClient,
  type TestDatabase,
  uniquePrefix,
  validRequests,
} from '@care-chat/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** The client events this gateway handles so far; the others arrive with the features that need them. */
const handled: ClientEventName[] = [
  ClientEvent.JoinRoom,
  ClientEvent.LeaveRoom,
  ClientEvent.JoinChat,
  ClientEvent.JoinChatCustomer,
  ClientEvent.LeaveChat,
];

let database: TestDatabase;
let node: GatewayNode;
/** A chat the valid requests can name: joining one needs a chat that exists. */
let chatId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  node = await startGateway(uniquePrefix(), { DATABASE_URL: database.url });
  const db = createPool(database.url, 1);
  chatId = await insertChat(db, 'Partner');
  await db.end();
});

afterEach(closeAllClients);

afterAll(async () => {
  await node?.process.stop();
  await database?.drop();
});

describe.each(handled)('%s', (event) => {
  it('answers every malformed shape with status 0, through the ack, and the socket keeps working', async () => {
    const client = await connectDashboard(node.url, signToken());
    const cases = malformedPayloads(event);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const { name, data } of cases) {
      const answer = await request(client, event, data);
      expect(answer, name).toMatchObject({ status: 0, message: expect.any(String) });
    }
    expect(client.connected).toBe(true);
    const valid =
      'chat_id' in validRequests[event] ? { ...validRequests[event], chat_id: chatId } : validRequests[event];
    expect(await request(client, event, valid)).toMatchObject({ status: 1 });
  });

  it('answers malformed data without an ack as <event>_response', async () => {
    const client = await connectDashboard(node.url, signToken());
    const raw = client as unknown as Socket;
    for (const args of [[], [null], [42], ['text'], [[1, 2]], [{ __proto__: null, chat_id: {} }], [{}, 'extra', 7]]) {
      const answer = nextEvent(client, responseEvent(event));
      raw.emit(event, ...args);
      expect(await answer, JSON.stringify(args)).toMatchObject({ status: 0 });
    }
    expect(client.connected).toBe(true);
  });
});

it('survives events it does not know and payloads larger than the socket limit, one socket at a time', async () => {
  const client: TestClient = await connectDashboard(node.url, signToken());
  const raw = client as unknown as Socket;
  raw.emit('no_such_event', { room: 'PartnerApp' });
  raw.emit('__proto__', {});
  expect(await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' })).toEqual({
    status: 1,
    room: 'PartnerApp',
  });

  const oversized = await connectDashboard(node.url, signToken());
  const closed = new Promise((resolve) => oversized.once('disconnect', resolve));
  (oversized as unknown as Socket).emit(ClientEvent.JoinRoom, { room: 'x'.repeat(128 * 1024) });
  // Engine.IO closes a connection whose message passes maxHttpBufferSize; the node itself carries on.
  expect(await closed).toBeTruthy();
  expect(await request(client, ClientEvent.LeaveRoom, { room: 'PartnerApp' })).toEqual({
    status: 1,
    room: 'PartnerApp',
  });
});

it('refuses NUL in fetch_all_chats search and tag with status 0, and logs no error for them', async () => {
  const client = await connectDashboard(node.url, signToken());
  const linesBefore = node.process.logs.length;
  for (let round = 0; round < 20; round++) {
    for (const [field, value] of [
      ['search', 'ab\u0000c'],
      ['tag', '\u0000'],
    ] as const) {
      expect(await request(client, ClientEvent.FetchAllChats, { [field]: value })).toEqual({
        status: 0,
        message: `${field} has characters that are not allowed`,
      });
    }
  }
  const ERROR = 50;
  expect(node.process.logs.slice(linesBefore).filter((line) => line.level >= ERROR)).toEqual([]);
});

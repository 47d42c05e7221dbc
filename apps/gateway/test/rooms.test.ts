import {
  ClientEvent,
  CUSTOMER_TYPES,
  type CustomerType,
  chatRoom,
  LIMITS,
  type Room,
  redisKeys,
  responseEvent,
  ServerEvent,
  type ServerToClientEvents,
} from '@care-chat/contract';
import { Emitter } from '@care-chat/realtime';
import { createPool } from '@care-chat/store';
import {
  closeAllClients,
  connectDashboard,
  connected,
  createTestDatabase,
  dashboardClient,
  type GatewayNode,
  insertChat,
  nextEvent,
  recordEvents,
  request,
  settle,
  signToken,
  startGateway,
  type TestDatabase,
  uniquePrefix,
  viaEmitter,
} from '@care-chat/testkit';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

const prefix = uniquePrefix();
let database: TestDatabase;
let db: pg.Pool;
let nodeA: GatewayNode;
let nodeB: GatewayNode;
let redis: Redis;
let emitter: Emitter<ServerToClientEvents, Room>;
/** A chat of each type, in the database the gateways read. */
let chats: Record<CustomerType, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  [nodeA, nodeB] = await Promise.all([
    startGateway(prefix, { DATABASE_URL: database.url }),
    startGateway(prefix, { DATABASE_URL: database.url }),
  ]);
  db = createPool(database.url, 2);
  const ids = await Promise.all(CUSTOMER_TYPES.map((type) => insertChat(db, type)));
  chats = Object.fromEntries(CUSTOMER_TYPES.map((type, index) => [type, ids[index]])) as typeof chats;
  redis = new Redis(inject('redisUrl'));
  emitter = new Emitter<ServerToClientEvents, Room>(redis, { prefix: redisKeys(prefix).realtime });
});

afterEach(closeAllClients);

afterAll(async () => {
  await Promise.all([nodeA?.process.stop(), nodeB?.process.stop()]);
  redis?.disconnect();
  await db?.end();
  await database?.drop();
});

describe('join_room', () => {
  it('answers { status: 1, room } through the ack and as join_room_response', async () => {
    const client = await connectDashboard(nodeA.url, signToken());
    const response = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
    expect(await request(client, ClientEvent.JoinRoom, { room: 'SRDPApp' })).toEqual({ status: 1, room: 'SRDPApp' });
    expect(await response).toEqual({ status: 1, room: 'SRDPApp' });
  });

  it('answers an unknown room with { status: 0, message: "Invalid room: X" }, also without an ack', async () => {
    const client = await connectDashboard(nodeA.url, signToken());
    // The `_response` event travels the broadcast stream (to be replayable); the ack goes straight back.
    const first = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
    expect(await request(client, ClientEvent.JoinRoom, { room: 'X' })).toEqual({
      status: 0,
      message: 'Invalid room: X',
    });
    expect(await first).toEqual({ status: 0, message: 'Invalid room: X' });
    const response = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
    client.emit(ClientEvent.JoinRoom, { room: 'chat_1' } as never);
    expect(await response).toEqual({ status: 0, message: 'Invalid room: chat_1' });
  });

  it('refuses the rooms of customer types the token does not allow', async () => {
    const client = await connectDashboard(nodeA.url, signToken({ customer_types: ['Vendor'] }));
    expect(await request(client, ClientEvent.JoinRoom, { room: 'CustomerApp' })).toEqual({
      status: 0,
      message: 'Not allowed to join room: CustomerApp',
    });
    expect(await request(client, ClientEvent.JoinRoom, { room: 'VendorApp' })).toEqual({
      status: 1,
      room: 'VendorApp',
    });
    const seen = recordEvents(client, ['room_update_customer']);
    emitter.to('CustomerApp').emit('room_update_customer', {} as never);
    await settle(viaEmitter(emitter), [client]);
    expect(seen.get('room_update_customer')).toEqual([]);
  });
});

describe('chat rooms', () => {
  it('join_chat answers { status: 1, chat_id } and the client gets what is sent to chat_<id>', async () => {
    const client = await connectDashboard(nodeA.url, signToken());
    expect(await request(client, ClientEvent.JoinChat, { chat_id: chats.Vendor, type: 'Agent' })).toEqual({
      status: 1,
      chat_id: chats.Vendor,
    });
    const typing = nextEvent(client, ServerEvent.UserTyping);
    emitter.to(chatRoom(chats.Vendor)).emit(ServerEvent.UserTyping, { chat_id: chats.Vendor, sender: 'x' });
    expect(await typing).toEqual({ chat_id: chats.Vendor, sender: 'x' });
  });

  it('join_chat_customer answers as join_chat_customer_response and honours customer_types', async () => {
    const client = await connectDashboard(nodeA.url, signToken({ customer_types: ['Partner'] }));
    const response = nextEvent(client, responseEvent(ClientEvent.JoinChatCustomer));
    client.emit(ClientEvent.JoinChatCustomer, { chat_id: chats.Partner, customer_type: 'Partner' });
    expect(await response).toEqual({ status: 1, chat_id: chats.Partner });
    expect(await request(client, ClientEvent.JoinChatCustomer, { chat_id: chats.SRDP, customer_type: 'SRDP' })).toEqual(
      {
        status: 0,
        message: 'Not allowed to see customer type: SRDP',
      },
    );
  });

  it(`is open to ${LIMITS.chatsPerSocket} chats at once per socket, and to another once one is left`, async () => {
    const ids = await Promise.all(Array.from({ length: LIMITS.chatsPerSocket + 1 }, () => insertChat(db, 'Vendor')));
    const client = await connectDashboard(nodeA.url, signToken());
    const [last, ...allowed] = ids.reverse() as [string, ...string[]];
    for (const chat_id of allowed) {
      expect(await request(client, ClientEvent.JoinChat, { chat_id })).toEqual({ status: 1, chat_id });
    }
    expect(await request(client, ClientEvent.JoinChat, { chat_id: last })).toEqual({
      status: 0,
      message: `Too many chats open (${LIMITS.chatsPerSocket}): leave one first`,
    });
    // Joining one it is in already is no new room.
    expect(await request(client, ClientEvent.JoinChat, { chat_id: allowed[0] })).toEqual({
      status: 1,
      chat_id: allowed[0],
    });
    expect(await request(client, ClientEvent.LeaveChat, { chat_id: allowed[0] })).toEqual({ status: 1 });
    expect(await request(client, ClientEvent.JoinChat, { chat_id: last })).toEqual({ status: 1, chat_id: last });
  });

  it('refuses a chat of a type the token does not allow exactly as one that does not exist, and it hears nothing of it', async () => {
    const client = await connectDashboard(nodeA.url, signToken({ customer_types: ['Customer'] }));
    const missing = String(Number(chats.SRDP) + 1000);
    const answers = await Promise.all(
      [chats.Partner, chats.Vendor, missing, '999999999', 'not-a-number'].map((chat_id) =>
        request(client, ClientEvent.JoinChat, { chat_id, type: 'Agent' }),
      ),
    );
    expect(answers).toEqual(
      [chats.Partner, chats.Vendor, missing, '999999999', 'not-a-number'].map((id) => ({
        status: 0,
        message: `Chat not found: ${id}`,
      })),
    );
    // Naming a type it may see does not open a chat of another.
    expect(
      await request(client, ClientEvent.JoinChatCustomer, { chat_id: chats.Partner, customer_type: 'Customer' }),
    ).toEqual({ status: 0, message: `Chat not found: ${chats.Partner}` });
    expect(await request(client, ClientEvent.JoinChat, { chat_id: chats.Customer })).toEqual({
      status: 1,
      chat_id: chats.Customer,
    });

    const seen = recordEvents(client, [ServerEvent.NewMessage, ServerEvent.UserTyping]);
    emitter.to(chatRoom(chats.Partner)).emit(ServerEvent.UserTyping, { chat_id: chats.Partner, sender: 'x' });
    await settle(viaEmitter(emitter), [client]);
    expect(seen.get(ServerEvent.UserTyping)).toEqual([]);
  });

  it('a recovered socket leaves the chats its token, presented again, no longer allows', async () => {
    const auth = { token: signToken() };
    const client = await connected(dashboardClient(nodeA.url, undefined, { auth }));
    for (const chat_id of [chats.Partner, chats.Customer]) await request(client, ClientEvent.JoinChat, { chat_id });
    const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
    auth.token = signToken({ customer_types: ['Customer'] });
    client.io.engine.close();
    await back;
    expect(client.recovered).toBe(true);

    const seen = recordEvents(client, [ServerEvent.UserTyping]);
    for (const chat_id of [chats.Partner, chats.Customer])
      emitter.to(chatRoom(chat_id)).emit(ServerEvent.UserTyping, { chat_id, sender: 'x' });
    await settle(viaEmitter(emitter), [client]);
    expect(seen.get(ServerEvent.UserTyping)).toEqual([{ chat_id: chats.Customer, sender: 'x' }]);
  });

  it('leave_chat answers { status: 1 } and tells the others in the room, on other nodes too', async () => {
    const chat = chats.Partner;
    const leaver = await connectDashboard(nodeB.url, signToken({ sub: 'agent_b' }));
    const stayers = [
      await connectDashboard(nodeA.url, signToken({ sub: 'agent_a' })),
      await connectDashboard(nodeB.url, signToken({ sub: 'agent_c' })),
    ];
    for (const client of [leaver, ...stayers]) await request(client, ClientEvent.JoinChat, { chat_id: chat });
    const leaverSeen = recordEvents(leaver, [ServerEvent.UserLeft]);
    const notices = stayers.map((client) => nextEvent(client, ServerEvent.UserLeft));

    expect(await request(leaver, ClientEvent.LeaveChat, { chat_id: chat })).toEqual({ status: 1 });
    expect(await Promise.all(notices)).toEqual([{ connection_id: leaver.id }, { connection_id: leaver.id }]);

    emitter.to(chatRoom(chat)).emit(ServerEvent.UserTyping, { chat_id: chat, sender: 'agent_a' });
    const leaverTyping = recordEvents(leaver, [ServerEvent.UserTyping]);
    await settle(viaEmitter(emitter), [leaver, ...stayers]);
    expect(leaverSeen.get(ServerEvent.UserLeft)).toEqual([]);
    expect(leaverTyping.get(ServerEvent.UserTyping)).toEqual([]);
  });

  it('typing tells the others in the chat room who is typing from the token, not the typist, and answers { status: 1 }', async () => {
    const chat = chats.SRDP;
    const [typist, reader] = [
      await connectDashboard(nodeA.url, signToken({ sub: 'agent_a' })),
      await connectDashboard(nodeB.url, signToken({ sub: 'agent_b' })),
    ];
    for (const client of [typist, reader]) await request(client, ClientEvent.JoinChat, { chat_id: chat });
    const typistSeen = recordEvents(typist, [ServerEvent.UserTyping]);
    const seen = nextEvent(reader, ServerEvent.UserTyping);
    // The dashboard's own `sender`, or anyone's a client cares to name, is not who is typing.
    expect(await request(typist, ClientEvent.Typing, { chat_id: chat, sender: 'ceo' })).toEqual({ status: 1 });
    expect(await seen).toEqual({ chat_id: chat, sender: 'agent_a' });
    await settle(viaEmitter(emitter), [typist]);
    expect(typistSeen.get(ServerEvent.UserTyping)).toEqual([]);
  });

  it('typing into a chat the socket has not joined is refused, and its room hears nothing', async () => {
    const [outsider, member] = [
      await connectDashboard(nodeA.url, signToken({ customer_types: ['Customer'] })),
      await connectDashboard(nodeB.url, signToken()),
    ];
    await request(member, ClientEvent.JoinChat, { chat_id: chats.Partner });
    const seen = recordEvents(member, [ServerEvent.UserTyping]);
    expect(await request(outsider, ClientEvent.Typing, { chat_id: chats.Partner })).toEqual({
      status: 0,
      message: `Join chat ${chats.Partner} first`,
    });
    await settle(viaEmitter(emitter), [member]);
    expect(seen.get(ServerEvent.UserTyping)).toEqual([]);
  });

  it('leave_chat of a chat the socket is not in answers { status: 1 } and tells nobody', async () => {
    const [outsider, member] = [
      await connectDashboard(nodeA.url, signToken()),
      await connectDashboard(nodeA.url, signToken()),
    ];
    await request(member, ClientEvent.JoinChat, { chat_id: chats.Customer });
    const seen = recordEvents(member, [ServerEvent.UserLeft]);
    expect(await request(outsider, ClientEvent.LeaveChat, { chat_id: chats.Customer })).toEqual({ status: 1 });
    await settle(viaEmitter(emitter), [member]);
    expect(seen.get(ServerEvent.UserLeft)).toEqual([]);
  });
});

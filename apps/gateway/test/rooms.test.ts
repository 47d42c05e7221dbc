import {
  ClientEvent,
  chatRoom,
  type Room,
  redisKeys,
  responseEvent,
  ServerEvent,
  type ServerToClientEvents,
} from '@care-chat/contract';
import { Emitter } from '@care-chat/realtime';
import {
  closeAllClients,
  connectDashboard,
  type GatewayNode,
  nextEvent,
  recordEvents,
  request,
  settle,
  signToken,
  startGateway,
  uniquePrefix,
  viaEmitter,
} from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

const prefix = uniquePrefix();
let nodeA: GatewayNode;
let nodeB: GatewayNode;
let redis: Redis;
let emitter: Emitter<ServerToClientEvents, Room>;

beforeAll(async () => {
  [nodeA, nodeB] = await Promise.all([startGateway(prefix), startGateway(prefix)]);
  redis = new Redis(inject('redisUrl'));
  emitter = new Emitter<ServerToClientEvents, Room>(redis, { prefix: redisKeys(prefix).realtime });
});

afterEach(closeAllClients);

afterAll(async () => {
  await Promise.all([nodeA?.process.stop(), nodeB?.process.stop()]);
  redis?.disconnect();
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
    expect(await request(client, ClientEvent.JoinChat, { chat_id: 'c-42', type: 'Agent' })).toEqual({
      status: 1,
      chat_id: 'c-42',
    });
    const typing = nextEvent(client, ServerEvent.UserTyping);
    emitter.to(chatRoom('c-42')).emit(ServerEvent.UserTyping, { chat_id: 'c-42', sender: 'x' });
    expect(await typing).toEqual({ chat_id: 'c-42', sender: 'x' });
  });

  it('join_chat_customer answers as join_chat_customer_response and honours customer_types', async () => {
    const client = await connectDashboard(nodeA.url, signToken({ customer_types: ['Partner'] }));
    const response = nextEvent(client, responseEvent(ClientEvent.JoinChatCustomer));
    client.emit(ClientEvent.JoinChatCustomer, { chat_id: 'c-7', customer_type: 'Partner' });
    expect(await response).toEqual({ status: 1, chat_id: 'c-7' });
    expect(await request(client, ClientEvent.JoinChatCustomer, { chat_id: 'c-8', customer_type: 'SRDP' })).toEqual({
      status: 0,
      message: 'Not allowed to see customer type: SRDP',
    });
  });

  it('leave_chat answers { status: 1 } and tells the others in the room, on other nodes too', async () => {
    const leaver = await connectDashboard(nodeB.url, signToken({ sub: 'agent_b' }));
    const stayers = [
      await connectDashboard(nodeA.url, signToken({ sub: 'agent_a' })),
      await connectDashboard(nodeB.url, signToken({ sub: 'agent_c' })),
    ];
    for (const client of [leaver, ...stayers]) await request(client, ClientEvent.JoinChat, { chat_id: 'c-9' });
    const leaverSeen = recordEvents(leaver, [ServerEvent.UserLeft]);
    const notices = stayers.map((client) => nextEvent(client, ServerEvent.UserLeft));

    expect(await request(leaver, ClientEvent.LeaveChat, { chat_id: 'c-9' })).toEqual({ status: 1 });
    expect(await Promise.all(notices)).toEqual([{ connection_id: leaver.id }, { connection_id: leaver.id }]);

    emitter.to(chatRoom('c-9')).emit(ServerEvent.UserTyping, { chat_id: 'c-9', sender: 'agent_a' });
    const leaverTyping = recordEvents(leaver, [ServerEvent.UserTyping]);
    await settle(viaEmitter(emitter), [leaver, ...stayers]);
    expect(leaverSeen.get(ServerEvent.UserLeft)).toEqual([]);
    expect(leaverTyping.get(ServerEvent.UserTyping)).toEqual([]);
  });

  it('typing tells the others in the chat room, not the typist, and answers { status: 1 }', async () => {
    const [typist, reader] = [
      await connectDashboard(nodeA.url, signToken()),
      await connectDashboard(nodeB.url, signToken()),
    ];
    for (const client of [typist, reader]) await request(client, ClientEvent.JoinChat, { chat_id: 'c-11' });
    const typistSeen = recordEvents(typist, [ServerEvent.UserTyping]);
    const seen = nextEvent(reader, ServerEvent.UserTyping);
    expect(await request(typist, ClientEvent.Typing, { chat_id: 'c-11', sender: 'agent_a' })).toEqual({ status: 1 });
    expect(await seen).toEqual({ chat_id: 'c-11', sender: 'agent_a' });
    await settle(viaEmitter(emitter), [typist]);
    expect(typistSeen.get(ServerEvent.UserTyping)).toEqual([]);
  });

  it('answers the events it does not carry out yet with status 0, saying so', async () => {
    const client = await connectDashboard(nodeA.url, signToken());
    const message = {
      chat_id: 'c-1',
      sender: 'agent_a',
      type: 'Agent',
      message: 'hi',
      customer_type: 'Partner',
    } as const;
    expect(await request(client, ClientEvent.SendMessage, message)).toEqual({
      status: 0,
      message: 'Not supported yet: send_message',
    });
  });

  it('leave_chat of a chat the socket is not in answers { status: 1 } and tells nobody', async () => {
    const [outsider, member] = [
      await connectDashboard(nodeA.url, signToken()),
      await connectDashboard(nodeA.url, signToken()),
    ];
    await request(member, ClientEvent.JoinChat, { chat_id: 'c-10' });
    const seen = recordEvents(member, [ServerEvent.UserLeft]);
    expect(await request(outsider, ClientEvent.LeaveChat, { chat_id: 'c-10' })).toEqual({ status: 1 });
    await settle(viaEmitter(emitter), [member]);
    expect(seen.get(ServerEvent.UserLeft)).toEqual([]);
  });
});

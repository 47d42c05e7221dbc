import {
  type ChatSummary,
  ClientEvent,
  CUSTOMER_TYPES,
  DASHBOARD_ROOM,
  ROOM_UPDATE_EVENTS,
  type Room,
  type RoomUpdateEvent,
  redisKeys,
  routeOf,
  ServerEvent,
  type ServerToClientEvents,
  type TypeRoom,
} from '@care-chat/contract';
import { Emitter } from '@care-chat/realtime';
import {
  chatSummary,
  closeAllClients,
  connectDashboard,
  type GatewayNode,
  nextEvent,
  recordEvents,
  request,
  settle,
  signToken,
  startGateway,
  type TestClient,
  uniquePrefix,
  viaEmitter,
} from '@care-chat/testkit';
import { Emitter as StockEmitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startInProcessNode } from './in-process-node.js';

const prefix = uniquePrefix();
const token = signToken();
let nodeA: GatewayNode;
let nodeB: GatewayNode;
let nodeC: Awaited<ReturnType<typeof startInProcessNode>>;
let redis: Redis;
let emitter: Emitter<ServerToClientEvents, Room>;

beforeAll(async () => {
  [nodeA, nodeB, nodeC] = await Promise.all([startGateway(prefix), startGateway(prefix), startInProcessNode(prefix)]);
  redis = new Redis(inject('redisUrl'));
  emitter = new Emitter<ServerToClientEvents, Room>(redis, { prefix: redisKeys(prefix).realtime });
});

afterEach(closeAllClients);

afterAll(async () => {
  await Promise.all([nodeA?.process.stop(), nodeB?.process.stop(), nodeC?.close()]);
  redis?.disconnect();
});

async function clientIn(node: GatewayNode, room: TypeRoom | null): Promise<TestClient> {
  const client = await connectDashboard(node.url, token);
  if (room !== null) expect(await request(client, ClientEvent.JoinRoom, { room })).toEqual({ status: 1, room });
  return client;
}

/** Emits a room update from node C, as a gateway handler does. */
function emitFromGateway(room: TypeRoom, event: RoomUpdateEvent, summary: ChatSummary): void {
  (nodeC.io.to(room).emit as (event: string, payload: ChatSummary) => boolean)(event, summary);
}

describe.each(CUSTOMER_TYPES)('a %s chat-list update', (type) => {
  const { room, event } = routeOf(type);

  it('reaches its room on every node, from a gateway and from the emitter, and no other client', async () => {
    const members = [await clientIn(nodeA, room), await clientIn(nodeB, room)];
    const otherRooms = CUSTOMER_TYPES.filter((other) => other !== type).map((other) => routeOf(other).room);
    const outsiders = [
      ...(await Promise.all(otherRooms.map((other) => clientIn(nodeA, other)))),
      await clientIn(nodeB, null),
    ];
    const everyone = [...members, ...outsiders];
    const seen = everyone.map((client) => recordEvents(client, ROOM_UPDATE_EVENTS));

    const fromGateway = chatSummary(type, { version: 1 });
    const gatewayArrivals = members.map((client) => nextEvent(client, event));
    emitFromGateway(room, event, fromGateway);
    expect(await Promise.all(gatewayArrivals)).toEqual([fromGateway, fromGateway]);
    await settle((stats) => nodeC.io.to(DASHBOARD_ROOM).emit(ServerEvent.DashboardStats, stats), everyone);

    const fromEmitter = chatSummary(type, { version: 2, unseen_count: 2 });
    emitter.to(room).emit(event, fromEmitter);
    await settle(viaEmitter(emitter), everyone);

    for (const [index, events] of seen.entries()) {
      const expected = index < members.length ? [fromGateway, fromEmitter] : [];
      expect(events.get(event), `client ${index}`).toEqual(expected);
      for (const other of ROOM_UPDATE_EVENTS.filter((name) => name !== event)) expect(events.get(other)).toEqual([]);
    }
  });

  it('reaches its room on both nodes from the stock @socket.io/redis-emitter, live', async () => {
    const members = [await clientIn(nodeA, room), await clientIn(nodeB, room)];
    const outsider = await clientIn(nodeB, null);
    const seen = [...members, outsider].map((client) => {
      const received: unknown[][] = [];
      client.on(event as never, (...args: unknown[]) => void received.push(args));
      return received;
    });
    const stock = new StockEmitter<ServerToClientEvents>(redis);
    const update = chatSummary(type, { version: 4 });
    stock.to(room).emit(event, update);
    // One publisher's messages arrive in order: the marker follows the update.
    await settle((stats) => stock.to(DASHBOARD_ROOM).emit(ServerEvent.DashboardStats, stats), [...members, outsider]);
    // Never in the stream, it carries the offset of what was delivered before it.
    const offset = expect.stringMatching(/^\d+-\d+$/);
    expect(seen).toEqual([[[update, offset]], [[update, offset]], []]);
  });

  it('stops reaching a client after leave_room', async () => {
    const [leaver, stayer] = [await clientIn(nodeA, room), await clientIn(nodeB, room)];
    const seen = [leaver, stayer].map((client) => recordEvents(client, [event]));
    expect(await request(leaver, ClientEvent.LeaveRoom, { room })).toEqual({ status: 1, room });

    const update = chatSummary(type, { version: 3 });
    emitter.to(room).emit(event, update);
    await settle(viaEmitter(emitter), [leaver, stayer]);

    expect(seen[0]?.get(event)).toEqual([]);
    expect(seen[1]?.get(event)).toEqual([update]);
  });
});

it('puts every socket in the dashboard room, on every node', async () => {
  const clients = [await clientIn(nodeA, null), await clientIn(nodeB, null)];
  await settle(viaEmitter(emitter), clients);
});

describe('broadcasts read from the stream together', () => {
  const [partner, customer] = [routeOf('Partner'), routeOf('Customer')];

  it('reach each socket in stream order, each as its own event with its own offset, over WebSocket and polling', async () => {
    const websocketPartner = await clientIn(nodeA, partner.room);
    const websocketBoth = await clientIn(nodeB, partner.room);
    expect(await request(websocketBoth, ClientEvent.JoinRoom, { room: customer.room })).toEqual({
      status: 1,
      room: customer.room,
    });
    const pollingPartner = await connectDashboard(nodeA.url, token, { transports: ['polling'] });
    await request(pollingPartner, ClientEvent.JoinRoom, { room: partner.room });
    const websocketCustomer = await clientIn(nodeB, customer.room);
    const clients = [websocketPartner, websocketBoth, pollingPartner, websocketCustomer];
    const seen = clients.map((client) => {
      const events: { event: string; version: number; offset: unknown }[] = [];
      (client as unknown as { onAny: (listener: (...args: unknown[]) => void) => void }).onAny((event, ...args) => {
        const payload = args[0] as { version?: number };
        if (typeof payload.version === 'number')
          events.push({ event: String(event), version: payload.version, offset: args.at(-1) });
      });
      return events;
    });

    // One step: every gateway reads the run in one reply and writes it as one run.
    const run = Array.from({ length: 9 }, (_, version) => (version % 3 === 2 ? customer : partner)).map(
      (route, version) => ({ ...route, summary: chatSummary(route === partner ? 'Partner' : 'Customer', { version }) }),
    );
    await emitter.publishOnce(`run-${prefix}`, (group) => {
      for (const { room, event, summary } of run) group.to(room).emit(event, summary);
    });
    await settle(viaEmitter(emitter), clients);

    const expected = (rooms: string[]) =>
      run.filter(({ room }) => rooms.includes(room)).map(({ event, summary }) => ({ event, version: summary.version }));
    const clientRooms = [[partner.room], [partner.room, customer.room], [partner.room], [customer.room]];
    for (const [index, events] of seen.entries()) {
      expect(
        events.map(({ event, version }) => ({ event, version })),
        `client ${index}`,
      ).toEqual(expected(clientRooms[index] ?? []));
      const offsets = events.map(({ offset }) => offset);
      expect(new Set(offsets).size, `client ${index}: one offset per event`).toBe(offsets.length);
      expect(offsets.every((offset) => typeof offset === 'string' && /^\d+-\d+$/.test(offset))).toBe(true);
    }
  });
});

it('keeps no token in a connected socket’s handshake, wherever the token came', async () => {
  const clients = await Promise.all([
    connectDashboard(nodeC.listeningOrigin, token),
    connectDashboard(nodeC.listeningOrigin, undefined, { auth: { token } }),
    connectDashboard(nodeC.listeningOrigin, undefined, { extraHeaders: { authorization: `Bearer ${token}` } }),
  ]);
  const handshakes = clients.map((client) => nodeC.io.of('/').sockets.get(client.id ?? '')?.handshake);
  for (const handshake of handshakes) {
    expect(handshake).toBeDefined();
    expect(JSON.stringify(handshake)).not.toContain(token);
    expect(handshake?.url).toBe('/ws/');
  }
});

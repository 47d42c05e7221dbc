import {
  ClientEvent,
  type CustomerType,
  type DashboardStats,
  type Room,
  redisKeys,
  ServerEvent,
  type ServerToClientEvents,
  STATS_AUDIENCES,
} from '@care-chat/contract';
import { Emitter } from '@care-chat/realtime';
import { createPool } from '@care-chat/store';
import {
  closeAllClients,
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
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

const prefix = uniquePrefix();
let database: TestDatabase;
let node: GatewayNode;
let redis: Redis;
let emitter: Emitter<ServerToClientEvents, Room>;

const counts = (active: number, resolved: number, pending: number) => ({
  active,
  resolved,
  pending,
});
/** What the database below holds, by type. */
const byType = {
  Partner: counts(2, 0, 0),
  Customer: counts(1, 1, 2),
  Vendor: counts(0, 1, 0),
  SRDP: counts(0, 0, 0),
};

beforeAll(async () => {
  database = await createTestDatabase();
  node = await startGateway(prefix, { DATABASE_URL: database.url, STATS_CACHE_MS: '0' });
  const db = createPool(database.url, 2);
  await insertChat(db, 'Partner');
  await insertChat(db, 'Partner');
  await insertChat(db, 'Customer', { tags: ['Awaiting Customer Response'] });
  await insertChat(db, 'Customer', { status: 'pending' });
  await insertChat(db, 'Customer', { status: 'pending' });
  await insertChat(db, 'Customer', { status: 'resolved' });
  await insertChat(db, 'Vendor', { status: 'resolved' });
  await db.end();
  redis = new Redis(inject('redisUrl'));
  emitter = new Emitter<ServerToClientEvents, Room>(redis, { prefix: redisKeys(prefix).realtime });
});

afterEach(closeAllClients);

afterAll(async () => {
  await node?.process.stop();
  redis?.disconnect();
  await database?.drop();
});

/** The counts an executive allowed `types` may see: theirs only. */
function visible(types: CustomerType[]): DashboardStats {
  const own = Object.fromEntries(types.map((type) => [type, byType[type]]));
  const sum = (field: keyof typeof byType.Partner) => types.reduce((total, type) => total + byType[type][field], 0);
  return { ...counts(sum('active'), sum('resolved'), sum('pending')), by_type: own };
}

/** A connected client of `types`, with the counts it was sent on connecting. */
async function executive(types: CustomerType[] | undefined) {
  const token = signToken(types === undefined ? {} : { customer_types: types });
  const client = dashboardClient(node.url, token);
  const onConnect = nextEvent(client, ServerEvent.DashboardStats);
  await connected(client);
  return { client, token, onConnect: await onConnect };
}

describe.each<{ name: string; types: CustomerType[] }>([
  { name: 'Customer only', types: ['Customer'] },
  { name: 'Vendor and Partner', types: ['Vendor', 'Partner'] },
  { name: 'every type', types: ['Partner', 'Customer', 'Vendor', 'SRDP'] },
  { name: 'no type', types: [] },
])('an executive allowed $name', ({ types }) => {
  it('gets the counts of those types only: on connecting, from get_dashboard_stats and from the HTTP route', async () => {
    const { client, token, onConnect } = await executive(types);
    const expected = visible(types);
    expect(onConnect).toEqual(expected);

    const pushed = nextEvent(client, ServerEvent.DashboardStats);
    expect(await request(client, ClientEvent.GetDashboardStats, {})).toEqual({ status: 1, data: expected });
    expect(await pushed).toEqual(expected);

    const answer = await fetch(`${node.url}/api/dashboard/stats`, { headers: { authorization: `Bearer ${token}` } });
    // Read at the top level by the dashboard, with the total it would otherwise add up itself.
    expect(await answer.json()).toEqual({
      status: 1,
      ...expected,
      total: expected.active + expected.resolved + expected.pending,
    });
  });
});

it('a token without the claim sees every type', async () => {
  expect((await executive(undefined)).onConnect).toEqual(visible(['Partner', 'Customer', 'Vendor', 'SRDP']));
});

it('puts each socket in the stats room of its own types, and in no other', async () => {
  const clients = await Promise.all(
    [['Customer'], ['Partner', 'Customer'], undefined].map(
      async (types) => (await executive(types as CustomerType[])).client,
    ),
  );
  const seen = clients.map((client) => recordEvents(client, [ServerEvent.DashboardStats]));
  // `resolved: -1` tells these apart from settle's marker.
  for (const { room, types } of STATS_AUDIENCES) {
    void emitter.to(room).emit(ServerEvent.DashboardStats, { ...visible([...types]), resolved: -1 });
  }
  await settle(viaEmitter(emitter), clients);
  const received = seen.map((events) =>
    (events.get(ServerEvent.DashboardStats) as DashboardStats[])
      .filter((stats) => stats.resolved === -1)
      .map((stats) => Object.keys(stats.by_type)),
  );
  expect(received).toEqual([[['Customer']], [['Partner', 'Customer']], [['Partner', 'Customer', 'Vendor', 'SRDP']]]);
});

import { randomUUID } from 'node:crypto';
import { SOCKET_PATH } from '@care-chat/contract';
import { createPool } from '@care-chat/store';
import {
  closeAllClients,
  connectDashboard,
  createTestDatabase,
  type GatewayNode,
  RandomBalancer,
  signToken,
  startGateway,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import type pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, newAdmin } from './admin-executives.js';

/** What each gateway tells the Admin UI every 2 s (admin-ui's `ServerStats`, the fields read here). */
interface ServerStats {
  serverId: string;
  pid: number;
  clientsCount: number;
  namespaces: { name: string; socketsCount: number }[];
}

let database: TestDatabase;
let db: pg.Pool;
let a: GatewayNode;
let b: GatewayNode;
let off: GatewayNode;
let balancer: RandomBalancer;

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix();
  const env = { DATABASE_URL: database.url };
  const enabled = { ...env, ADMIN_UI_ENABLED: 'true' };
  [a, b, off] = await Promise.all([
    startGateway(prefix, enabled),
    startGateway(prefix, enabled),
    startGateway(prefix, env),
  ]);
  balancer = await RandomBalancer.start([a.port, b.port]);
  db = createPool(database.url, 2);
});

const admins = new Set<Socket>();
afterEach(() => {
  closeAllClients();
  for (const client of admins) client.disconnect();
  admins.clear();
});

afterAll(async () => {
  await balancer?.close();
  await Promise.all([a, b, off].map((node) => node?.process.stop()));
  await db?.end();
  await database?.drop();
});

/** The Admin UI's client, as it connects: `/admin` on the gateway's path, credentials in `auth`. */
function adminClient(url: string, auth: Record<string, unknown>, transports = ['websocket']): Socket {
  const client = io(`${url}/admin`, { path: SOCKET_PATH, auth, transports, forceNew: true, reconnection: false });
  admins.add(client);
  return client;
}

/** The admin client once connected, with the `config` it is sent first; rejects with its `connect_error`. */
function connectAdmin(client: Socket): Promise<{ supportedFeatures: string[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('neither connected nor refused')), 10_000);
    client.once('config', (config) => {
      clearTimeout(timer);
      resolve(config);
    });
    client.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function refusalCode(url: string, auth: Record<string, unknown>): Promise<unknown> {
  const error = await connectAdmin(adminClient(url, auth)).then(
    () => expect.fail('connected'),
    (refusal: Error & { data?: { code?: unknown } }) => refusal,
  );
  return error.data?.code ?? error.message;
}

/** The stats of every server that reports within `timeoutMs`, once `done` says enough were heard. */
function serverStats(client: Socket, done: (byServer: Map<string, ServerStats>) => boolean, timeoutMs = 10_000) {
  return new Promise<Map<string, ServerStats>>((resolve, reject) => {
    const byServer = new Map<string, ServerStats>();
    const timer = setTimeout(() => reject(new Error(`heard only ${[...byServer.keys()].join(', ')}`)), timeoutMs);
    const listener = (stats: ServerStats) => {
      byServer.set(stats.serverId, stats);
      if (!done(byServer)) return;
      clearTimeout(timer);
      client.off('server_stats', listener);
      resolve(byServer);
    };
    client.on('server_stats', listener);
  });
}

describe('the Socket.IO Admin UI', () => {
  it('is absent unless ADMIN_UI_ENABLED: no /admin namespace, no client', async () => {
    const admin = await newAdmin(db);
    expect(await refusalCode(off.url, { username: admin, password: ADMIN_PASSWORD })).toBe('Invalid namespace');
    expect((await fetch(`${off.url}/admin/socket.io/`)).status).toBe(404);
  });

  it('serves its client from the gateway, told the path', async () => {
    const page = await fetch(`${a.url}/admin/socket.io/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Socket.IO Admin UI</title>');
    // Told where Socket.IO answers here, unless the admin set another path before.
    expect(html).toContain(`localStorage.getItem("path")||localStorage.setItem("path","${SOCKET_PATH}")`);
    const script = /src="(js\/app\.[^"]+\.js)"/.exec(html)?.[1];
    expect((await fetch(`${a.url}/admin/socket.io/${script}`)).status).toBe(200);
  });

  it('refuses /admin to anyone but an executive with role admin', async () => {
    const executive = await newAdmin(db, { role: 'executive' });
    const admin = await newAdmin(db);
    expect(await refusalCode(a.url, {})).toBe('wrong_credentials');
    expect(await refusalCode(a.url, { username: admin })).toBe('wrong_credentials');
    expect(await refusalCode(a.url, { username: admin, password: 'wrong password' })).toBe('wrong_credentials');
    expect(await refusalCode(a.url, { username: [admin], password: [ADMIN_PASSWORD] })).toBe('wrong_credentials');
    expect(await refusalCode(a.url, { username: `nobody-${randomUUID()}`, password: ADMIN_PASSWORD })).toBe(
      'wrong_credentials',
    );
    expect(await refusalCode(a.url, { username: executive, password: ADMIN_PASSWORD })).toBe('not_admin');
    // A dashboard token, even an admin's, is not the admin namespace's credential.
    expect(await refusalCode(a.url, { token: signToken({ role: 'admin' }) })).toBe('wrong_credentials');
    // admin-ui's own sessions are not ours: a session id it would have handed out opens nothing.
    expect(await refusalCode(a.url, { sessionId: randomUUID() })).toBe('wrong_credentials');
  });

  it('lets an admin in, read-only and in production mode', async () => {
    const admin = await newAdmin(db);
    const { supportedFeatures } = await connectAdmin(adminClient(a.url, { username: admin, password: ADMIN_PASSWORD }));
    // Neither every packet (ALL_EVENTS) nor any action on the dashboards' sockets (EMIT, JOIN, DISCONNECT…).
    expect(supportedFeatures).toEqual(['AGGREGATED_EVENTS']);
  });

  it("shows every gateway's stats, whichever one the admin is connected to", async () => {
    const admin = await newAdmin(db);
    const client = adminClient(a.url, { username: admin, password: ADMIN_PASSWORD });
    await connectAdmin(client);
    await connectDashboard(b.url, signToken());
    const byServer = await serverStats(
      client,
      (heard) =>
        [...heard.values()].some((stats) => stats.namespaces.some((n) => n.name === '/' && n.socketsCount > 0)) &&
        heard.size === 2,
    );
    expect(new Set([...byServer.values()].map((stats) => stats.pid)).size).toBe(2);
  });

  it('works through the non-sticky balancer over long-polling', async () => {
    const admin = await newAdmin(db);
    const client = adminClient(balancer.url, { username: admin, password: ADMIN_PASSWORD }, ['polling']);
    await connectAdmin(client);
    const byServer = await serverStats(client, (heard) => heard.size === 2);
    expect(byServer.size).toBe(2);
  });
});

import { SOCKET_PATH } from '@care-chat/contract';
import { createPool } from '@care-chat/store';
import {
  createTestDatabase,
  type GatewayNode,
  startGateway,
  TcpSwitch,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import type pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, newAdmin } from './admin-executives.js';

let database: TestDatabase;
let db: pg.Pool;
let relay: TcpSwitch;
let node: GatewayNode;

beforeAll(async () => {
  database = await createTestDatabase();
  relay = await TcpSwitch.start(Number(new URL(database.url).port || 5432));
  node = await startGateway(uniquePrefix(), {
    DATABASE_URL: relay.wrap(database.url),
    ADMIN_UI_ENABLED: 'true',
    QUEUE_UI_ENABLED: 'true',
  });
  db = createPool(database.url, 1);
});

afterAll(async () => {
  await node?.process.stop();
  await relay?.close();
  await db?.end();
  await database?.drop();
});

/** The `connect_error` of an admin client, or an error if it connected. */
function adminRefusal(auth: Record<string, unknown>): Promise<Error & { data?: { code?: string } }> {
  const client = io(`${node.url}/admin`, { path: SOCKET_PATH, auth, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      client.disconnect();
      reject(new Error('connected'));
    });
    client.once('connect_error', (error) => {
      client.disconnect();
      resolve(error);
    });
  });
}

describe('the admin views while PostgreSQL is out of reach', () => {
  it('answer 503 and a refusal that says only that, never the board nor the database error', async () => {
    const admin = await newAdmin(db);
    const authorization = `Basic ${Buffer.from(`${admin}:${ADMIN_PASSWORD}`).toString('base64')}`;
    relay.disconnect();
    try {
      const answer = await fetch(`${node.url}/admin/queues/api/queues`, { headers: { authorization } });
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({
        status: 0,
        error: 'admin_check_failed',
        message: 'The credentials could not be checked now: try again shortly',
      });
      const refusal = await adminRefusal({ username: admin, password: ADMIN_PASSWORD });
      expect(refusal.message).toBe('The credentials could not be checked now: try again shortly');
      expect(refusal.data?.code).toBe('admin_check_failed');
    } finally {
      relay.reconnect();
    }
    expect((await fetch(`${node.url}/admin/queues/api/queues`, { headers: { authorization } })).status).toBe(200);
  });
});

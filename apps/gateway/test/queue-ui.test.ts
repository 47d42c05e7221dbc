import { randomUUID } from 'node:crypto';
import { QueueName, redisKeys } from '@care-chat/contract';
import { createPool, disableExecutive, resetPassword } from '@care-chat/store';
import {
  createTestDatabase,
  type GatewayNode,
  signToken,
  startGateway,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_PASSWORD, newAdmin } from './admin-executives.js';

const PER_ADDRESS = 5;
const BOARD = '/admin/queues';

let database: TestDatabase;
let db: pg.Pool;
let on: GatewayNode;
let off: GatewayNode;
let connection: Redis;
let queue: Queue;

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix();
  const env = {
    DATABASE_URL: database.url,
    // The tests connect from 127.0.0.1, the one proxy: X-Forwarded-For gives each test an address of its own.
    TRUST_PROXY: '1',
    LOGIN_ATTEMPTS_PER_ADDRESS: String(PER_ADDRESS),
    LOGIN_SLOW_AFTER: '100',
  };
  [on, off] = await Promise.all([
    startGateway(prefix, { ...env, QUEUE_UI_ENABLED: 'true' }),
    startGateway(prefix, env),
  ]);
  db = createPool(database.url, 2);
  connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  queue = new Queue(QueueName.Inbound, { connection, prefix: redisKeys(prefix).queues });
});

afterAll(async () => {
  await Promise.all([on?.process.stop(), off?.process.stop()]);
  await queue?.close();
  connection?.disconnect();
  await db?.end();
  await database?.drop();
});

let addresses = 0;
/** A client address no other test uses, so their attempts are counted apart. */
const newAddress = () => `198.51.100.${++addresses}`;

const basic = (username: string, password = ADMIN_PASSWORD) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

function get(node: GatewayNode, path: string, authorization?: string, address = newAddress()) {
  return fetch(`${node.url}${path}`, {
    headers: { 'x-forwarded-for': address, ...(authorization === undefined ? {} : { authorization }) },
  });
}

async function expectRefused(answer: Response, error: string) {
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toBe('Basic realm="care-chat admin", charset="UTF-8"');
  expect(await answer.json()).toMatchObject({ status: 0, error });
}

describe('bull-board at /admin/queues', () => {
  it('is absent unless QUEUE_UI_ENABLED, whoever asks', async () => {
    const admin = await newAdmin(db);
    expect((await get(off, BOARD, basic(admin))).status).toBe(404);
    expect((await get(off, `${BOARD}/api/queues`, basic(admin))).status).toBe(404);
  });

  it('refuses anyone but an admin with 401 and a Basic challenge: the page, its API and its assets', async () => {
    const executive = await newAdmin(db, { role: 'executive' });
    const disabled = await newAdmin(db);
    await disableExecutive(db, disabled);
    const api = `${BOARD}/api/queues`;
    await expectRefused(await get(on, api), 'wrong_credentials');
    await expectRefused(await get(on, api, basic(executive, 'wrong password')), 'wrong_credentials');
    await expectRefused(await get(on, api, basic(`nobody-${randomUUID()}`)), 'wrong_credentials');
    await expectRefused(await get(on, api, basic(disabled)), 'wrong_credentials');
    await expectRefused(await get(on, api, basic(executive)), 'not_admin');
    await expectRefused(await get(on, api, 'Basic !!!'), 'wrong_credentials');
    await expectRefused(await get(on, api, `Bearer ${signToken({ role: 'executive' })}`), 'not_admin');
    const forged = signToken({ role: 'admin' }, { key: 'x'.repeat(32) });
    await expectRefused(await get(on, api, `Bearer ${forged}`), 'wrong_credentials');
    // The page and its assets are behind the same check.
    for (const path of [
      BOARD,
      `${BOARD}/`,
      `${BOARD}/static/favicon-32x32.png`,
      `${BOARD}/queue/${QueueName.Inbound}`,
    ]) {
      await expectRefused(await get(on, path), 'wrong_credentials');
      await expectRefused(await get(on, path, basic(executive)), 'not_admin');
    }
  });

  it('shows an admin the board, whose API lists the inbound queue and its jobs, read-only', async () => {
    const admin = await newAdmin(db);
    await queue.add('message', { kind: 'test' } as never, { jobId: `board-${randomUUID()}` });
    const page = await get(on, BOARD, basic(admin.toUpperCase()));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('care-chat queues');
    const asset = await get(on, `${BOARD}/static/favicon-32x32.png`, basic(admin));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('image/png');

    const api = await get(on, `${BOARD}/api/queues`, basic(admin));
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    };
    expect(queues.map((listed) => listed.name)).toEqual([QueueName.Inbound, QueueName.Outbound]);
    expect(queues.every((listed) => listed.readOnlyMode)).toBe(true);
    expect(queues[0]?.counts.waiting).toBeGreaterThanOrEqual(1);

    // Read-only: no job is added by hand.
    const added = await fetch(`${on.url}${BOARD}/api/queues/${QueueName.Inbound}/add`, {
      method: 'POST',
      headers: { authorization: basic(admin), 'content-type': 'application/json', 'x-forwarded-for': newAddress() },
      body: JSON.stringify({ name: 'forged', data: {} }),
    });
    expect(added.status).toBe(405);
    expect(await queue.getWaitingCount()).toBe(queues[0]?.counts.waiting);
  });

  it('takes the Bearer access token of an admin', async () => {
    const answer = await get(on, `${BOARD}/api/queues`, `Bearer ${signToken({ role: 'admin' })}`);
    expect(answer.status).toBe(200);
  });

  it("counts wrong passwords against the login's allowance, not an admin's every request", async () => {
    const admin = await newAdmin(db);
    const address = newAddress();
    // The board asks many times a minute: a verified pair is not an attempt.
    for (let i = 0; i < PER_ADDRESS * 2; i++) {
      expect((await get(on, `${BOARD}/api/queues`, basic(admin), address)).status).toBe(200);
    }
    for (let i = 0; i < PER_ADDRESS - 1; i++) {
      await expectRefused(await get(on, BOARD, basic(admin, `guess ${i}`), address), 'wrong_credentials');
    }
    const refused = await get(on, BOARD, basic(admin, 'one guess too many'), address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 0, error: 'too_many_attempts' });
  });

  it('refuses a verified admin at once once disabled, or once the password is reset', async () => {
    const [disabled, reset] = [await newAdmin(db), await newAdmin(db)];
    for (const admin of [disabled, reset]) expect((await get(on, BOARD, basic(admin))).status).toBe(200);
    await disableExecutive(db, disabled);
    await resetPassword(db, reset, 'another long password');
    await expectRefused(await get(on, BOARD, basic(disabled)), 'wrong_credentials');
    await expectRefused(await get(on, BOARD, basic(reset)), 'wrong_credentials');
    expect((await get(on, BOARD, basic(reset, 'another long password'))).status).toBe(200);
  });
});

import {
  createTestDatabase,
  type GatewayNode,
  insertChat,
  signToken,
  startGateway,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVICE_TOKEN = 'service-token-for-tests-only-0123456789abcdef';
const executive = signToken();
const partnerOnly = signToken({ customer_types: ['Partner'] });

let database: TestDatabase;
let db: pg.Pool;
let gateway: GatewayNode;
let withoutTokens: GatewayNode;

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix();
  [gateway, withoutTokens] = await Promise.all([
    startGateway(prefix, {
      DATABASE_URL: database.url,
      SERVICE_TOKENS: `old-token-still-accepted-0123456789abc,${SERVICE_TOKEN}`,
    }),
    startGateway(prefix, { DATABASE_URL: database.url }),
  ]);
  db = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await Promise.all([gateway?.process.stop(), withoutTokens?.process.stop()]);
  await db?.end();
  await database?.drop();
});

/** A customer with a chat of `type`, and their number. */
async function customerOf(type: 'Partner' | 'Customer'): Promise<string> {
  const chatId = await insertChat(db, type);
  const { rows } = await db.query<{ customer: string }>('SELECT customer FROM chats WHERE id = $1', [chatId]);
  return (rows[0] as { customer: string }).customer;
}

const put = (customer: string, what: string, body: unknown, token = SERVICE_TOKEN, node = gateway) =>
  fetch(`${node.url}/api/customers/${customer}/${what}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const read = async (customer: string, what: 'context-history' | 'rides', token = executive) => {
  const answer = await fetch(`${gateway.url}/api/chats/${customer}/${what}`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  expect(answer.status).toBe(200);
  return answer.json();
};

const stored = async (customer: string) =>
  (await db.query('SELECT * FROM customer_records WHERE customer = $1', [customer])).rows;

const items = [
  {
    id: 7,
    status: 'active',
    createdAt: '2026-01-05 10:00',
    chatCount: 3,
    context: { dco_status: 'Active', city: 'Pune' },
  },
  { id: 'c-6', status: 'resolved', createdAt: '2026-01-01 09:00', context: { issue: 'refund', amount: 120 } },
];
const rides = {
  rides: [
    { id: 91, type: 'Outstation', route: 'Pune → Mumbai', date: '2026-02-01', status: 'upcoming' },
    { id: 90, type: 'Local', route: 'Pune', date: '2026-01-01', status: 'completed' },
  ],
  searchHistory: [{ from: 'Pune', to: 'Goa', date: '2026-01-20' }],
};

describe('what other company systems write', () => {
  it('is read back by an executive, as written, and empty where nothing was', async () => {
    const customer = await customerOf('Partner');
    expect(await read(customer, 'context-history')).toEqual({ status: 1, items: [] });
    expect(await read(customer, 'rides')).toEqual({ status: 1, rides: [], searchHistory: [] });

    expect((await put(customer, 'context-history', { items })).status).toBe(200);
    expect((await put(customer, 'rides', rides)).status).toBe(200);
    expect(await (await put(customer, 'details', { dco_id: 'D-1', driver_name: 'Asha' })).json()).toEqual({
      status: 1,
    });
    expect(await read(customer, 'context-history')).toEqual({ status: 1, items });
    expect(await read(customer, 'rides')).toEqual({ status: 1, ...rides });
    expect((await stored(customer))[0]?.details).toEqual({ dco_id: 'D-1', driver_name: 'Asha' });

    // Each call replaces what it names and keeps the rest.
    await put(customer, 'context-history', { items: [] });
    expect(await read(customer, 'context-history')).toEqual({ status: 1, items: [] });
    expect(await read(customer, 'rides')).toEqual({ status: 1, ...rides });
  });

  it('is read only by executives who may see a chat of the customer: others get the empty answer', async () => {
    const customer = await customerOf('Customer');
    await put(customer, 'rides', rides);
    expect(await read(customer, 'rides', partnerOnly)).toEqual({ status: 1, rides: [], searchHistory: [] });
    expect(await read(customer, 'rides')).toEqual({ status: 1, ...rides });
    // A number with a record and no chat at all reads the same as one never heard of.
    await put('919999000001', 'rides', rides);
    expect(await read('919999000001', 'rides')).toEqual({ status: 1, rides: [], searchHistory: [] });
  });

  it('takes a service token: an executive, no token or a wrong one get 401 and write nothing', async () => {
    const customer = await customerOf('Partner');
    for (const token of [executive, '', 'x'.repeat(SERVICE_TOKEN.length)]) {
      const answer = await put(customer, 'details', { dco_id: 'D-2' }, token);
      expect(answer.status).toBe(401);
    }
    expect(await stored(customer)).toEqual([]);
    expect((await put(customer, 'details', { a: 1 }, 'old-token-still-accepted-0123456789abc')).status).toBe(200);
  });

  it('is absent without SERVICE_TOKENS', async () => {
    const customer = await customerOf('Partner');
    expect((await put(customer, 'details', { a: 1 }, SERVICE_TOKEN, withoutTokens)).status).toBe(404);
  });

  it('refuses executives reading without a token', async () => {
    const answer = await fetch(`${gateway.url}/api/chats/919800000001/rides`);
    expect(answer.status).toBe(401);
  });

  let deep: unknown = { leaf: 1 };
  for (let level = 0; level < 10; level += 1) deep = { deeper: deep };

  it.each([
    ['not JSON', 'details', '{"dco_id":', 400],
    ['an array', 'details', [1, 2], 400],
    ['null', 'details', 'null', 400],
    ['nested too deep', 'details', deep, 400],
    ['oversized', 'details', { blob: 'x'.repeat(300 * 1024) }, 413],
    ['a prototype key', 'details', '{"__proto__":{"admin":true}}', 400],
    ['items not a list', 'context-history', { items: {} }, 400],
    ['an item without its context object', 'context-history', { items: [{ id: 1, status: 'active' }] }, 400],
    ['a context value that is an object', 'context-history', { items: [{ context: { a: { b: 1 } } }] }, 400],
    ['rides without searchHistory', 'rides', { rides: rides.rides }, 400],
    ['a ride without a status', 'rides', { rides: [{ id: 1 }], searchHistory: [] }, 400],
    ['a search without from', 'rides', { rides: [], searchHistory: [{ to: 'Goa' }] }, 400],
  ])('refuses a body that is %s, writing nothing', async (_name, what, body, status) => {
    const customer = await customerOf('Partner');
    const answer = await put(customer, what, body);
    expect(answer.status).toBe(status);
    expect(await stored(customer)).toEqual([]);
  });

  it('refuses a customer that is not a WhatsApp number', async () => {
    expect((await put('91-98', 'details', { a: 1 })).status).toBe(400);
  });
});

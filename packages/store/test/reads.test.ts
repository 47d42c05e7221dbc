import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addExecutive,
  type ChatListQuery,
  createPool,
  customerWindows,
  dashboardStats,
  findChatByCustomer,
  type InboundMessageRecord,
  ingestInboundMessage,
  listChats,
  migrate,
  readHistory,
} from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 4);
  await migrate(pool, createLogger('reads-test', 'silent'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

let serial = 0;
const SECOND = 1_767_225_600;
function record(customer: string, overrides: Partial<InboundMessageRecord> = {}): InboundMessageRecord {
  serial += 1;
  return {
    wamid: `wamid.reads-${serial}`,
    customer,
    wa_id: customer,
    user_id: null,
    name: null,
    username: null,
    business_number_id: '1001',
    customer_type: 'Partner',
    timestamp: String(SECOND),
    arrival: null,
    kind: 'text',
    body: `message ${serial}`,
    message_tag: null,
    media_type: null,
    media: null,
    raw: {},
    ...overrides,
  };
}

const history = async (chatId: string, executiveId = 'agent_1') => {
  const read = await readHistory(pool, {
    chatId,
    executiveId,
    customerTypes: ['Partner', 'Customer'],
    page: 1,
    pageSize: 100,
  });
  if (!read.found) throw new Error('chat not found');
  return read.messages;
};

describe('message times', () => {
  it('are unique within a chat and keep the order received, whatever order they are stored in', async () => {
    const customer = '919811100001';
    // Received 1..6 within one WhatsApp second, stored in this order by concurrent jobs.
    for (const arrival of [3, 1, 5, 2, 6, 4]) {
      await ingestInboundMessage(pool, record(customer, { arrival, body: `received ${arrival}` }));
    }
    const messages = (await history((await findChatByCustomer(pool, customer, ['Partner'], 'a'))?.chat_id ?? ''))
      .map((m) => ({ body: m.message, at: m.datetime }))
      .reverse();
    expect(messages.map((m) => m.body)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `received ${n}`));
    const times = messages.map((m) => m.at);
    expect(new Set(times).size).toBe(6);
    expect(times).toEqual([...times].sort());
    for (const time of times) expect(time.startsWith('2026-01-01T00:00:00.')).toBe(true);
  });

  it('stay unique when they are concurrent, and when a second runs out of milliseconds', async () => {
    const customer = '919811100002';
    await Promise.all(
      Array.from({ length: 40 }, (_, index) => ingestInboundMessage(pool, record(customer, { arrival: 100 + index }))),
    );
    // Messages of jobs queued before arrivals existed come after those of their second.
    for (let index = 0; index < 3; index += 1) await ingestInboundMessage(pool, record(customer));
    const chat = await findChatByCustomer(pool, customer, ['Partner'], 'a');
    const messages = (await history(chat?.chat_id ?? '')).reverse();
    expect(messages).toHaveLength(43);
    expect(new Set(messages.map((m) => m.datetime)).size).toBe(43);
    const arrivalsLast = messages.slice(-3).map((m) => m.message);
    expect(arrivalsLast).toEqual(arrivalsLast.toSorted((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1])));
    const crowded = '919811100003';
    const first = await ingestInboundMessage(pool, record(crowded));
    await pool.query(
      `INSERT INTO messages (chat_id, sender, sender_type, kind, body, sent_at, delivery_status, delivery_rank)
       SELECT $1, 'agent', 'Executive', 'text', 'x', to_timestamp($2) + n * interval '1 millisecond', 'sent', 2
         FROM generate_series(0, 999) n WHERE to_timestamp($2) + n * interval '1 millisecond' <> $3::timestamptz`,
      [first.message.chat_id, SECOND, first.message.datetime],
    );
    const overflow = await ingestInboundMessage(pool, record(crowded, { arrival: 1 }));
    expect(overflow.message.datetime).toBe('2026-01-01T00:00:01.000Z');
  });
});

describe('the chat list', () => {
  it('counts the Active and Pending tabs, filters on status and dco_status, and names the executive', async () => {
    const executive = await addExecutive(pool, {
      username: 'reads-priya',
      name: 'Priya',
      agentNumber: '919800000900',
      role: 'executive',
      customerTypes: ['Partner'],
      password: 'correct horse battery',
    });
    const customers = ['919822200001', '919822200002', '919822200003', '919822200004'];
    const ids: string[] = [];
    for (const [index, customer] of customers.entries()) {
      const { chat } = await ingestInboundMessage(
        pool,
        record(customer, { timestamp: String(SECOND + 100 + index), business_number_id: '2001' }),
      );
      ids.push(chat.chat_id);
    }
    await pool.query(`UPDATE chats SET status = 'pending' WHERE id = $1`, [ids[1]]);
    await pool.query(`UPDATE chats SET status = 'resolved' WHERE id = $1`, [ids[2]]);
    await pool.query('UPDATE chats SET assigned_executive_id = $2, rating = 4 WHERE id = $1', [
      ids[3],
      String(executive),
    ]);
    await pool.query(
      `INSERT INTO customer_records (customer, details) VALUES ($1, '{"dco_status":"Suspend","dco_id":"D1"}'),
       ($2, '{"dco_status":"Active_Approved"}')`,
      [customers[0], customers[1]],
    );
    const list = (extra: Partial<ChatListQuery>) =>
      listChats(pool, {
        customerTypes: ['Partner'],
        search: '9198222',
        reader: 'agent_1',
        page: 1,
        pageSize: 10,
        ...extra,
      });

    const active = await list({ status: 'active' });
    expect(active.chats.map((c) => c.chat_id)).toEqual([ids[3], ids[0]]);
    expect(active.pagination).toEqual({
      page: 1,
      page_size: 10,
      total: 2,
      total_pages: 1,
      total_active: 2,
      total_pending: 1,
    });
    expect(active.chats[0]).toMatchObject({
      assigned_executive_id: String(executive),
      assigned_executive_name: 'Priya',
      rating: 4,
      customer_details: null,
      last_msg_by: 'Customer',
      unseen_count: 1,
    });
    expect(active.chats[1]).toMatchObject({
      assigned_executive_name: null,
      rating: null,
      customer_details: { dco_status: 'Suspend', dco_id: 'D1' },
    });
    expect(active.chats[1]?.last_incoming_message_time).toBe(active.chats[1]?.last_incoming_message);

    const pending = await list({ status: 'pending' });
    expect(pending.chats.map((c) => [c.chat_id, c.status, c.is_resolved])).toEqual([[ids[1], 'pending', false]]);
    const suspended = await list({ userStatus: 'Suspend' });
    expect(suspended.chats.map((c) => c.chat_id)).toEqual([ids[0]]);
    expect(suspended.pagination).toMatchObject({ total: 1, total_active: 1, total_pending: 0 });
    expect((await list({ userStatus: 'InJourney' })).chats).toEqual([]);

    const stats = await dashboardStats(pool);
    expect(stats.by_type.Partner).toMatchObject({ pending: expect.any(Number) });
    expect(stats.pending).toBeGreaterThanOrEqual(1);
  });

  it('counts unseen messages per reader: reading clears only the reader’s own', async () => {
    const customer = '919833300001';
    await ingestInboundMessage(pool, record(customer, { timestamp: String(SECOND + 1) }));
    const { chat } = await ingestInboundMessage(pool, record(customer, { timestamp: String(SECOND + 2) }));
    expect(chat.unseen_count).toBe(2);
    const unseen = async (reader: string) =>
      (await findChatByCustomer(pool, customer, ['Partner'], reader))?.unseen_count;
    await history(chat.chat_id, 'agent_a');
    expect([await unseen('agent_a'), await unseen('agent_b')]).toEqual([0, 2]);
    // The chat's own count, for the room: since an executive last read it.
    const { chat: after } = await ingestInboundMessage(pool, record(customer, { timestamp: String(SECOND + 3) }));
    expect(after.unseen_count).toBe(1);
  });
});

describe('search and the WhatsApp window', () => {
  it('finds a chat by its full number or its last 10 digits, within the types asked', async () => {
    const customer = '919844400001';
    const partner = await ingestInboundMessage(pool, record(customer, { business_number_id: '3001' }));
    const inCustomer = await ingestInboundMessage(
      pool,
      record(customer, { business_number_id: '3002', customer_type: 'Customer', timestamp: String(SECOND + 5) }),
    );
    expect((await findChatByCustomer(pool, '9844400001', ['Partner'], 'a'))?.chat_id).toBe(partner.chat.chat_id);
    expect((await findChatByCustomer(pool, customer, ['Partner'], 'a'))?.chat_id).toBe(partner.chat.chat_id);
    expect((await findChatByCustomer(pool, '9844400001', ['Customer'], 'a'))?.chat_id).toBe(inCustomer.chat.chat_id);
    expect(await findChatByCustomer(pool, '9844400001', ['Vendor'], 'a')).toBeNull();
    expect(await findChatByCustomer(pool, '844400001', ['Partner'], 'a')).toBeNull();
  });

  it('is open for 24 hours after the customer last wrote', async () => {
    const customer = '919855500001';
    const now = Math.floor(Date.now() / 1000);
    const recent = await ingestInboundMessage(pool, record(customer, { timestamp: String(now - 3600) }));
    const old = await ingestInboundMessage(
      pool,
      record(customer, { business_number_id: '4002', customer_type: 'Customer', timestamp: String(now - 25 * 3600) }),
    );
    const both = await customerWindows(pool, customer, ['Partner', 'Customer']);
    expect(both).toEqual({
      chatId: recent.chat.chat_id,
      open: [{ chat_id: recent.chat.chat_id, customer_type: 'Partner', closes_at: expect.any(String) }],
    });
    expect(Date.parse(both?.open[0]?.closes_at ?? '')).toBeGreaterThan(Date.now() + 22 * 3600_000);
    expect(await customerWindows(pool, customer, ['Customer'])).toEqual({ chatId: old.chat.chat_id, open: [] });
    expect(await customerWindows(pool, customer, ['Vendor'])).toBeNull();
  });
});

import { readdir } from 'node:fs/promises';
import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, startNode, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMessageStatus,
  createPool,
  findChatByCustomer,
  type InboundMessageRecord,
  ingestInboundMessage,
  listChats,
  migrate,
  readHistory,
} from '../src/index.js';

const log = createLogger('store-test', 'silent');
let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 4);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

let serial = 0;
function record(overrides: Partial<InboundMessageRecord> = {}): InboundMessageRecord {
  serial += 1;
  return {
    wamid: `wamid.store-${serial}`,
    customer: '919800000001',
    wa_id: '919800000001',
    user_id: null,
    name: 'Rahul',
    username: null,
    business_number_id: '1001',
    customer_type: 'Partner',
    timestamp: String(1_767_225_600 + serial),
    arrival: null,
    kind: 'text',
    body: `message ${serial}`,
    message_tag: null,
    media_type: null,
    media: null,
    raw: { id: `wamid.store-${serial}` },
    ...overrides,
  };
}

describe('migrate', () => {
  it('applies every migration once, also when replicas start together', async () => {
    const second = createPool(database.url, 1);
    try {
      const [a, b] = await Promise.all([migrate(pool, log), migrate(second, log)]);
      const files = (await readdir(new URL('../migrations/', import.meta.url))).filter((f) => f.endsWith('.sql'));
      expect(files.length).toBeGreaterThanOrEqual(5);
      expect([...a, ...b].sort()).toEqual(files.sort());
      expect(await migrate(pool, log)).toEqual([]);
    } finally {
      await second.end();
    }
  });
});

describe('ingestInboundMessage', () => {
  it('stores a message once: a repeat changes nothing and says so', async () => {
    const first = record({ customer: '919800000101', wa_id: '919800000101' });
    const stored = await ingestInboundMessage(pool, first);
    expect(stored).toMatchObject({ inserted: true, chat: { unseen_count: 1, version: 1, last_message: first.body } });
    const again = await ingestInboundMessage(pool, first);
    expect(again.inserted).toBe(false);
    expect(again.chat).toEqual(stored.chat);
    expect(again.message.message_id).toBe(stored.message.message_id);
  });

  it('keeps the newest message as the preview when an older one arrives late', async () => {
    const customer = { customer: '919800000102', wa_id: '919800000102' };
    const newer = record({ ...customer, timestamp: '1767225700', body: 'newer' });
    const older = record({ ...customer, timestamp: '1767225600', body: 'older' });
    await ingestInboundMessage(pool, newer);
    const { chat } = await ingestInboundMessage(pool, older);
    expect(chat).toMatchObject({ last_message: 'newer', unseen_count: 2, version: 2 });
    // The first message of a second takes its middle: room for one received before it but stored later.
    expect(chat.last_message_time).toBe('2026-01-01T00:01:40.500Z');
  });

  it('keeps a user without a visible phone number under their business-scoped id', async () => {
    const { chat } = await ingestInboundMessage(
      pool,
      record({ customer: 'US.13491208655302741918', wa_id: null, user_id: 'US.13491208655302741918', name: null }),
    );
    expect(chat).toMatchObject({ customer: 'US.13491208655302741918', customer_name: null });
  });

  it('drops NUL characters, which PostgreSQL cannot hold, instead of failing the message', async () => {
    const { message } = await ingestInboundMessage(pool, record({ body: 'a\u0000b', raw: { text: 'c\u0000d' } }));
    expect(message.message).toBe('ab');
  });

  it('stores half a surrogate pair, which jsonb refuses, as U+FFFD, in values and in keys', async () => {
    const stored = await ingestInboundMessage(
      pool,
      record({
        customer: '919800000104',
        wa_id: '919800000104',
        name: 'R\udc00',
        body: 'x\ud800y',
        raw: { text: { body: 'x\ud800y' }, 'k\ud800': 1, 'n\u0000': 'v', list: ['\udfff'] },
      }),
    );
    expect(stored.message.message).toBe('x\ufffdy');
    expect(stored.chat).toMatchObject({ customer_name: 'R\ufffd', last_message: 'x\ufffdy' });
    const { rows } = await pool.query('SELECT raw FROM messages WHERE wamid = $1', [stored.message.wamid]);
    expect(rows[0]?.raw).toMatchObject({ text: { body: 'x\ufffdy' }, 'k\ufffd': 1, n: 'v', list: ['\ufffd'] });
  });
});

// The years 33658 and 10000, as the gateway let them through before it bounded times.
describe('times PostgreSQL holds and JavaScript cannot read', () => {
  it.each([
    { timestamp: '999999999999', customer: '919800000130' },
    { timestamp: '253402300800', customer: '919800000131' },
  ])('break no read of the list, the search or the history (unix $timestamp)', async ({ timestamp, customer }) => {
    const { chat, message } = await ingestInboundMessage(pool, record({ customer, wa_id: customer, timestamp }));
    expect(chat).toMatchObject({ last_message_time: null, last_incoming_message: null });
    expect(message.datetime).toMatch(/^20\d\d-/);
    await pool.query('UPDATE chats SET last_outgoing_message = $2 WHERE id = $1', [chat.chat_id, 'infinity']);
    const list = await listChats(pool, {
      customerTypes: ['Partner'],
      search: customer,
      reader: 'agent_1',
      page: 1,
      pageSize: 10,
    });
    expect(list.chats).toMatchObject([{ chat_id: chat.chat_id, last_message_time: null, last_outgoing_message: null }]);
    expect(await findChatByCustomer(pool, customer, ['Partner'], 'agent_1')).toMatchObject({ chat_id: chat.chat_id });
    const history = await readHistory(pool, {
      chatId: chat.chat_id,
      executiveId: 'agent_1',
      customerTypes: ['Partner'],
      page: 1,
      pageSize: 10,
    });
    expect(history).toMatchObject({ found: true, messages: [{ message_id: message.message_id }] });
  });
});

describe('applyMessageStatus', () => {
  /** A business message in a chat of its own, as the sending path writes it: queued. */
  async function businessMessage(customer: string) {
    const { message } = await ingestInboundMessage(pool, record({ customer, wa_id: customer }));
    const wamid = `wamid.outbound-${customer}`;
    await pool.query(
      `INSERT INTO messages (chat_id, wamid, sender, sender_type, kind, body, sent_at, delivery_status, delivery_rank)
       VALUES ($1, $2, 'agent_1', 'Executive', 'text', 'On our way', now(), 'queued', 1)`,
      [message.chat_id, wamid],
    );
    return { wamid, chatId: message.chat_id, inbound: message };
  }
  type Reported = 'sent' | 'delivered' | 'read' | 'failed';
  const status = (wamid: string, kind: Reported) => ({
    wamid,
    status: kind,
    timestamp: '1767225800',
    error: kind === 'failed' ? { code: 131047, title: 'Re-engagement message' } : null,
  });

  it('moves forward only, and again only when asked', async () => {
    const { wamid, chatId } = await businessMessage('919800000103');
    expect(await applyMessageStatus(pool, status(wamid, 'read'))).toMatchObject({ status: 'read', chat_id: chatId });
    expect(await applyMessageStatus(pool, status(wamid, 'delivered'))).toBeNull();
    expect(await applyMessageStatus(pool, status(wamid, 'read'))).toBeNull();
    expect(await applyMessageStatus(pool, status(wamid, 'read'), { again: true })).toMatchObject({ status: 'read' });
    expect(await applyMessageStatus(pool, status('wamid.unknown', 'sent'))).toBeNull();
  });

  it('never applies to a message the customer sent', async () => {
    const { inbound } = await businessMessage('919800000105');
    for (const kind of ['sent', 'delivered', 'read', 'failed'] as const) {
      expect(await applyMessageStatus(pool, status(inbound.wamid ?? '', kind)), kind).toBeNull();
    }
    const { rows } = await pool.query('SELECT delivery_status, delivery_error FROM messages WHERE wamid = $1', [
      inbound.wamid,
    ]);
    expect(rows).toEqual([{ delivery_status: 'received', delivery_error: null }]);
  });

  it.each([
    { reached: 'delivered', customer: '919800000110' },
    { reached: 'read', customer: '919800000111' },
  ] as const)('keeps $reached when failed comes after it', async ({ reached, customer }) => {
    const { wamid } = await businessMessage(customer);
    expect(await applyMessageStatus(pool, status(wamid, reached))).toMatchObject({ status: reached });
    expect(await applyMessageStatus(pool, status(wamid, 'failed'))).toBeNull();
    const { rows } = await pool.query('SELECT delivery_status, delivery_error FROM messages WHERE wamid = $1', [wamid]);
    expect(rows).toEqual([{ delivery_status: reached, delivery_error: null }]);
  });

  it('takes failed after sent, and delivered after failed (the message did arrive)', async () => {
    const { wamid } = await businessMessage('919800000120');
    expect(await applyMessageStatus(pool, status(wamid, 'sent'))).toMatchObject({ status: 'sent' });
    expect(await applyMessageStatus(pool, status(wamid, 'failed'))).toMatchObject({
      status: 'failed',
      error: { code: 131047 },
    });
    expect(await applyMessageStatus(pool, status(wamid, 'sent'))).toBeNull();
    expect(await applyMessageStatus(pool, status(wamid, 'delivered'))).toMatchObject({ status: 'delivered' });
  });

  it('renumbers ranks stored in the old order (migration 003), so failed after read changes nothing there too', async () => {
    const { wamid } = await businessMessage('919800000122');
    // The old order ranked read 4 and failed 5.
    await pool.query("UPDATE messages SET delivery_status = 'read', delivery_rank = 4 WHERE wamid = $1", [wamid]);
    await pool.query("DELETE FROM schema_migrations WHERE name = '003_delivery_order.sql'");
    expect(await migrate(pool, log)).toEqual(['003_delivery_order.sql']);
    expect(await applyMessageStatus(pool, status(wamid, 'failed'))).toBeNull();
    expect(await applyMessageStatus(pool, status(wamid, 'read'), { again: true })).toMatchObject({ status: 'read' });
  });

  it('stores an error whose text jsonb refuses (half a surrogate pair, NUL) instead of failing', async () => {
    const { wamid } = await businessMessage('919800000121');
    const broken = { ...status(wamid, 'failed'), error: { code: 1, title: 'x\ud800\u0000y' } };
    expect(await applyMessageStatus(pool, broken)).toMatchObject({ status: 'failed' });
    const { rows } = await pool.query('SELECT delivery_error FROM messages WHERE wamid = $1', [wamid]);
    expect(rows).toEqual([{ delivery_error: { code: 1, title: 'x\ufffdy' } }]);
  });
});

describe('npm run migrate', () => {
  it('brings a new database up to date and exits 0, then finds nothing to do', async () => {
    const fresh = await createTestDatabase();
    try {
      const run = async () => {
        const child = startNode('packages/store/dist/migrate-cli.js', { DATABASE_URL: fresh.url });
        return { code: await child.exited, messages: child.logs.map((line) => line.msg) };
      };
      expect(await run()).toEqual({ code: 0, messages: expect.arrayContaining(['database migrated']) });
      expect(await run()).toEqual({ code: 0, messages: ['database already up to date'] });
    } finally {
      await fresh.drop();
    }
  });
});

import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, startNode, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMessageStatus,
  createPool,
  type InboundMessageRecord,
  ingestInboundMessage,
  migrate,
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
      expect([...a, ...b].sort()).toEqual(['001_chats.sql', '002_ingest_function.sql']);
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
    expect(stored).toMatchObject({ inserted: true, chat: { unread_count: 1, version: 1, last_message: first.body } });
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
    expect(chat).toMatchObject({ last_message: 'newer', unread_count: 2, version: 2 });
    expect(chat.last_message_time).toBe('2026-01-01T00:01:40.000Z');
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
});

describe('applyMessageStatus', () => {
  it('moves forward only, and again only when asked', async () => {
    const { message } = await ingestInboundMessage(pool, record({ customer: '919800000103', wa_id: '919800000103' }));
    const wamid = message.wamid ?? '';
    const at = (status: 'sent' | 'delivered' | 'read') => ({ wamid, status, timestamp: '1767225800', error: null });
    expect(await applyMessageStatus(pool, at('read'))).toMatchObject({ status: 'read', chat_id: message.chat_id });
    expect(await applyMessageStatus(pool, at('delivered'))).toBeNull();
    expect(await applyMessageStatus(pool, at('read'))).toBeNull();
    expect(await applyMessageStatus(pool, at('read'), { again: true })).toMatchObject({ status: 'read' });
    expect(await applyMessageStatus(pool, { ...at('sent'), wamid: 'wamid.unknown' })).toBeNull();
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

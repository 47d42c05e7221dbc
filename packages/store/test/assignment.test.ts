import type { OnlineExecutive } from '@care-chat/contract';
import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeExecutive,
  addExecutive,
  assignChat,
  checkSla,
  createPool,
  type InboundMessageRecord,
  ingestInboundMessage,
  migrate,
  openChatsOf,
  reassignChat,
  setChatStatus,
  unassignedChats,
} from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 8);
  await migrate(pool, createLogger('assignment-test', 'silent'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

let serial = 0;
/** A first message of a new customer of `type`; resolves with its chat and message ids. */
async function newChat(type: InboundMessageRecord['customer_type'] = 'Partner', customer?: string) {
  serial += 1;
  const from = customer ?? `9190000${String(serial).padStart(5, '0')}`;
  const { chat, message } = await ingestInboundMessage(pool, {
    wamid: `wamid.assignment-${serial}`,
    customer: from,
    wa_id: from,
    user_id: null,
    name: `Customer ${serial}`,
    username: null,
    business_number_id: type,
    customer_type: type,
    timestamp: String(Math.floor(Date.now() / 1000)),
    arrival: serial,
    kind: 'text',
    body: 'Hello?',
    message_tag: null,
    media_type: null,
    media: null,
    raw: {},
  });
  return { chatId: chat.chat_id, messageId: message.message_id, customer: from };
}

const executive = (id: string, types: OnlineExecutive['customer_types'] = ['Partner']): OnlineExecutive => ({
  executive_id: id,
  name: `Name of ${id}`,
  customer_types: types,
});

describe('assignChat', () => {
  it('gives a chat to the least loaded allowed candidate, round-robin among equals, once', async () => {
    const [a, b, vendorOnly] = [executive('rr-a'), executive('rr-b'), executive('rr-v', ['Vendor'])];
    const picks: (string | null)[] = [];
    for (let i = 0; i < 4; i += 1) {
      const { chatId } = await newChat();
      const done = await assignChat(pool, chatId, 'Partner', [vendorOnly, a, b]);
      picks.push(done?.chat.assigned_executive_id ?? null);
      expect(done?.chat.assigned_executive_name).toBe(`Name of ${done?.chat.assigned_executive_id}`);
      expect(done?.fromExecutiveId).toBeNull();
      // Once given, a chat is not given again.
      expect(await assignChat(pool, chatId, 'Partner', [a, b])).toBeNull();
    }
    expect(picks).toEqual(['rr-a', 'rr-b', 'rr-a', 'rr-b']);
    const { chatId } = await newChat();
    expect(await assignChat(pool, chatId, 'Partner', [vendorOnly])).toBeNull();
    expect((await unassignedChats(pool, ['Partner'])).map((chat) => chat.chatId)).toContain(chatId);
  });

  it('assigns each chat once of many concurrent calls', async () => {
    const candidates = [executive('cc-a'), executive('cc-b'), executive('cc-c')];
    const { chatId } = await newChat();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => assignChat(pool, chatId, 'Partner', candidates)),
    );
    expect(results.filter((result) => result !== null)).toHaveLength(1);
  });

  it("respects an executive's capacity", async () => {
    const id = await addExecutive(pool, {
      username: 'capped',
      name: 'Capped Agent',
      agentNumber: '919800000077',
      role: 'executive',
      customerTypes: ['SRDP'],
      password: 'capped-password-1',
    });
    if (id === undefined) throw new Error('not added');
    await pool.query('UPDATE executives SET max_open_chats = 1 WHERE id = $1', [id]);
    const capped = (await activeExecutive(pool, id)) as OnlineExecutive;
    expect(capped).toEqual({ executive_id: id, name: 'Capped Agent', customer_types: ['SRDP'] });
    const first = await newChat('SRDP');
    expect((await assignChat(pool, first.chatId, 'SRDP', [capped]))?.chat.assigned_executive_id).toBe(id);
    const second = await newChat('SRDP');
    expect(await assignChat(pool, second.chatId, 'SRDP', [capped])).toBeNull();
    // Resolving the first frees room for the second.
    await setChatStatus(pool, {
      chatId: first.chatId,
      customer: first.customer,
      status: 'resolved',
      customerTypes: ['SRDP'],
    });
    expect((await assignChat(pool, second.chatId, 'SRDP', [capped]))?.chat.assigned_executive_id).toBe(id);
  });

  it("hands an executive's open chats on, to no one when nobody may take them", async () => {
    const [leaving, heir] = [executive('ho-leaving', ['Customer']), executive('ho-heir', ['Customer'])];
    const { chatId } = await newChat('Customer');
    await assignChat(pool, chatId, 'Customer', [leaving]);
    expect(await openChatsOf(pool, leaving.executive_id)).toEqual([{ chatId, customerType: 'Customer' }]);
    const handed = await assignChat(pool, chatId, 'Customer', [heir], leaving.executive_id);
    expect(handed).toMatchObject({ fromExecutiveId: 'ho-leaving', chat: { assigned_executive_id: 'ho-heir' } });
    const dropped = await assignChat(pool, chatId, 'Customer', [], heir.executive_id);
    expect(dropped).toMatchObject({ fromExecutiveId: 'ho-heir', chat: { assigned_executive_id: null } });
    expect(await openChatsOf(pool, heir.executive_id)).toEqual([]);
  });

  it('a resolved chat that its customer reopens has no assignee until assigned afresh', async () => {
    const { chatId, customer } = await newChat('Vendor');
    await reassignChat(pool, chatId, ['Vendor'], { executive_id: 'ro-a', name: 'A' });
    await setChatStatus(pool, { chatId, customer, status: 'resolved', customerTypes: ['Vendor'] });
    const again = await newChat('Vendor', customer);
    expect(again.chatId).toBe(chatId);
    expect((await unassignedChats(pool, ['Vendor'])).map((chat) => chat.chatId)).toContain(chatId);
  });
});

describe('checkSla', () => {
  it('raises an unanswered message once, and not one answered or resolved since', async () => {
    const unanswered = await newChat('Partner');
    const first = await checkSla(pool, unanswered.messageId, 3);
    expect(first).toMatchObject({ due: true, raisedNow: true, breach: { chat_id: unanswered.chatId } });
    expect(await checkSla(pool, unanswered.messageId, 3)).toMatchObject({ due: true, raisedNow: false });
    expect(await checkSla(pool, unanswered.messageId, 10)).toMatchObject({ due: true, raisedNow: true });

    const answered = await newChat('Partner');
    await pool.query(
      `INSERT INTO messages (chat_id, sender, sender_type, kind, body, sent_at, delivery_status, delivery_rank)
       VALUES ($1, 'agent', 'Executive', 'text', 'Here', now(), 'queued', 1)`,
      [answered.chatId],
    );
    expect(await checkSla(pool, answered.messageId, 3)).toEqual({ due: false });

    const resolved = await newChat('Partner');
    await setChatStatus(pool, {
      chatId: resolved.chatId,
      customer: resolved.customer,
      status: 'resolved',
      customerTypes: ['Partner'],
    });
    expect(await checkSla(pool, resolved.messageId, 3)).toEqual({ due: false });
    // Reopened by a later message: the earlier one stays cancelled, the new one is watched.
    const later = await newChat('Partner', resolved.customer);
    expect(await checkSla(pool, resolved.messageId, 3)).toEqual({ due: false });
    expect(await checkSla(pool, later.messageId, 3)).toMatchObject({ due: true, raisedNow: true });
    expect(await checkSla(pool, 'not-an-id', 3)).toEqual({ due: false });
  });
});

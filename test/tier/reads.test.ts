import { ClientEvent, type Message, responseEvent } from '@care-chat/contract';
import {
  closeAllClients,
  connected,
  dashboardClient,
  nextEvent,
  postWebhook,
  RandomBalancer,
  readFixture,
  request,
  SAMPLE_NUMBERS,
  signToken,
  TEST_APP_SECRET,
  textMessage,
  textWebhook,
  webhookBody,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

let tier: Tier;
let balancer: RandomBalancer;
let serial = 0;
const newCustomer = () => `91970000${String(++serial).padStart(4, '0')}`;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

beforeAll(async () => {
  tier = await Tier.start();
  balancer = await RandomBalancer.start(tier.nodes.map((node) => node.port));
});
afterEach(closeAllClients);
afterAll(async () => {
  await balancer?.close();
  await tier?.stop();
});

const post = async (body: unknown, node = tier.nodes[0]) => {
  const answer = await postWebhook(node.url, body, TEST_APP_SECRET);
  expect(answer.status, answer.text).toBe(200);
};

/** A dashboard behind the non-sticky balancer, as the dashboard connects: no ack, answers as events. */
async function dashboard(claims: Record<string, unknown> = {}) {
  return connected(dashboardClient(balancer.url, signToken(claims)));
}

async function ask<E extends 'fetch_all_chats' | 'search_chat' | 'config' | 'fetch_chats_by_user'>(
  client: Awaited<ReturnType<typeof dashboard>>,
  event: E,
  data: unknown,
) {
  const answer = nextEvent(client, responseEvent(event), 10_000);
  (client.emit as (event: string, data: unknown) => void)(event, data);
  return answer;
}

/** The chat's messages as fetch_chats_by_user answers them, oldest first (as the dashboard sorts them). */
async function thread(chatId: string): Promise<Message[]> {
  const client = await dashboard();
  const answer = await ask(client, ClientEvent.FetchChatsByUser, { chat_id: chatId, sender: null, page: 1 });
  if (answer.status !== 1) throw new Error(answer.message);
  expect(answer.messages[0]?.chat_id).toBe(chatId);
  return answer.messages.toReversed();
}

async function chatOf(customer: string): Promise<string> {
  const { rows } = await tier.db.query<{ id: string }>('SELECT id::text FROM chats WHERE customer = $1', [customer]);
  return rows[0]?.id ?? '';
}

describe('a chat’s messages', () => {
  it('sent in one second, in one webhook, keep WhatsApp’s order with distinct datetimes to the millisecond', async () => {
    const customer = newCustomer();
    const at = Math.floor(Date.now() / 1000) - 5;
    const texts = ['one', 'two', 'three', 'four'];
    await post(
      webhookBody([
        {
          phoneNumberId: SAMPLE_NUMBERS.Partner,
          contacts: [{ wa_id: customer }],
          messages: texts.map((text) =>
            textMessage({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text, timestamp: at }),
          ),
        },
      ]),
    );
    await tier.drained();
    const messages = await thread(await chatOf(customer));
    expect(messages.map((m) => m.message)).toEqual(texts);
    const times = messages.map((m) => m.datetime);
    for (const time of times) {
      expect(time).toMatch(ISO_MS);
      expect(Math.floor(Date.parse(time) / 1000)).toBe(at);
    }
    expect(new Set(times).size).toBe(texts.length);
    expect(times).toEqual(times.toSorted());
  });

  it('sent in one second, in two webhooks to the two nodes, keep the order received under concurrent jobs', async () => {
    const customers = Array.from({ length: 8 }, newCustomer);
    const at = Math.floor(Date.now() / 1000) - 5;
    // Queued while no worker runs, then taken together by one worker's 48 concurrent slots.
    await tier.worker.stop();
    for (const customer of customers) {
      for (const [index, node] of tier.nodes.entries()) {
        const text = `${customer} ${index}`;
        await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Vendor, from: customer, text, timestamp: at }), node);
      }
    }
    await tier.restartWorker();
    await tier.drained();
    for (const customer of customers) {
      const messages = await thread(await chatOf(customer));
      expect(messages.map((m) => m.message)).toEqual([`${customer} 0`, `${customer} 1`]);
      const [first, second] = messages.map((m) => m.datetime);
      expect(first).not.toBe(second);
      for (const time of [first, second]) expect(Math.floor(Date.parse(time ?? '') / 1000)).toBe(at);
    }
  });
});

describe('fetch_all_chats, as the Partner page sends it', () => {
  it('lists the asked type only, with per-reader unseen counts, tab totals, the executive’s name and the customer’s details', async () => {
    const [active, pending, suspended] = [newCustomer(), newCustomer(), newCustomer()];
    const at = Math.floor(Date.now() / 1000) - 60;
    for (const [index, customer] of [active, pending, suspended].entries()) {
      await post(
        textWebhook({
          phoneNumberId: SAMPLE_NUMBERS.Partner,
          from: customer,
          text: `p${index}`,
          timestamp: at + index,
        }),
      );
    }
    // A newer chat of another type must not become the first row.
    await post(
      textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: active, text: 'newest', timestamp: at + 10 }),
    );
    await tier.drained();
    const [executive] = (
      await tier.db.query<{ id: string }>(
        `INSERT INTO executives (username, name, agent_number, password_hash) VALUES ('reads-ravi', 'Ravi Kumar', '919800000901', 'x')
         RETURNING id::text`,
      )
    ).rows;
    await tier.db.query(`UPDATE chats SET status = 'pending' WHERE customer = $1`, [pending]);
    await tier.db.query(
      `UPDATE chats SET assigned_executive_id = $2, rating = 5 WHERE customer = $1 AND customer_type = 'Partner'`,
      [active, executive?.id],
    );
    await tier.db.query(
      `INSERT INTO customer_records (customer, details) VALUES ($1, '{"dco_status":"Suspend","driver_name":"Anil"}')`,
      [suspended],
    );
    const events = JSON.parse(readFixture('dashboard/client-events.json')) as {
      events: { fetch_all_chats: { variants: { id: string; payload: Record<string, unknown> }[] } };
    };
    const variant = (userStatus: string | undefined, status: string) =>
      events.events.fetch_all_chats.variants.find(
        ({ payload }) =>
          payload.customer_type === 'Partner' && payload.status === status && payload.user_status === userStatus,
      )?.payload;

    const client = await dashboard({ customer_types: ['Partner', 'Customer'] });
    const list = await ask(client, ClientEvent.FetchAllChats, { ...variant(undefined, 'active'), page_size: 100 });
    if (list.status !== 1) throw new Error(list.message);
    expect(list.chats[0]?.customer_type).toBe('Partner');
    expect(new Set(list.chats.map((c) => c.customer_type))).toEqual(new Set(['Partner']));
    const ours = list.chats.filter((c) => [active, pending, suspended].includes(c.customer));
    expect(ours.map((c) => c.customer)).toEqual([suspended, active]);
    expect(ours[1]).toMatchObject({
      assigned_executive_id: executive?.id,
      assigned_executive_name: 'Ravi Kumar',
      rating: 5,
      unseen_count: 1,
      last_msg_by: 'Customer',
      customer_details: null,
    });
    expect(ours[0]?.customer_details).toEqual({ dco_status: 'Suspend', driver_name: 'Anil' });
    expect(list.pagination).toMatchObject({ total_active: list.pagination.total });
    expect(list.pagination.total_pending).toBeGreaterThanOrEqual(1);

    const pendingTab = await ask(client, ClientEvent.FetchAllChats, {
      ...variant(undefined, 'pending'),
      page_size: 100,
    });
    expect(pendingTab).toMatchObject({ status: 1 });
    if (pendingTab.status === 1) expect(pendingTab.chats.map((c) => c.customer)).toContain(pending);

    const suspend = await ask(client, ClientEvent.FetchAllChats, variant('Suspend', 'active'));
    expect(suspend).toMatchObject({
      status: 1,
      chats: [{ customer: suspended }],
      pagination: { total: 1, total_active: 1 },
    });
    expect(await ask(client, ClientEvent.FetchAllChats, variant('InJourney', 'active'))).toMatchObject({
      status: 1,
      chats: [],
      pagination: { total: 0, total_active: 0, total_pending: 0 },
    });
  });
});

describe('search_chat, with the 10 digits typed', () => {
  it('finds the chat of the asked type only, and never one the token does not allow', async () => {
    const customer = newCustomer();
    await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: customer, text: 'as a customer' }));
    await tier.drained();
    const client = await dashboard();
    const digits = customer.slice(-10);
    expect(
      await ask(client, ClientEvent.SearchChat, { sender: null, customer: digits, customer_type: 'Partner' }),
    ).toEqual({
      status: 0,
      message: `No chat with customer ${digits}`,
    });
    await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text: 'as a partner' }));
    await tier.drained();
    const found = await ask(client, ClientEvent.SearchChat, {
      sender: '919876543210',
      customer: digits,
      customer_type: 'Partner',
    });
    expect(found).toMatchObject({ status: 1, chat: { customer, customer_type: 'Partner', unseen_count: 1 } });
    const partnerOnly = await dashboard({ customer_types: ['Partner'] });
    expect(await ask(partnerOnly, ClientEvent.SearchChat, { customer: digits, customer_type: 'Customer' })).toEqual({
      status: 0,
      message: 'Not allowed to see customer type: Customer',
    });
  });
});

describe('config', () => {
  it('lists the open WhatsApp window for 24 hours after the customer’s last message, and none after', async () => {
    const [recent, old] = [newCustomer(), newCustomer()];
    const now = Math.floor(Date.now() / 1000);
    await post(
      textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: recent, text: 'just now', timestamp: now - 60 }),
    );
    await post(
      textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: old, text: 'yesterday', timestamp: now - 25 * 3600 }),
    );
    await tier.drained();
    const client = await dashboard();
    const open = await ask(client, ClientEvent.Config, { sender: recent, customer_type: 'Partner' });
    expect(open).toEqual({
      status: 1,
      chat_id: await chatOf(recent),
      config: {
        whatsapp_window_open: [
          { chat_id: await chatOf(recent), customer_type: 'Partner', closes_at: expect.stringMatching(ISO_MS) },
        ],
      },
    });
    // Without customer_type (a row that had none): every type the token allows.
    expect(await ask(client, ClientEvent.Config, { sender: old })).toEqual({
      status: 1,
      chat_id: await chatOf(old),
      config: { whatsapp_window_open: [] },
    });
    expect(await ask(client, ClientEvent.Config, { sender: '919999999999', customer_type: 'Partner' })).toEqual({
      status: 0,
      message: 'No chat with customer 919999999999',
    });
  });
});

describe('room_update', () => {
  it('reaches a dashboard behind the balancer from a webhook on either node, with the room’s unseen count', async () => {
    const client = await dashboard();
    const joined = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
    client.emit(ClientEvent.JoinRoom, { room: 'SRDPApp' });
    expect(await joined).toEqual({ status: 1, room: 'SRDPApp' });
    const customer = newCustomer();
    for (const [index, node] of tier.nodes.entries()) {
      const update = nextEvent(
        client,
        'room_update_srdp',
        10_000,
        (s) => s.customer === customer && s.unseen_count === index + 1,
      );
      await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.SRDP, from: customer, text: `via ${index}` }), node);
      expect(await update).toMatchObject({
        customer_type: 'SRDP',
        last_message: `via ${index}`,
        last_msg_by: 'Customer',
      });
    }
    const read = await request(client, ClientEvent.FetchChatsByUser, { chat_id: await chatOf(customer) });
    expect(read).toMatchObject({ status: 1 });
    const after = nextEvent(
      client,
      'room_update_srdp',
      10_000,
      (s) => s.customer === customer && s.last_message === 'after',
    );
    await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.SRDP, from: customer, text: 'after' }), tier.nodes[1]);
    expect(await after).toMatchObject({ unseen_count: 1 });
  });
});

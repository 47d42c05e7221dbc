import {
  type ChatSummary,
  ClientEvent,
  CUSTOMER_TYPES,
  ROOM_UPDATE_EVENTS,
  responseEvent,
  routeOf,
  ServerEvent,
} from '@care-chat/contract';
import {
  closeAllClients,
  imageMessage,
  nextEvent,
  postWebhook,
  readFixture,
  recordEvents,
  request,
  SAMPLE_NUMBERS,
  type StatusKind,
  settle,
  startNode,
  statusUpdate,
  TEST_APP_SECRET,
  type TestClient,
  textWebhook,
  viaEmitter,
  webhookBody,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let tier: Tier;
let serial = 0;
/** A customer number of its own for each test, so tests share no chat. */
const newCustomer = () => `91980000${String(++serial).padStart(4, '0')}`;

beforeAll(async () => {
  tier = await Tier.start();
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
});

const post = async (body: unknown, node = tier.nodes[1]) => {
  const answer = await postWebhook(node.url, body, TEST_APP_SECRET);
  expect(answer.status, answer.text).toBe(200);
};

describe.each(CUSTOMER_TYPES)('a %s customer writes', (type) => {
  const { room, event } = routeOf(type);

  it('and every dashboard in its room, on any node, gets the chat with its unread count; no other room does', async () => {
    const [nodeA, nodeB] = tier.nodes;
    const members = [await tier.client(nodeA, room), await tier.client(nodeB, room)];
    const outsiders = [
      ...(await Promise.all(
        CUSTOMER_TYPES.filter((other) => other !== type).map((other) => tier.client(nodeA, routeOf(other).room)),
      )),
      await tier.client(nodeB, null),
    ];
    const seen = [...members, ...outsiders].map((client) => recordEvents(client, ROOM_UPDATE_EVENTS));
    const customer = newCustomer();
    const from = { phoneNumberId: SAMPLE_NUMBERS[type], from: customer, name: 'Rahul Sharma' };

    const firstArrivals = members.map((client) => nextEvent(client, event, 10_000, (s) => s.customer === customer));
    await post(textWebhook({ ...from, text: 'Where is my cab?' }));
    const [first, firstOnB] = await Promise.all(firstArrivals);
    expect(firstOnB).toEqual(first);
    expect(first).toMatchObject({
      customer,
      customer_name: 'Rahul Sharma',
      customer_type: type,
      status: 'active',
      is_resolved: false,
      last_message: 'Where is my cab?',
      last_interaction_by: 'Customer',
      last_outgoing_message: null,
      tags: [],
      last_msg_by: 'Customer',
      assigned_executive_id: null,
      assigned_executive_name: null,
      rating: null,
      customer_details: null,
      unseen_count: 1,
    });
    expect(first?.last_message_time).toMatch(ISO_UTC);
    expect(first?.last_incoming_message_time).toBe(first?.last_message_time);

    const secondArrival = nextEvent(
      members[0] as TestClient,
      event,
      10_000,
      (s) => s.customer === customer && s.unseen_count === 2,
    );
    await post(textWebhook({ ...from, text: 'Hello?' }), nodeA);
    const second = await secondArrival;
    expect(second).toMatchObject({ chat_id: first?.chat_id, last_message: 'Hello?', unseen_count: 2 });
    expect(second.version).toBe((first?.version ?? 0) + 1);

    await settle(viaEmitter(tier.emitter), [...members, ...outsiders]);
    for (const [index, events] of seen.entries()) {
      for (const name of ROOM_UPDATE_EVENTS) {
        const got = (events.get(name) as ChatSummary[]).filter((s) => s.customer === customer);
        expect(got, `client ${index} ${name}`).toHaveLength(index < members.length && name === event ? 2 : 0);
      }
    }

    const list = await request(members[1] as TestClient, ClientEvent.FetchAllChats, {
      customer_type: type,
      search: customer,
    });
    expect(list).toEqual({
      status: 1,
      chats: [second],
      pagination: { page: 1, page_size: 10, total: 1, total_pages: 1, total_active: 1, total_pending: 0 },
    });
  });
});

describe('a chat room', () => {
  it('gets new_message with the whole Message, and dashboard_stats follow the database', async () => {
    const customer = newCustomer();
    const watcher = await tier.client(tier.nodes[0], 'VendorApp');
    // From the start: the counts the first message gave may be the last ones sent, if the second changes none.
    const stats = recordEvents(watcher, [ServerEvent.DashboardStats]);
    const created = nextEvent(watcher, 'room_update_vendor', 10_000, (s) => s.customer === customer);
    await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Vendor, from: customer, text: 'one' }));
    const chat = await created;
    await request(watcher, ClientEvent.JoinChat, { chat_id: chat.chat_id });

    const image = imageMessage({ phoneNumberId: SAMPLE_NUMBERS.Vendor, from: customer, caption: 'Damaged box' });
    // The first message's own new_message may still be on its way when the client joins: wait for this one.
    const arrival = nextEvent(watcher, ServerEvent.NewMessage, 10_000, (m) => m.wamid === image.id);
    await post(
      webhookBody([{ phoneNumberId: SAMPLE_NUMBERS.Vendor, contacts: [{ wa_id: customer }], messages: [image] }]),
    );
    const message = await arrival;
    expect(message).toEqual({
      message_id: expect.any(String),
      chat_id: chat.chat_id,
      sender: customer,
      sender_type: 'Customer',
      channel: 'whatsapp',
      message: '📷 Photo: Damaged box',
      message_tag: null,
      media_type: 'image',
      media: expect.objectContaining({ caption: 'Damaged box', mime_type: 'image/jpeg' }),
      mediaUrl: null,
      media_url: null,
      datetime: expect.stringMatching(ISO_UTC),
      seen_by: [],
      wamid: image.id,
      delivery_status: 'received',
    });

    await tier.drained();
    const expected = await tier.stats();
    const latest = () => (stats.get(ServerEvent.DashboardStats) ?? []).at(-1);
    if (JSON.stringify(latest()) !== JSON.stringify(expected)) {
      await nextEvent(
        watcher,
        ServerEvent.DashboardStats,
        10_000,
        (s) => JSON.stringify(s) === JSON.stringify(expected),
      );
    }
    expect(expected.by_type.Vendor?.active).toBeGreaterThan(0);
  });

  it('gets message_status as a business message moves forward, never backward, and never for a customer message', async () => {
    const customer = newCustomer();
    const watcher = await tier.client(tier.nodes[1], 'SRDPApp');
    const created = nextEvent(watcher, 'room_update_srdp', 10_000, (s) => s.customer === customer);
    await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.SRDP, from: customer, text: 'hi' }));
    const chat = await created;
    // Outbound messages are written by the sending path; here one is put in place by hand.
    const wamid = `wamid.outbound-${customer}`;
    await tier.db.query(
      `INSERT INTO messages (chat_id, wamid, sender, sender_type, kind, body, sent_at, delivery_status, delivery_rank)
       VALUES ($1, $2, 'agent_1', 'Executive', 'text', 'On our way', now(), 'queued', 1)`,
      [chat.chat_id, wamid],
    );
    await request(watcher, ClientEvent.JoinChat, { chat_id: chat.chat_id });
    const statuses = recordEvents(watcher, [ServerEvent.MessageStatus]);
    const status = (kind: StatusKind, at: number, of = wamid) =>
      webhookBody([
        {
          phoneNumberId: SAMPLE_NUMBERS.SRDP,
          statuses: [statusUpdate({ wamid: of, status: kind, recipient: customer, timestamp: at })],
        },
      ]);
    const base = Math.floor(Date.now() / 1000);

    const sent = nextEvent(watcher, ServerEvent.MessageStatus, 10_000);
    await post(status('sent', base));
    expect(await sent).toEqual({
      chat_id: chat.chat_id,
      message_id: expect.any(String),
      status: 'sent',
      datetime: expect.stringMatching(ISO_UTC),
    });
    const read = nextEvent(watcher, ServerEvent.MessageStatus, 10_000, (s) => s.status === 'read');
    await post(status('read', base + 2));
    await read;
    await post(status('delivered', base + 1));
    await post(status('failed', base + 3));
    // Statuses report on what the business sent: one naming the customer's own message changes nothing.
    const inbound = await tier.db.query<{ wamid: string }>(
      "SELECT wamid FROM messages WHERE chat_id = $1 AND sender_type = 'Customer'",
      [chat.chat_id],
    );
    for (const kind of ['read', 'failed'] as const) await post(status(kind, base + 4, inbound.rows[0]?.wamid));
    await tier.drained();
    await settle(viaEmitter(tier.emitter), [watcher]);

    expect((statuses.get(ServerEvent.MessageStatus) as { status: string }[]).map((s) => s.status)).toEqual([
      'sent',
      'read',
    ]);
    const { rows } = await tier.db.query(
      'SELECT sender_type, delivery_status, delivery_error FROM messages WHERE chat_id = $1 ORDER BY id',
      [chat.chat_id],
    );
    expect(rows).toEqual([
      { sender_type: 'Customer', delivery_status: 'received', delivery_error: null },
      { sender_type: 'Executive', delivery_status: 'read', delivery_error: null },
    ]);
  });
});

describe('npm run simulate', () => {
  it('sends a signed webhook that a dashboard in the type room sees arrive', async () => {
    const watcher = await tier.client(tier.nodes[0], 'VendorApp');
    const arrival = nextEvent(watcher, 'room_update_vendor', 10_000, (s) => s.customer === '919877777777');
    const simulate = startNode(
      'packages/testkit/dist/simulate.js',
      {
        WHATSAPP_APP_SECRET: TEST_APP_SECRET,
        WHATSAPP_NUMBERS: JSON.stringify(SAMPLE_NUMBERS),
        GATEWAY_URL: tier.nodes[1].url,
      },
      ['--type', 'Vendor', '--customer', '919877777777', '--text', 'Hello from simulate'],
    );
    expect(await simulate.exited).toBe(0);
    expect(simulate.output.join('\n')).toContain('answered 200');
    expect(await arrival).toMatchObject({ customer_type: 'Vendor', last_message: 'Hello from simulate' });
  });
});

describe('duplicates and bad deliveries', () => {
  it('a webhook delivered twice, and concurrently to two nodes, has one effect', async () => {
    const customer = newCustomer();
    const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text: 'once' });
    await post(body, tier.nodes[0]);
    await post(body, tier.nodes[0]);
    await Promise.all([post(body, tier.nodes[0]), post(body, tier.nodes[1])]);
    await tier.drained();
    const { rows } = await tier.db.query(
      'SELECT c.unread_count, c.version, count(m.id)::int AS messages FROM chats c JOIN messages m ON m.chat_id = c.id WHERE c.customer = $1 GROUP BY c.id',
      [customer],
    );
    expect(rows).toEqual([{ unread_count: 1, version: '1', messages: 1 }]);
  });

  it('a badly signed webhook is refused with 401, and nothing is queued or stored', async () => {
    const customer = newCustomer();
    const answer = await postWebhook(
      tier.nodes[0].url,
      textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text: 'forged' }),
      'not-the-app-secret',
    );
    expect(answer.status).toBe(401);
    await tier.drained();
    const { rows } = await tier.db.query('SELECT count(*)::int AS n FROM chats WHERE customer = $1', [customer]);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('a batch of several messages from several customers is processed whole', async () => {
    const raw = readFixture('whatsapp/batch.json');
    const watcher = await tier.client(tier.nodes[0], 'CustomerApp');
    const arrivals = [
      nextEvent(watcher, 'room_update_customer', 10_000, (s) => s.customer === '15550002222' && s.unseen_count === 2),
      nextEvent(watcher, 'room_update_customer', 10_000, (s) => s.customer === '15550003333' && s.unseen_count === 1),
    ];
    await post(raw);
    const [first, second] = await Promise.all(arrivals);
    expect(first).toMatchObject({ customer_name: 'Test Customer', customer_type: 'Customer' });
    expect(second).toMatchObject({ customer_name: 'Second Tester', last_message: 'Is the store open on Sunday?' });
    const { rows } = await tier.db.query(
      "SELECT count(*)::int AS n FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.customer IN ('15550002222', '15550003333')",
    );
    expect(rows).toEqual([{ n: 3 }]);
  });
});

describe('the dashboard reads', () => {
  it('fetch_chats_by_user returns the history newest first and marks it seen by the reader only, telling nobody', async () => {
    const customer = newCustomer();
    const [nodeA, nodeB] = tier.nodes;
    const reader = await tier.client(nodeA, 'PartnerApp', { sub: 'agent_a' });
    const elsewhere = await tier.client(nodeB, 'PartnerApp', { sub: 'agent_b' });
    const from = { phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer };
    const base = Math.floor(Date.now() / 1000) - 10;
    const twoIn = [reader, elsewhere].map((client) =>
      nextEvent(client, 'room_update', 10_000, (s) => s.customer === customer && s.unseen_count === 2),
    );
    await post(textWebhook({ ...from, text: 'first', timestamp: base }));
    await post(textWebhook({ ...from, text: 'second', timestamp: base + 1 }));
    const [chat] = (await Promise.all(twoIn)) as [ChatSummary, ChatSummary];

    const unseen = await request(reader, ClientEvent.FetchAllChats, { search: customer });
    expect(unseen).toMatchObject({ status: 1, chats: [{ chat_id: chat.chat_id, unseen_count: 2 }] });

    const updates = [reader, elsewhere].map((client) => recordEvents(client, ROOM_UPDATE_EVENTS));
    // The dashboard names its agent as `sender`; whoever it names, the reader is the token's executive.
    const history = await request(reader, ClientEvent.FetchChatsByUser, { chat_id: chat.chat_id, sender: 'agent_b' });
    expect(history).toMatchObject({
      status: 1,
      messages: [
        { chat_id: chat.chat_id, message: 'second', seen_by: ['agent_a'] },
        { chat_id: chat.chat_id, message: 'first', seen_by: ['agent_a'] },
      ],
      pagination: { page: 1, page_size: 20, total: 2, total_pages: 1 },
    });
    // A read raises nobody's badge: room_update means a customer wrote.
    await settle(viaEmitter(tier.emitter), [reader, elsewhere]);
    for (const events of updates) for (const name of ROOM_UPDATE_EVENTS) expect(events.get(name)).toEqual([]);

    const after = await request(reader, ClientEvent.FetchAllChats, { search: customer, sender: 'agent_b' });
    expect(after).toMatchObject({ status: 1, chats: [{ unseen_count: 0 }] });
    const byOther = await request(elsewhere, ClientEvent.FetchAllChats, { search: customer, sender: 'agent_a' });
    expect(byOther).toMatchObject({ status: 1, chats: [{ unseen_count: 2 }] });

    // The room's count restarts from the read: the next update carries one new message.
    const third = nextEvent(
      elsewhere,
      'room_update',
      10_000,
      (s) => s.customer === customer && s.last_message === 'third',
    );
    await post(textWebhook({ ...from, text: 'third', timestamp: base + 2 }));
    expect(await third).toMatchObject({ unseen_count: 1 });

    const page2 = await request(reader, ClientEvent.FetchChatsByUser, {
      chat_id: chat.chat_id,
      page: 2,
      page_size: 1,
    });
    expect(page2).toMatchObject({
      status: 1,
      messages: [{ message: 'second' }],
      pagination: { page: 2, page_size: 1, total: 3, total_pages: 3 },
    });
    expect(await request(reader, ClientEvent.FetchChatsByUser, { chat_id: '999999999' })).toEqual({
      status: 0,
      message: 'Chat not found: 999999999',
    });
  });

  it('fetch_all_chats filters, pages newest first, and shows only the types the token allows', async () => {
    const customers = [newCustomer(), newCustomer(), newCustomer()];
    const watcher = await tier.client(tier.nodes[0], 'VendorApp');
    const base = Math.floor(Date.now() / 1000);
    const last = nextEvent(watcher, 'room_update_vendor', 10_000, (s) => s.customer === customers[2]);
    for (const [index, customer] of customers.entries()) {
      await post(
        textWebhook({
          phoneNumberId: SAMPLE_NUMBERS.Vendor,
          from: customer,
          text: `n${index}`,
          timestamp: base + index,
        }),
      );
    }
    await last;
    await tier.drained();
    const page = await request(watcher, ClientEvent.FetchAllChats, {
      customer_type: 'Vendor',
      page: 1,
      page_size: 2,
      search: '9198',
    });
    if (page.status !== 1) throw new Error(page.message);
    expect(page.chats.map((c) => c.customer)).toEqual([customers[2], customers[1]]);
    expect(page.pagination.page_size).toBe(2);

    const partnerOnly = await tier.client(tier.nodes[1], null, { customer_types: ['Partner'] });
    expect(await request(partnerOnly, ClientEvent.FetchAllChats, { customer_type: 'Vendor' })).toEqual({
      status: 0,
      message: 'Not allowed to see customer type: Vendor',
    });
    const visible = await request(partnerOnly, ClientEvent.FetchAllChats, { search: customers[0] });
    expect(visible).toMatchObject({ status: 1, chats: [], pagination: { total: 0 } });
    expect(
      await request(watcher, ClientEvent.FetchAllChats, { status: 'resolved', search: customers[0] }),
    ).toMatchObject({
      status: 1,
      chats: [],
    });
  });

  it('search_chat finds a chat by phone number, or answers status 0', async () => {
    const customer = newCustomer();
    const watcher = await tier.client(tier.nodes[1], 'SRDPApp');
    const created = nextEvent(watcher, 'room_update_srdp', 10_000, (s) => s.customer === customer);
    await post(textWebhook({ phoneNumberId: SAMPLE_NUMBERS.SRDP, from: customer, text: 'find me' }));
    const chat = await created;
    expect(await request(watcher, ClientEvent.SearchChat, { customer })).toEqual({ status: 1, chat });
    expect(await request(watcher, ClientEvent.SearchChat, { customer: '10000000000' })).toEqual({
      status: 0,
      message: 'No chat with customer 10000000000',
    });
  });

  it('get_dashboard_stats answers with the counts and sends dashboard_stats to the caller', async () => {
    const client = await tier.client(tier.nodes[0], null);
    await tier.drained();
    const pushed = nextEvent(client, ServerEvent.DashboardStats, 5000, (stats) => stats.active > 0);
    const response = nextEvent(client, responseEvent(ClientEvent.GetDashboardStats));
    const answer = await request(client, ClientEvent.GetDashboardStats, {});
    const expected = await tier.stats();
    expect(answer).toEqual({ status: 1, data: expected });
    expect(await pushed).toEqual(expected);
    expect(await response).toEqual(answer);
  });
});

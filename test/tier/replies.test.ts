import {
  ClientEvent,
  chatRoom,
  DELIVERY_STATUSES,
  type Message,
  type MessageStatusUpdate,
  redisKeys,
  routeOf,
  ServerEvent,
} from '@care-chat/contract';
import {
  GraphErrors,
  insertChat,
  nextEvent,
  readFixture,
  recordEvents,
  SAMPLE_BUSINESS_ACCOUNTS,
  SAMPLE_NUMBERS,
  signToken,
  TEST_APP_SECRET,
  type TestClient,
  until,
} from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { ask, dashboardAt, expectRefused, variantsOf } from './dashboard-variants.js';
import {
  chatWithOpenWindow,
  outboundDrained,
  PUBLIC_URL,
  repliesOf,
  replyReaches,
  replyTierForFile,
} from './reply-tier.js';

const run = replyTierForFile();

const dashboard = (claims: Record<string, unknown> = {}) => dashboardAt(run.balancer.url, claims);

/** A dashboard on the other gateway, in the chat's room, hearing its replies and their statuses. */
async function watcherOf(chatId: string) {
  const watcher = await dashboardAt(run.tier.nodes[1].url);
  expect(await ask(watcher, ClientEvent.JoinChat, { chat_id: chatId })).toEqual({ status: 1, chat_id: chatId });
  return { watcher, seen: recordEvents(watcher, [ServerEvent.NewMessage, ServerEvent.MessageStatus]) };
}

/** Every field the dashboard reads of `new_message` (reads.json), as it reads it. */
function expectDashboardMessage(message: Message, chatId: string, text: string): void {
  expect(message.chat_id).toBe(chatId);
  expect(message.message).toBe(text);
  expect(Number.isNaN(Date.parse(message.datetime))).toBe(false);
  expect(message.datetime).toMatch(/\.\d{3}Z$/);
  // The thread shows an Executive message as the agent's own echo, and never appends it.
  expect(message.sender_type).toBe('Executive');
  for (const field of ['sender', 'media_url', 'mediaUrl', 'media_type', 'media'] as const)
    expect(message).toHaveProperty(field);
}

const statusesOf = (seen: Map<string, unknown[]>, messageId: string) =>
  ((seen.get(ServerEvent.MessageStatus) ?? []) as MessageStatusUpdate[]).filter(
    (update) => update.message_id === messageId,
  );

/** The statuses broadcast only ever move forward. */
function expectForwardOnly(updates: readonly MessageStatusUpdate[]): void {
  const ranks = updates.map((update) => DELIVERY_STATUSES.indexOf(update.status));
  expect(ranks).toEqual(ranks.toSorted((a, b) => a - b));
  expect(new Set(ranks).size).toBe(ranks.length);
}

async function send(client: TestClient, payload: Record<string, unknown>) {
  const answer = await ask(client, ClientEvent.SendMessage, payload);
  if (answer.status !== 1) throw new Error(`refused: ${answer.message}`);
  return answer.message_id;
}

describe('send_message, every variant the dashboard sends', () => {
  for (const variant of variantsOf(ClientEvent.SendMessage)) {
    const template = 'template_name' in variant.payload;
    it(`${variant.id}: stored, answered with its id, new_message to the chat, sent once from the ${variant.page} number, then read`, async () => {
      // Templates are what WhatsApp allows outside the window: their chat has no customer message at all.
      const { chatId, customer } = template
        ? await (async () => {
            const id = await insertChat(run.tier.db, variant.page);
            const { rows } = await run.tier.db.query<{ customer: string }>('SELECT customer FROM chats WHERE id = $1', [
              id,
            ]);
            return { chatId: id, customer: rows[0]?.customer ?? '' };
          })()
        : await chatWithOpenWindow(run, variant.page);
      const client = await dashboard();
      await ask(client, ClientEvent.JoinRoom, { room: routeOf(variant.page).room });
      const { seen, watcher } = await watcherOf(chatId);
      const arrived = nextEvent(watcher, ServerEvent.NewMessage, 10_000);
      const messageId = await send(client, { ...variant.payload, chat_id: chatId });
      expect(messageId).toMatch(/^\d+$/);
      const message = await arrived;
      expect(message.message_id).toBe(messageId);
      expectDashboardMessage(message, chatId, String(variant.payload.message));

      const read = await replyReaches(run, chatId, messageId, 'read');
      const reply = read.find((each) => each.id === messageId);
      const sends = run.messages.sentTo(customer);
      expect(sends).toHaveLength(1);
      expect(sends[0]).toMatchObject({ phoneNumberId: SAMPLE_NUMBERS[variant.page], wamid: reply?.wamid });
      expect(sends[0]?.callbackData).toBe(`reply:${messageId}`);
      expect(sends[0]?.body).toMatchObject(
        template
          ? { type: 'template', template: { name: variant.payload.template_name } }
          : { type: 'text', text: { body: variant.payload.message } },
      );
      await until(
        async () => statusesOf(seen, messageId).map((update) => update.status),
        (statuses) => statuses.at(-1) === 'read',
        'the read status broadcast',
      );
      expectForwardOnly(statusesOf(seen, messageId));

      const { rows } = await run.tier.db.query(
        'SELECT last_interaction_by, last_outgoing_message IS NOT NULL AS replied, unread_count, last_message FROM chats WHERE id = $1',
        [chatId],
      );
      expect(rows[0]).toEqual({
        last_interaction_by: 'Executive',
        replied: true,
        unread_count: 0,
        last_message: variant.payload.message,
      });
      // The list shows the reply, and the executive has seen everything in the chat.
      const listed = await ask(client, ClientEvent.SearchChat, { customer, customer_type: variant.page });
      if (listed.status !== 1) throw new Error(listed.message);
      expect(listed.chat).toMatchObject({ last_msg_by: 'Executive', unseen_count: 0 });
    });
  }
});

describe('a template reply', () => {
  /** A template reply to a new Vendor chat, and the template part of what reached the fake WhatsApp. */
  async function templateSent(payload: { template_id: string; template_name: string; message: string }) {
    const chatId = await insertChat(run.tier.db, 'Vendor');
    const { rows } = await run.tier.db.query<{ customer: string }>('SELECT customer FROM chats WHERE id = $1', [
      chatId,
    ]);
    const messageId = await send(await dashboard(), { ...payload, chat_id: chatId, type: 'Agent' });
    await replyReaches(run, chatId, messageId, 'read');
    return run.messages.sentTo(rows[0]?.customer ?? '')[0]?.body as { template?: { language?: { code?: string } } };
  }

  it("goes in the template's own language, as the picker's list kept in Redis gives it", async () => {
    const template = { id: '777000111', name: 'vendor_payment_update', language: 'en_US' };
    const kept = {
      fetched_at: new Date().toISOString(),
      templates: [{ ...template, status: 'APPROVED', category: 'UTILITY', content: 'Paid', components: [] }],
    };
    await run.tier.redis.set(
      redisKeys(run.tier.prefix).templates(SAMPLE_BUSINESS_ACCOUNTS.Vendor),
      JSON.stringify(kept),
    );
    const sent = await templateSent({ template_id: template.id, template_name: template.name, message: 'Paid' });
    expect(sent.template?.language?.code).toBe('en_US');
  });

  it('goes in WHATSAPP_TEMPLATE_LANGUAGE when no kept list knows it', async () => {
    const sent = await templateSent({ template_id: '777000999', template_name: 'not_listed', message: 'Hi' });
    expect(sent.template?.language?.code).toBe('en');
  });
});

describe('what the tier refuses', () => {
  it('free text to a customer whose window has closed: a template is needed, nothing stored or sent', async () => {
    const chatId = await insertChat(run.tier.db, 'Vendor');
    const client = await dashboard();
    const [text] = variantsOf(ClientEvent.SendMessage).filter((variant) => variant.id === 'send_message.vendor.text');
    const answer = await ask(client, ClientEvent.SendMessage, { ...text?.payload, chat_id: chatId });
    expect(answer).toEqual({ status: 0, message: expect.stringMatching(/template/) });
    expect(await repliesOf(run, chatId)).toEqual([]);
  });

  it('bad input and chats the token may not see, writing nothing', async () => {
    const { chatId } = await chatWithOpenWindow(run, 'SRDP');
    const client = await dashboard();
    const partnerOnly = await dashboard({ customer_types: ['Partner'] });
    await expectRefused(ClientEvent.SendMessage, [
      [partnerOnly, { chat_id: chatId, message: 'hi' }, `Chat not found: ${chatId}`],
      [client, { chat_id: '999999999', message: 'hi' }, 'Chat not found: 999999999'],
      [client, { chat_id: chatId, message: '' }, /message/],
      [client, { chat_id: chatId, message: '  \n ' }, /message/],
      [client, { chat_id: chatId, message: 'x'.repeat(5000) }, /message/],
      [client, { chat_id: chatId }, /message/],
      [client, { chat_id: chatId, message: 'hi', template_id: 'tmpl_1' }, /template_name/],
      [client, { chat_id: 'a b', message: 'hi' }, /chat_id/],
      [client, null, /./],
    ]);
    expect(await repliesOf(run, chatId)).toEqual([]);
  });

  it('a double click stores and sends once, answering the same message_id', async () => {
    const { chatId, customer } = await chatWithOpenWindow(run, 'Partner');
    const client = await dashboard();
    const [variant] = variantsOf(ClientEvent.SendMessage);
    const payload = { ...variant?.payload, chat_id: chatId };
    const answers = await Promise.all([
      ask(client, ClientEvent.SendMessage, payload),
      ask(client, ClientEvent.SendMessage, payload),
    ]);
    const again = await ask(client, ClientEvent.SendMessage, payload);
    const ids = [...answers, again].map((answer) => (answer.status === 1 ? answer.message_id : answer.message));
    expect(new Set(ids).size).toBe(1);
    await replyReaches(run, chatId, ids[0] ?? '', 'read');
    expect(await repliesOf(run, chatId)).toHaveLength(1);
    expect(run.messages.sentTo(customer)).toHaveLength(1);
    // The same text with the client's next second is a new reply.
    const next = await send(client, { ...payload, datetime: '2026-03-21T14:30:09+05:30' });
    expect(next).not.toBe(ids[0]);
  });
});

const httpFixture = JSON.parse(readFixture('dashboard/http.json')) as {
  routes: { id: string; body: { fields: Record<string, string> } }[];
};
const mediaSendFields = httpFixture.routes.find((route) => route.id === 'media.send')?.body.fields ?? {};

async function postMediaSend(fields: Record<string, string>, token = signToken()) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(`${run.balancer.url}/api/media/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/media/send, as the dashboard sends it', () => {
  const cases = [
    ['a plain https link', mediaSendFields.media_url ?? '', { link: mediaSendFields.media_url }],
    [
      "this tier's link to a media id",
      `${PUBLIC_URL}/api/media/1122334455667788?exp=1&sig=x`,
      { id: '1122334455667788' },
    ],
    ['whatsapp-media:<id>', 'whatsapp-media:998877665544', { id: '998877665544' }],
  ] as const;
  for (const [name, mediaUrl, image] of cases) {
    it(`${name}: stored, new_message, sent as an image by ${'id' in image ? 'id' : 'link'}, sender "null" ignored`, async () => {
      const { chatId, customer } = await chatWithOpenWindow(run, 'Customer');
      const { watcher } = await watcherOf(chatId);
      const arrived = nextEvent(watcher, ServerEvent.NewMessage, 10_000);
      const answer = await postMediaSend({
        ...mediaSendFields,
        chat_id: chatId,
        customer,
        sender: 'null',
        media_url: mediaUrl,
      });
      expect(answer).toEqual({ status: 200, body: { status: 1, message_id: expect.stringMatching(/^\d+$/) } });
      const message = await arrived;
      expect(message).toMatchObject({ chat_id: chatId, media_type: 'image', sender_type: 'Executive' });
      expect(message.message).toBe(mediaSendFields.caption);
      await replyReaches(run, chatId, String(answer.body.message_id), 'read');
      const sends = run.messages.sentTo(customer);
      expect(sends).toHaveLength(1);
      expect(sends[0]?.body).toMatchObject({ type: 'image', image: { ...image, caption: mediaSendFields.caption } });
      const { rows } = await run.tier.db.query('SELECT last_message FROM chats WHERE id = $1', [chatId]);
      expect(rows[0]).toEqual({ last_message: `📷 Photo: ${mediaSendFields.caption}` });
    });
  }

  it('refuses a bad link, a chat it may not see, a closed window and no token, writing nothing', async () => {
    const { chatId, customer } = await chatWithOpenWindow(run, 'Customer');
    const closed = await insertChat(run.tier.db, 'Customer');
    const fields = { ...mediaSendFields, chat_id: chatId, customer };
    expect(await postMediaSend({ ...fields, media_url: 'http://plain.example/a.jpg' })).toMatchObject({
      status: 400,
      body: { status: 0, error: 'bad_media_url' },
    });
    expect(await postMediaSend({ ...fields, media_type: 'video' })).toMatchObject({ status: 400, body: { status: 0 } });
    expect(await postMediaSend(fields, signToken({ customer_types: ['Partner'] }))).toMatchObject({
      status: 404,
      body: { status: 0, error: 'not_found' },
    });
    expect(await postMediaSend({ ...fields, chat_id: closed })).toMatchObject({
      status: 409,
      body: { status: 0, error: 'window_closed' },
    });
    expect(await postMediaSend(fields, 'not-a-token')).toMatchObject({ status: 401, body: { status: 0 } });
    expect(await repliesOf(run, chatId)).toEqual([]);
    expect(await repliesOf(run, closed)).toEqual([]);
  });
});

describe('the fake WhatsApp answers otherwise', () => {
  async function replyTo(type: 'Partner' | 'Customer' = 'Partner') {
    const { chatId, customer } = await chatWithOpenWindow(run, type);
    const { seen } = await watcherOf(chatId);
    const client = await dashboard();
    const sentAt = Date.now();
    const messageId = await send(client, { chat_id: chatId, message: `reply ${sentAt}` });
    return { chatId, customer, seen, messageId, sentAt };
  }

  const refusals = [
    ['a 400 with Meta’s error body', GraphErrors.invalidParameter],
    ['131047, the re-engagement error', GraphErrors.reEngagement],
  ] as const;
  for (const [name, error] of refusals) {
    it(`${name}: failed at once, WhatsApp's code and text kept on the message and broadcast`, async () => {
      const before = run.fake.seen('messages').length;
      run.fake.fail('messages', { status: 400, error });
      const { chatId, seen, messageId } = await replyTo();
      const [reply] = await replyReaches(run, chatId, messageId, 'failed');
      expect(reply?.delivery_error).toEqual({
        code: error.code,
        title: error.message,
        message: error.error_data.details,
      });
      expect(run.fake.seen('messages').length - before).toBe(1);
      await until(
        async () => statusesOf(seen, messageId),
        (updates) => updates.length > 0,
        'the failed status broadcast',
      );
      expect(statusesOf(seen, messageId)).toEqual([
        {
          chat_id: chatId,
          message_id: messageId,
          status: 'failed',
          datetime: expect.any(String),
          error: { code: error.code, title: error.message, message: error.error_data.details },
        },
      ]);
    });
  }

  it('429 with Retry-After, then success: sent once, no sooner than WhatsApp asked', async () => {
    const before = run.fake.seen('messages').length;
    run.fake.fail('messages', { status: 429, retryAfterSeconds: 1 });
    const { chatId, customer, messageId, sentAt } = await replyTo();
    await replyReaches(run, chatId, messageId, 'read');
    expect(run.fake.seen('messages').length - before).toBe(2);
    const [sent] = run.messages.sentTo(customer);
    expect((sent?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(1000);
    expect(run.messages.sentTo(customer)).toHaveLength(1);
  });

  it('500 until the tries run out: failed with WhatsApp’s last error, after OUTBOUND_MAX_ATTEMPTS calls', async () => {
    const before = run.fake.seen('messages').length;
    run.fake.fail('messages', { status: 500 }, 3);
    const { chatId, customer, messageId } = await replyTo();
    const [reply] = await replyReaches(run, chatId, messageId, 'failed');
    expect(reply).toMatchObject({ send_attempts: 3, delivery_error: { code: GraphErrors.unavailable.code } });
    expect(run.fake.seen('messages').length - before).toBe(3);
    expect(run.messages.sentTo(customer)).toHaveLength(0);
  });

  it('a slow answer: waited for, sent once', async () => {
    run.fake.fail('messages', { delayMs: 1500 });
    const { chatId, customer, messageId } = await replyTo();
    await replyReaches(run, chatId, messageId, 'read');
    expect(run.messages.sentTo(customer)).toHaveLength(1);
  });

  it('a status before the send’s answer, naming no reply, is parked and applied once the answer gives the wamid', async () => {
    run.messages.postStatusesTo({
      url: run.balancer.url,
      appSecret: TEST_APP_SECRET,
      statuses: ['sent'],
      echoCallbackData: false,
    });
    // Time for the status to be processed, and parked, before the answer tells its wamid.
    run.messages.statusBeforeAnswer(500);
    try {
      const { chatId, customer, seen, messageId } = await replyTo('Customer');
      const [reply] = await replyReaches(run, chatId, messageId, 'sent');
      expect(reply?.wamid).toBe(run.messages.sentTo(customer)[0]?.wamid);
      await until(
        async () => statusesOf(seen, messageId),
        (updates) => updates.length === 1,
        'the sent status broadcast',
      );
      expect(statusesOf(seen, messageId)[0]).toMatchObject({ chat_id: chatId, status: 'sent' });
      const { rows } = await run.tier.db.query('SELECT count(*)::int AS parked FROM parked_statuses');
      expect(rows[0]).toEqual({ parked: 0 });
    } finally {
      run.messages.postStatusesTo({ url: run.balancer.url, appSecret: TEST_APP_SECRET });
    }
  });

  it('statuses before the answer, echoing the reply’s id: sent → delivered → read, never backwards', async () => {
    run.messages.statusBeforeAnswer();
    const { chatId, customer, seen, messageId } = await replyTo('Customer');
    const [reply] = await replyReaches(run, chatId, messageId, 'read');
    expect(reply?.wamid).toBe(run.messages.sentTo(customer)[0]?.wamid);
    await until(
      async () => statusesOf(seen, messageId).map((update) => update.status),
      (statuses) => statuses.at(-1) === 'read',
      'the read status broadcast',
    );
    expectForwardOnly(statusesOf(seen, messageId));
    await outboundDrained(run);
    expect(run.messages.sentTo(customer)).toHaveLength(1);
  });

  it('reaches the chat room on both gateways: the sender’s own new_message comes once', async () => {
    const { chatId } = await chatWithOpenWindow(run, 'Vendor');
    const client = await dashboard();
    expect(await ask(client, ClientEvent.JoinChat, { chat_id: chatId })).toMatchObject({ status: 1 });
    const seen = recordEvents(client, [ServerEvent.NewMessage, ServerEvent.TagUpdated]);
    const messageId = await send(client, { chat_id: chatId, message: 'once' });
    await replyReaches(run, chatId, messageId, 'read');
    // A marker after it, through the same stream: once it is here, so is every copy of the reply.
    run.tier.emitter
      .to(chatRoom(chatId))
      .emit(ServerEvent.TagUpdated, { chat_id: chatId, tag: 'x', action: 'add', tags: [] });
    await until(
      async () => seen.get(ServerEvent.TagUpdated) ?? [],
      (markers) => markers.length === 1,
      'the marker',
    );
    expect((seen.get(ServerEvent.NewMessage) ?? []).length).toBe(1);
  });
});

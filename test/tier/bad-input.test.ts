import { ClientEvent } from '@care-chat/contract';
import {
  closeAllClients,
  nextEvent,
  postWebhook,
  request,
  SAMPLE_NUMBERS,
  TEST_APP_SECRET,
  textMessage,
  webhookBody,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

let tier: Tier;

beforeAll(async () => {
  tier = await Tier.start();
});
afterEach(closeAllClients);
afterAll(async () => {
  await tier?.stop();
});

const post = async (body: unknown) => {
  const answer = await postWebhook(tier.nodes[0].url, body, TEST_APP_SECRET);
  expect(answer.status, answer.text).toBe(200);
};

describe('text jsonb cannot hold', () => {
  it('half a surrogate pair, in the text, the name or a field Meta adds, is stored and broadcast as U+FFFD', async () => {
    const customer = '919800003001';
    const watcher = await tier.client(tier.nodes[1], 'PartnerApp');
    const arrival = nextEvent(watcher, 'room_update', 10_000, (chat) => chat.customer === customer);
    const message = textMessage({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text: 'x\ud800y' });
    await post(
      webhookBody([
        {
          phoneNumberId: SAMPLE_NUMBERS.Partner,
          contacts: [{ wa_id: customer, name: 'R\udc00' }],
          messages: [{ ...message, extra: { 'k\ud800': '\udfff', 'n\u0000': 'v' } }],
        },
      ]),
    );
    expect(await arrival).toMatchObject({ customer_name: 'R\ufffd', last_message: 'x\ufffdy' });
    await tier.drained();
    const { rows } = await tier.db.query('SELECT body, raw -> $2 AS extra FROM messages WHERE wamid = $1', [
      message.id,
      'extra',
    ]);
    expect(rows).toEqual([{ body: 'x\ufffdy', extra: { 'k\ufffd': '\ufffd', n: 'v' } }]);
    expect(await tier.queue.getJobCountByTypes('failed')).toBe(0);
  });
});

describe('a time stored before the webhook bounded them', () => {
  it.each([
    { timestamp: 999_999_999_999, customer: '919800003002' },
    { timestamp: 253_402_300_800, customer: '919800003003' },
  ])('(unix $timestamp) breaks no read of the list or of the chat', async ({ timestamp, customer }) => {
    const watcher = await tier.client(tier.nodes[0], 'PartnerApp');
    const created = nextEvent(watcher, 'room_update', 10_000, (chat) => chat.customer === customer);
    await post(
      webhookBody([
        {
          phoneNumberId: SAMPLE_NUMBERS.Partner,
          contacts: [{ wa_id: customer }],
          messages: [textMessage({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text: 'hi' })],
        },
      ]),
    );
    const chat = await created;
    // As the landed gateway let such a time through and the worker stored it.
    await tier.db.query(
      `UPDATE chats SET last_message_time = to_timestamp($2), last_incoming_message = to_timestamp($2) WHERE id = $1`,
      [chat.chat_id, timestamp],
    );
    await tier.db.query('UPDATE messages SET sent_at = to_timestamp($2) WHERE chat_id = $1', [chat.chat_id, timestamp]);

    const list = await request(watcher, ClientEvent.FetchAllChats, {});
    expect(list).toMatchObject({ status: 1 });
    if (list.status !== 1) return;
    expect(list.chats.find((listed) => listed.chat_id === chat.chat_id)).toMatchObject({
      last_message: 'hi',
      last_message_time: null,
    });
    expect(await request(watcher, ClientEvent.SearchChat, { customer })).toMatchObject({ status: 1 });
    expect(
      await request(watcher, ClientEvent.FetchChatsByUser, { chat_id: chat.chat_id, sender: 'agent_a' }),
    ).toMatchObject({ status: 1, messages: [{ message: 'hi', datetime: expect.stringMatching(/^20\d\d-/) }] });
  });
});

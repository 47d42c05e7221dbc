import {
  closeAllClients,
  nextEvent,
  postWebhook,
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

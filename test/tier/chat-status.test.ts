import {
  ClientEvent,
  CUSTOMER_TYPES,
  type CustomerType,
  routeOf,
  ServerEvent,
  statsOfTypes,
} from '@care-chat/contract';
import {
  insertChat,
  postWebhook,
  recordEvents,
  SAMPLE_NUMBERS,
  TEST_APP_SECRET,
  type TestClient,
  textWebhook,
  until,
} from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { ask, dashboardAt, expectRefused, tierForFile, variantsOf } from './dashboard-variants.js';

const run = tierForFile();

const dashboard = (claims: Record<string, unknown> = {}) => dashboardAt(run.balancer.url, claims);

async function chatRow(chatId: string) {
  const { rows } = await run.tier.db.query<{ status: string; customer: string; version: string }>(
    'SELECT status, customer, version FROM chats WHERE id = $1',
    [chatId],
  );
  return rows[0] ?? { status: '', customer: '', version: '' };
}

/**
 * Does `action`, and resolves once every client got `dashboard_stats` equal to the database's counts after
 * it (over the types each may see), as the workers publish them: listening from before the action, since
 * they may come before its answer is read.
 */
async function statsAfter<T>(
  action: () => Promise<T>,
  clients: readonly (readonly [TestClient, readonly CustomerType[]])[],
): Promise<T> {
  const seen = clients.map(([client]) => recordEvents(client, [ServerEvent.DashboardStats]));
  const result = await action();
  const counts = await run.tier.stats();
  await Promise.all(
    clients.map(([, types], index) => {
      const expected = JSON.stringify(statsOfTypes(counts, types));
      const got = async () => seen[index]?.get(ServerEvent.DashboardStats) ?? [];
      return until(got, (all) => all.some((stats) => JSON.stringify(stats) === expected), expected, 10_000);
    }),
  );
  return result;
}

describe('update_chat_status, every variant the dashboard sends', () => {
  for (const variant of variantsOf(ClientEvent.UpdateChatStatus)) {
    it(`${variant.id}: answered with the old and new status, the chat listed so, the counts sent`, async () => {
      const chatId = await insertChat(run.tier.db, variant.page);
      const { customer } = await chatRow(chatId);
      const client = await dashboard();
      await ask(client, ClientEvent.JoinRoom, { room: routeOf(variant.page).room });
      // The counts reach a dashboard on the other node too, whose executive may see this type only.
      const watcher = await dashboardAt(run.tier.nodes[1].url, { customer_types: [variant.page] });
      const status = variant.payload.status as 'resolved' | 'pending';
      const answer = await statsAfter(
        () =>
          ask(client, ClientEvent.UpdateChatStatus, { ...variant.payload, chat_id: chatId, customer_number: customer }),
        [
          [client, CUSTOMER_TYPES],
          [watcher, [variant.page]],
        ],
      );
      expect(answer).toEqual({ status: 1, old_status: 'active', new_status: status });
      expect((await chatRow(chatId)).status).toBe(status);
      // The dashboard refetches the tab it is on: the chat is listed under its new status.
      const listed = await ask(client, ClientEvent.FetchAllChats, {
        status,
        customer_type: variant.page,
        page_size: 100,
      });
      if (listed.status !== 1) throw new Error(listed.message);
      expect(listed.chats.find((chat) => chat.chat_id === chatId)).toMatchObject({
        status,
        is_resolved: status === 'resolved',
      });
    });
  }

  it('sets active too, and setting the status a chat has writes nothing', async () => {
    const chatId = await insertChat(run.tier.db, 'Vendor', { status: 'pending' });
    const { customer, version } = await chatRow(chatId);
    const client = await dashboard();
    const again = await ask(client, ClientEvent.UpdateChatStatus, {
      chat_id: chatId,
      customer_number: customer,
      status: 'pending',
    });
    expect(again).toEqual({ status: 1, old_status: 'pending', new_status: 'pending' });
    expect((await chatRow(chatId)).version).toBe(version);
    const active = await ask(client, ClientEvent.UpdateChatStatus, {
      chat_id: chatId,
      customer_number: customer,
      status: 'active',
    });
    expect(active).toEqual({ status: 1, old_status: 'pending', new_status: 'active' });
    expect((await chatRow(chatId)).status).toBe('active');
  });

  it('without chat_id finds the customer’s only chat among the token’s types, and refuses to guess among several', async () => {
    const chatId = await insertChat(run.tier.db, 'SRDP');
    const { customer } = await chatRow(chatId);
    const client = await dashboard();
    const byNumber = await ask(client, ClientEvent.UpdateChatStatus, {
      customer_number: customer,
      update_by_number: null,
      status: 'resolved',
    });
    expect(byNumber).toEqual({ status: 1, old_status: 'active', new_status: 'resolved' });
    // The same customer on another business number (another type).
    await run.tier.db.query(
      `INSERT INTO chats (contact_id, customer, business_number_id, customer_type)
       SELECT contact_id, customer, 'Vendor', 'Vendor' FROM chats WHERE id = $1`,
      [chatId],
    );
    const ambiguous = await ask(client, ClientEvent.UpdateChatStatus, { customer_number: customer, status: 'pending' });
    expect(ambiguous).toEqual({
      status: 0,
      message: `Customer ${customer} has chats on several numbers: give chat_id`,
    });
    expect((await chatRow(chatId)).status).toBe('resolved');
    const srdpOnly = await dashboard({ customer_types: ['SRDP'] });
    expect(await ask(srdpOnly, ClientEvent.UpdateChatStatus, { customer_number: customer, status: 'pending' })).toEqual(
      {
        status: 1,
        old_status: 'resolved',
        new_status: 'pending',
      },
    );
  });

  it('refuses a chat of a type the token does not allow, an unknown chat and bad input, writing nothing', async () => {
    const chatId = await insertChat(run.tier.db, 'Vendor');
    const { customer, version } = await chatRow(chatId);
    const partnerOnly = await dashboard({ customer_types: ['Partner'] });
    const refusals = [
      [partnerOnly, { chat_id: chatId, customer_number: customer, status: 'resolved' }, `Chat not found: ${chatId}`],
      [partnerOnly, { customer_number: customer, status: 'resolved' }, `Chat not found: ${customer}`],
      [
        partnerOnly,
        { chat_id: '999999999', customer_number: customer, status: 'resolved' },
        'Chat not found: 999999999',
      ],
      [partnerOnly, { chat_id: chatId, customer_number: customer, status: 'closed' }, /status must be one of/],
      [partnerOnly, { chat_id: chatId, status: 'resolved' }, /customer_number/],
      [partnerOnly, { chat_id: 'a b', customer_number: customer, status: 'resolved' }, /chat_id/],
      [partnerOnly, null, /./],
    ] as const;
    await expectRefused(ClientEvent.UpdateChatStatus, refusals);
    expect(await chatRow(chatId)).toMatchObject({ status: 'active', version });
  });
});

describe('a customer’s message', () => {
  for (const status of ['resolved', 'pending'] as const) {
    it(`reopens a ${status} chat as active, and the counts follow`, async () => {
      const customer = `9198${String(Date.now()).slice(-8)}`;
      const post = async (text: string) => {
        const answer = await postWebhook(
          run.tier.nodes[0].url,
          textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: customer, text }),
          TEST_APP_SECRET,
        );
        expect(answer.status).toBe(200);
        await run.tier.drained();
      };
      const client = await dashboard();
      const everything = [[client, CUSTOMER_TYPES]] as const;
      // Each step waits for its counts, so the workers' last stats sent are those before the next step: the
      // reopened chat brings back counts sent before, which must still go out.
      await statsAfter(() => post('first'), everything);
      const { rows } = await run.tier.db.query<{ id: string }>('SELECT id::text FROM chats WHERE customer = $1', [
        customer,
      ]);
      const change = { chat_id: rows[0]?.id ?? '', customer_number: customer, status };
      const answer = await statsAfter(() => ask(client, ClientEvent.UpdateChatStatus, change), everything);
      expect(answer).toMatchObject({ status: 1, new_status: status });
      await statsAfter(() => post('again'), everything);
      expect((await chatRow(change.chat_id)).status).toBe('active');
    });
  }
});

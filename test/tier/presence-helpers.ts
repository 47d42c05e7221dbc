import { type ChatAssigned, ClientEvent, type CustomerType, ServerEvent } from '@care-chat/contract';
import {
  nextEvent,
  postWebhook,
  recordEvents,
  SAMPLE_NUMBERS,
  TEST_APP_SECRET,
  type TestClient,
  textMessage,
  until,
  webhookBody,
} from '@care-chat/testkit';
import type pg from 'pg';
import { expect } from 'vitest';
import { ask, dashboardAt } from './dashboard-variants.js';

/** Short presence times, so tests see executives go offline in well under a second. */
export const PRESENCE_ENV = { PRESENCE_GRACE_MS: '400', PRESENCE_LEASE_MS: '900' };

let serial = 0;
const run = `${process.pid}`.slice(-4).padStart(4, '0');

/** A fresh executive's claims: each test its own, so presence another test left does not count. */
export const someone = (extra: Record<string, unknown> = {}) => {
  serial += 1;
  return { sub: `exec-${run}-${serial}`, name: `Agent ${serial}`, ...extra } as { sub: string; name: string } & Record<
    string,
    unknown
  >;
};

/** A customer number no other test of the run writes from. */
export const newCustomer = () => {
  serial += 1;
  return `9177${run}${String(serial).padStart(6, '0')}`;
};

/** An executive's dashboard on `url`, online once this resolves (presence is in Redis for every worker). */
export async function goOnline(url: string, claims: Record<string, unknown>): Promise<TestClient> {
  const client = await dashboardAt(url, claims);
  expect(await ask(client, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' })).toMatchObject({ status: 1 });
  return client;
}

/** One webhook per 50 customers, each writing `text` to `type`'s number (a first message when new). */
export async function customersWrite(
  url: string,
  customers: readonly string[],
  type: CustomerType = 'Partner',
  text = 'Hello?',
): Promise<void> {
  const phoneNumberId = SAMPLE_NUMBERS[type];
  const bodies = [];
  for (let i = 0; i < customers.length; i += 50) {
    const batch = customers.slice(i, i + 50);
    bodies.push(
      webhookBody([
        {
          phoneNumberId,
          contacts: batch.map((from) => ({ wa_id: from, name: `Customer ${from.slice(-4)}` })),
          messages: batch.map((from) => textMessage({ phoneNumberId, from, text })),
        },
      ]),
    );
  }
  const answers = await Promise.all(bodies.map((body) => postWebhook(url, body, TEST_APP_SECRET)));
  for (const answer of answers) expect(answer.status).toBe(200);
}

/** The chat of `customer`, once the workers stored it. */
export async function chatOf(db: Pick<pg.Pool, 'query'>, customer: string): Promise<string> {
  const probe = async () =>
    (await db.query<{ id: string }>('SELECT id::text FROM chats WHERE customer = $1', [customer])).rows;
  const [row] = await until(probe, (rows) => rows.length > 0, `the chat of ${customer}`, 10_000);
  return (row as { id: string }).id;
}

/** The next `chat_assigned` of `chatId` on `client`. */
export const assignedOn = (client: TestClient, chatId: string, timeoutMs = 10_000) =>
  nextEvent(client, ServerEvent.ChatAssigned, timeoutMs, (event) => event.chat_id === chatId);

/** The first message of a new customer of `type`, and its chat once stored. */
export async function newChat(url: string, db: Pick<pg.Pool, 'query'>, type: CustomerType) {
  const customer = newCustomer();
  await customersWrite(url, [customer], type);
  return { customer, chatId: await chatOf(db, customer) };
}

/**
 * The first message of a new customer of `type`, and its chat's `chat_assigned` on `agent`: recorded from
 * before the message, and picked by chat (other chats may be given to the same executive meanwhile).
 */
export async function newChatAssignedTo(
  agent: TestClient,
  url: string,
  db: Pick<pg.Pool, 'query'>,
  type: CustomerType,
): Promise<{ chatId: string; customer: string; event: ChatAssigned }> {
  const seen = recordEvents(agent, [ServerEvent.ChatAssigned]);
  const { customer, chatId } = await newChat(url, db, type);
  const events = await until(
    async () => (seen.get(ServerEvent.ChatAssigned) ?? []) as ChatAssigned[],
    (all) => all.some((event) => event.chat_id === chatId),
    `chat_assigned of chat ${chatId}`,
    10_000,
  );
  return { chatId, customer, event: events.find((event) => event.chat_id === chatId) as ChatAssigned };
}

import { CUSTOMER_TYPES, type CustomerType } from '@care-chat/contract';
import { addExecutive, addNote } from '@care-chat/store';
import {
  type FakeGraph,
  FakeMessages,
  imageMessage,
  postWebhook,
  RandomBalancer,
  SAMPLE_BUSINESS_ACCOUNTS,
  SAMPLE_NUMBERS,
  sampleTemplates,
  signToken,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  textMessage,
  webhookBody,
} from '@care-chat/testkit';
import { expect } from 'vitest';
import { Tier } from '../tier.js';
import type { IdentityRole } from './traffic.js';

export interface SeededChat {
  chatId: string;
  customer: string;
  customerName: string;
  /** The media id of its image message. */
  mediaId: string;
}

export interface Seeded {
  executive: { id: string; username: string; password: string; name: string; agentNumber: string };
  otherExecutiveId: string;
  /** A token for the executive, as the login would issue (testkit-signed until the login route exists). */
  token: string;
  otherToken: string;
  chats: Record<CustomerType, SeededChat>;
}

/** Two gateways behind a non-sticky balancer, a worker, and a fake Graph API for media downloads. */
export async function startReplayTier(graph: FakeGraph): Promise<{ tier: Tier; balancer: RandomBalancer }> {
  // The public origin, which media links name, is the balancer's, as behind Railway's.
  const balancer = await RandomBalancer.start([]);
  const links = { PUBLIC_URL: balancer.url, MEDIA_URL_SECRET: REPLAY_MEDIA_URL_SECRET };
  const whatsapp = { WHATSAPP_API_BASE_URL: graph.baseUrl, WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN };
  const tier = await Tier.start({
    gatewayEnv: { ...links, ...whatsapp },
    // SLA alerts 3 s after a customer message, so the replay sees one.
    workerEnv: { ...links, ...whatsapp, SLA_ALERT_MINUTES: '0.05' },
  });
  balancer.setUpstreams(tier.nodes.map((node) => node.port));
  // Replies reach the fake WhatsApp, whose statuses come back through the balancer.
  FakeMessages.attach(graph, { url: balancer.url, appSecret: TEST_APP_SECRET });
  return { tier, balancer };
}

const REPLAY_MEDIA_URL_SECRET = 'replay-media-url-secret-of-32-bytes-at-least';

const tokenOf = (id: string, name: string, agentNumber: string) =>
  signToken({ sub: id, name, role: 'executive', agent_number: agentNumber, customer_types: [...CUSTOMER_TYPES] });

async function executive(tier: Tier, username: string, name: string, agentNumber: string, password: string) {
  const id = await addExecutive(tier.db, {
    username,
    name,
    agentNumber,
    role: 'executive',
    customerTypes: CUSTOMER_TYPES,
    password,
  });
  if (id === undefined) throw new Error(`executive ${username} exists already`);
  return id;
}

/** `91` and ten digits, distinct per type: `919812345601` for the first. */
export const customerNumber = (index: number) => `91981234${String(index).padStart(4, '0')}`;

/**
 * Executives in PostgreSQL, and one chat per customer type written by its customer through signed
 * webhooks: a text, an image and a text in one body with one timestamp (Meta's are in seconds), so a chat
 * whose message times collide shows; a note on each; and message templates in each type's account.
 */
export async function seed(tier: Tier, graph: FakeGraph, webhookUrl: string): Promise<Seeded> {
  const password = 'replay-Password-1';
  const agentNumber = '919876500042';
  const id = await executive(tier, 'asha.verma', 'Asha Verma', agentNumber, password);
  const otherExecutiveId = await executive(tier, 'ravi.kumar', 'Ravi Kumar', '919876500043', password);
  const timestamp = Math.floor(Date.now() / 1000);
  const chats = {} as Record<CustomerType, SeededChat>;
  for (const [index, type] of CUSTOMER_TYPES.entries()) {
    graph.templates.set(SAMPLE_BUSINESS_ACCOUNTS[type], sampleTemplates(type));
    const customer = customerNumber(index + 1);
    const customerName = `Rahul ${type}`;
    const from = { phoneNumberId: SAMPLE_NUMBERS[type], from: customer, timestamp };
    const image = imageMessage({ ...from, caption: `Receipt from ${type}` });
    const mediaId = (image as unknown as { image: { id: string } }).image.id;
    graph.addMedia({ id: mediaId, mimeType: 'image/jpeg', bytes: Buffer.from(`jpeg bytes of ${type}`) });
    const body = webhookBody([
      {
        phoneNumberId: SAMPLE_NUMBERS[type],
        contacts: [{ wa_id: customer, name: customerName }],
        messages: [textMessage({ ...from, text: 'Where is my cab?' }), image, textMessage({ ...from, text: 'Hello?' })],
      },
    ]);
    const answer = await postWebhook(webhookUrl, body, TEST_APP_SECRET);
    expect(answer.status, answer.text).toBe(200);
    chats[type] = { chatId: '', customer, customerName, mediaId };
  }
  await tier.drained();
  const { rows } = await tier.db.query<{ id: string; customer: string }>(
    'SELECT id::text AS id, customer FROM chats WHERE customer = ANY($1)',
    [Object.values(chats).map((chat) => chat.customer)],
  );
  for (const chat of Object.values(chats)) {
    chat.chatId = rows.find((r) => r.customer === chat.customer)?.id ?? '';
    if (chat.chatId === '') throw new Error(`seeding: no chat for ${chat.customer}`);
    // The Notes tab has a note to show, so its reads are checked on a row.
    const author = { id, name: 'Asha Verma' };
    const note = { chatId: chat.chatId, content: 'Called back.', author, customerTypes: CUSTOMER_TYPES };
    if ((await addNote(tier.db, note)) === null) throw new Error(`seeding: no note on chat ${chat.chatId}`);
  }
  return {
    executive: { id, username: 'asha.verma', password, name: 'Asha Verma', agentNumber },
    otherExecutiveId,
    token: tokenOf(id, 'Asha Verma', agentNumber),
    otherToken: tokenOf(otherExecutiveId, 'Ravi Kumar', '919876500043'),
    chats,
  };
}

/**
 * The seeded values that replace the fixtures' examples on a page (header and unused variants have no
 * page: they take the Partner chat). `tokens` are the ones in use, the login's once it has answered.
 */
export function identityOn(
  seeded: Seeded,
  type: CustomerType | null,
  tokens: { accessToken: string; refreshToken: string } = { accessToken: seeded.token, refreshToken: '' },
): Record<IdentityRole, string> {
  const chat = seeded.chats[type ?? 'Partner'];
  return {
    agentNumber: seeded.executive.agentNumber,
    executive_id: seeded.executive.id,
    other_executive_id: seeded.otherExecutiveId,
    chat_id: chat.chatId,
    customer: chat.customer,
    customer_typed: chat.customer.slice(-10),
    username: seeded.executive.username,
    password: seeded.executive.password,
    ...tokens,
  };
}

import { ClientEvent, responseEvent, ServerEvent } from '@care-chat/contract';
import {
  closeAllClients,
  FakeGraph,
  imageMessage,
  nextEvent,
  postWebhook,
  type RandomBalancer,
  recordEvents,
  SAMPLE_NUMBERS,
  settle,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  type TestClient,
  viaEmitter,
  webhookBody,
} from '@care-chat/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tier } from '../tier.js';
import { CAUSES } from './broadcast-causes.js';
import { verify } from './checks.js';
import { ANSWER_TIMEOUT_MS, pagesOf, replayFlow } from './flows.js';
import { answerName, connectAsDashboard, contextOn, emitVariant, expectReads } from './replay.js';
import { identityOn, type Seeded, seed, startReplayTier } from './seed.js';
import { REPLAYED, readsOf, replayedSequences, replayedVariants, type Variant } from './traffic.js';

// The dashboard's own traffic (traffic.json, from its source) against two gateways behind a non-sticky
// balancer: one socket is "the dashboard", taken through every variant in order and never leaving a
// room or a chat; the broadcasts are then checked on it, in that state.
let tier: Tier;
let balancer: RandomBalancer;
let graph: FakeGraph;
let seeded: Seeded;
let dashboard: TestClient;
const disconnections: string[] = [];

beforeAll(async () => {
  graph = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
  ({ tier, balancer } = await startReplayTier(graph));
  seeded = await seed(tier, graph, balancer.url);
  dashboard = await connectAsDashboard(balancer.url, seeded.token);
  dashboard.on('disconnect', (reason) => disconnections.push(reason));
});
afterAll(async () => {
  closeAllClients();
  await balancer?.close();
  await tier?.stop();
  await graph?.close();
});

/** What the seeded data guarantees of an answer, beyond the dashboard's reads. */
function seededFacts(variant: Variant, answer: Record<string, unknown>): string[] {
  const { payload, event } = variant;
  const type = variant.customer_type ?? 'Partner';
  const facts: string[] = [];
  if (event === 'fetch_all_chats' && payload.page === 1 && payload.status === 'active' && !('user_status' in payload)) {
    const chats = Array.isArray(answer.chats) ? answer.chats : [];
    if (!chats.some((c) => c.chat_id === seeded.chats[type].chatId))
      facts.push(
        `chats: expected the seeded ${type} chat ${seeded.chats[type].chatId} on page 1, got ${chats.length} rows`,
      );
  }
  if (event === 'fetch_all_chats' && 'user_status' in payload) {
    // user_status filters on customer_details.dco_status, which the seeded customers do not have.
    const chats = Array.isArray(answer.chats) ? answer.chats : [];
    if (chats.some((c) => c.chat_id === seeded.chats.Partner.chatId))
      facts.push(
        `chats: the seeded Partner chat has no dco_status, so user_status ${payload.user_status} must not list it`,
      );
  }
  if (event === 'fetch_chats_by_user' && payload.page === 1) {
    const messages = Array.isArray(answer.messages) ? (answer.messages as { datetime?: unknown }[]) : [];
    if (messages.length < 3) facts.push(`messages: expected the 3 seeded messages, got ${messages.length}`);
    const times = messages.map((m) => m.datetime);
    if (new Set(times).size !== times.length)
      facts.push(
        `messages[].datetime: expected distinct times (the dashboard drops repeats), got ${JSON.stringify(times)}`,
      );
  }
  if (event === 'search_chat') {
    const row = (Array.isArray(answer.chats) ? answer.chats[0] : answer.chat) as { customer?: unknown } | undefined;
    if (row?.customer !== seeded.chats.Partner.customer)
      facts.push(
        `the found chat: expected customer ${seeded.chats.Partner.customer}, got ${JSON.stringify(row?.customer)}`,
      );
  }
  return facts;
}

describe('every reachable variant, emitted as the dashboard emits it', () => {
  it.each(replayedVariants(true).map((v) => [v.id, v] as const))('%s', async (_id, variant) => {
    const answer = nextEvent(dashboard, answerName(variant) as typeof ServerEvent.NewMessage, ANSWER_TIMEOUT_MS);
    emitVariant(dashboard, variant, identityOn(seeded, variant.customer_type));
    const payload = (await answer.catch(() => {
      throw new Error(`${variant.id}: no ${answerName(variant)} within ${ANSWER_TIMEOUT_MS} ms`);
    })) as unknown as Record<string, unknown>;
    if (variant.answer_event !== null) {
      const context = contextOn(seeded, variant.customer_type);
      expectReads('answers', variant.answer_event, payload, context, seededFacts(variant, payload));
    }
    expect(disconnections).toEqual([]);
  });
});

describe('every unreachable variant is answered or ignored, and the connection survives', () => {
  it.each(replayedVariants(false).map((v) => [v.id, v] as const))('%s', async (_id, variant) => {
    const client = await connectAsDashboard(balancer.url, seeded.token);
    const dropped: string[] = [];
    client.on('disconnect', (reason) => dropped.push(reason));
    emitVariant(client, variant, identityOn(seeded, variant.customer_type));
    // A later event still answered proves the socket and its node took the variant in their stride.
    const probe = nextEvent(client, responseEvent(ClientEvent.JoinRoom), 10_000);
    (client as unknown as Socket).emit(ClientEvent.JoinRoom, { room: 'PartnerApp' });
    await probe;
    expect({ connected: client.connected, dropped }).toEqual({ connected: true, dropped: [] });
    client.disconnect();
  });
});

describe('flows, in order, duplicates included', () => {
  const perPage = replayedSequences().filter(([, sequence]) => sequence.per_page);
  it.each(perPage.flatMap(([name, sequence]) => pagesOf(sequence).map((type) => [name, type, sequence] as const)))(
    '%s on the %s page',
    async (_name, type, sequence) => {
      await replayFlow(sequence, type, dashboard, seeded, balancer.url);
      expect(disconnections).toEqual([]);
    },
  );
});

describe('broadcasts reach the dashboard socket in the state the replay left it in', () => {
  const other = () => connectAsDashboard(balancer.url, seeded.otherToken);
  const again = () => connectAsDashboard(balancer.url, seeded.token);
  it.each([...REPLAYED.broadcasts])('%s', async (name) => {
    const cause = CAUSES[name];
    if (cause === undefined) throw new Error(`no cause for ${name} in broadcast-causes.ts`);
    const received = await cause({ seeded, dashboard, other, again, webhookUrl: balancer.url });
    const { fields } = readsOf('broadcasts', name);
    const failures = received.flatMap(({ label, payload, context }) =>
      verify(payload, fields, context).map((failure) => `${label}: ${failure}`),
    );
    expect(failures, `${name}, as the dashboard reads it`).toEqual([]);
    expect(disconnections).toEqual([]);
  });

  it('a new_message reaches each socket once, however often it joined the chat', async () => {
    // The dashboard socket sent join_chat twice for the Partner chat (with and without agentNumber).
    const { chatId, customer } = seeded.chats.Partner;
    const second = await connectAsDashboard(balancer.url, seeded.otherToken);
    const joined = nextEvent(second, responseEvent(ClientEvent.JoinChat), 10_000);
    (second as unknown as Socket).emit(ClientEvent.JoinChat, { chat_id: chatId, type: 'Agent' });
    await joined;
    const seen = [dashboard, second].map((client) => recordEvents(client, [ServerEvent.NewMessage]));
    const image = imageMessage({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, caption: 'once' });
    const arrival = nextEvent(dashboard, ServerEvent.NewMessage, 10_000, (m) => m.wamid === image.id);
    const body = webhookBody([
      { phoneNumberId: SAMPLE_NUMBERS.Partner, contacts: [{ wa_id: customer }], messages: [image] },
    ]);
    expect((await postWebhook(balancer.url, body, TEST_APP_SECRET)).status).toBe(200);
    await arrival;
    await settle(viaEmitter(tier.emitter), [dashboard, second]);
    const counts = seen.map(
      (events) =>
        (events.get(ServerEvent.NewMessage) as { wamid?: string }[]).filter((m) => m.wamid === image.id).length,
    );
    expect({ dashboard: counts[0], another: counts[1] }).toEqual({ dashboard: 1, another: 1 });
    expect(disconnections).toEqual([]);
  });
});

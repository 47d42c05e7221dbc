import { type ChatAssigned, ServerEvent } from '@care-chat/contract';
import {
  type AppProcess,
  postWebhook,
  recordEvents,
  SAMPLE_NUMBERS,
  settle,
  TEST_APP_SECRET,
  type TestClient,
  textWebhook,
  until,
  viaEmitter,
} from '@care-chat/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tierForFile } from './dashboard-variants.js';
import { customersWrite, goOnline, newCustomer, PRESENCE_ENV, someone } from './presence-helpers.js';

// Presence kept long: nobody goes offline (and hands chats on) between tests, whose clients are closed.
// Fewer PostgreSQL connections than a worker's default: the machine's PostgreSQL serves other runs too.
const WORKER_ENV = { WORKER_CONCURRENCY: '16' };
const run = tierForFile({
  gatewayEnv: { ...PRESENCE_ENV, PRESENCE_GRACE_MS: '600000' },
  workerEnv: WORKER_ENV,
});
const executives = [0, 1, 2, 3, 4].map(() => someone({ customer_types: ['Partner'] }));
let secondWorker: AppProcess;
let agents: { id: string; client: TestClient; seen: Map<string, unknown[]> }[] = [];

beforeAll(async () => {
  secondWorker = await run.tier.anotherWorker(WORKER_ENV);
});
// Five executives, on both gateways, each recording the chats given to them.
beforeEach(async () => {
  agents = await Promise.all(
    executives.map(async (claims, index) => {
      const client = await goOnline(run.tier.nodes[index % 2 === 0 ? 0 : 1].url, claims);
      return { id: claims.sub, client, seen: recordEvents(client, [ServerEvent.ChatAssigned]) };
    }),
  );
});
afterAll(async () => {
  await secondWorker?.stop();
});

const assignedEvents = () =>
  agents.flatMap((agent) => (agent.seen.get(ServerEvent.ChatAssigned) ?? []) as ChatAssigned[]);

async function chatsOf(customers: readonly string[]) {
  const { rows } = await run.tier.db.query<{ id: string; assigned_executive_id: string | null }>(
    'SELECT id::text, assigned_executive_id FROM chats WHERE customer = ANY($1)',
    [customers],
  );
  return rows;
}

/** Resolves once every chat of `customers` was told assigned, then proves nothing more came. */
async function everyAssignmentOf(customers: readonly string[]) {
  const chats = await until(
    () => chatsOf(customers),
    (rows) => rows.length === customers.length && rows.every((row) => row.assigned_executive_id !== null),
    `${customers.length} chats assigned`,
    60_000,
  );
  const ids = new Set(chats.map((chat) => chat.id));
  await until(
    async () => assignedEvents().filter((event) => ids.has(event.chat_id)),
    (events) => new Set(events.map((event) => event.chat_id)).size === ids.size,
    'every chat_assigned',
    20_000,
  );
  await settle(
    viaEmitter(run.tier.emitter),
    agents.map((agent) => agent.client),
  );
  return { chats, events: assignedEvents().filter((event) => ids.has(event.chat_id)) };
}

function expectEachOnce(chats: { id: string; assigned_executive_id: string | null }[], events: ChatAssigned[]): void {
  // One chat_assigned per chat, naming the assignee the database has, on that executive's socket.
  expect(events).toHaveLength(chats.length);
  const byChat = new Map(chats.map((chat) => [chat.id, chat.assigned_executive_id]));
  for (const event of events) expect(event.executive_id).toBe(byChat.get(event.chat_id));
  for (const agent of agents) {
    for (const event of (agent.seen.get(ServerEvent.ChatAssigned) ?? []) as ChatAssigned[]) {
      if (byChat.has(event.chat_id)) expect(event.executive_id).toBe(agent.id);
    }
  }
}

/** The open chats of each of the five, over every chat of this file: within one of even. */
async function expectEvenLoad(): Promise<void> {
  const { rows } = await run.tier.db.query<{ executive: string; open: number }>(
    `SELECT assigned_executive_id AS executive, count(*)::int AS open FROM chats
      WHERE assigned_executive_id = ANY($1) AND status <> 'resolved' GROUP BY 1`,
    [agents.map((agent) => agent.id)],
  );
  expect(rows).toHaveLength(5);
  const counts = rows.map((row) => row.open);
  expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
}

describe('assignment under load, two workers', () => {
  it('spreads 1,000 new chats among 5 executives within one chat of even', async () => {
    const customers = Array.from({ length: 1000 }, newCustomer);
    await customersWrite(run.balancer.url, customers, 'Partner');
    const { chats, events } = await everyAssignmentOf(customers);
    expectEachOnce(chats, events);
    await expectEvenLoad();
  }, 120_000);

  it('gives each chat one assignee, told once, when 200 first messages arrive at once', async () => {
    // 20 new customers, ten messages each, every message its own webhook, all at once to both gateways.
    const customers = Array.from({ length: 20 }, newCustomer);
    const bodies = customers.flatMap((from) =>
      Array.from({ length: 10 }, (_, n) => textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from, text: `#${n}` })),
    );
    const answers = await Promise.all(bodies.map((body) => postWebhook(run.balancer.url, body, TEST_APP_SECRET)));
    for (const answer of answers) expect(answer.status).toBe(200);
    const { chats, events } = await everyAssignmentOf(customers);
    expectEachOnce(chats, events);
    await expectEvenLoad();
  }, 120_000);
});

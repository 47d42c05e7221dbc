import { type CustomerType, type DeliveryStatus, QueueName, redisKeys } from '@care-chat/contract';
import {
  type AppProcess,
  closeAllClients,
  FakeGraph,
  FakeMessages,
  postWebhook,
  RandomBalancer,
  SAMPLE_NUMBERS,
  startWorker,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  textWebhook,
  until,
} from '@care-chat/testkit';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Tier } from './tier.js';

/** The origin test gateways name their media links with; a media reply may point at one. */
export const PUBLIC_URL = 'http://media.tier.test';
const MEDIA_URL_SECRET = 'test-media-url-secret-0123456789-abcdefghij';

/** What every worker of a reply test is started with: the fake WhatsApp, quick retries. */
export function replyWorkerEnv(fake: FakeGraph, env: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_API_BASE_URL: fake.baseUrl,
    WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    OUTBOUND_RETRY_MS: '100',
    OUTBOUND_MAX_ATTEMPTS: '3',
    OUTBOUND_UNKNOWN_WAIT_MS: '5000',
    WHATSAPP_TIMEOUT_MS: '4000',
    PUBLIC_URL,
    MEDIA_URL_SECRET,
    ...env,
  };
}

export interface ReplyTier {
  tier: Tier;
  balancer: RandomBalancer;
  fake: FakeGraph;
  messages: FakeMessages;
  /** Every worker of the tier: the tier's own first. */
  workers: AppProcess[];
  outbound: Queue;
  /** Another worker on the tier, as the others (not stopped for the test). */
  startWorker: (env?: Record<string, string>) => Promise<AppProcess>;
}

/**
 * A tier for a test file of replies: two gateways behind the non-sticky balancer, `workerCount` workers
 * sending to a fake WhatsApp whose statuses come back through the balancer, signed. Clients are closed
 * after each test.
 */
export function replyTierForFile(options: { workerCount?: number; workerEnv?: Record<string, string> } = {}) {
  const running = {} as ReplyTier;
  running.startWorker = (env = {}) =>
    startWorker(running.tier.prefix, {
      DATABASE_URL: running.tier.database.url,
      ...replyWorkerEnv(running.fake, { ...options.workerEnv, ...env }),
    });
  beforeAll(async () => {
    running.fake = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
    running.messages = FakeMessages.attach(running.fake);
    const env = replyWorkerEnv(running.fake, options.workerEnv);
    running.tier = await Tier.start({ workerEnv: env, gatewayEnv: { PUBLIC_URL, MEDIA_URL_SECRET } });
    running.workers = [running.tier.worker];
    for (let more = 1; more < (options.workerCount ?? 2); more += 1) running.workers.push(await running.startWorker());
    running.balancer = await RandomBalancer.start(running.tier.nodes.map((node) => node.port));
    running.messages.postStatusesTo({ url: running.balancer.url, appSecret: TEST_APP_SECRET });
    running.outbound = new Queue(QueueName.Outbound, {
      connection: running.tier.redis,
      prefix: redisKeys(running.tier.prefix).queues,
    });
  });
  afterEach(closeAllClients);
  afterAll(async () => {
    await running.outbound?.close();
    await running.balancer?.close();
    await Promise.all(running.workers?.slice(1).map((worker) => worker.stop()) ?? []);
    await running.tier?.stop();
    await running.fake?.close();
  });
  return running;
}

let serial = 0;

/** A fresh customer's chat of `type`, made by their message: the customer-service window is open. */
export async function chatWithOpenWindow(
  run: ReplyTier,
  type: CustomerType,
): Promise<{ chatId: string; customer: string }> {
  serial += 1;
  const customer = `9188${String(process.pid % 10_000).padStart(4, '0')}${String(Date.now() % 1000).padStart(3, '0')}${String(serial).padStart(3, '0')}`;
  const answer = await postWebhook(
    run.balancer.url,
    textWebhook({ phoneNumberId: SAMPLE_NUMBERS[type], from: customer, text: 'Hello, I need help' }),
    TEST_APP_SECRET,
  );
  if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
  const rows = await until(
    async () =>
      (await run.tier.db.query<{ id: string }>('SELECT id::text FROM chats WHERE customer = $1', [customer])).rows,
    (found) => found.length === 1,
    `the chat of ${customer}`,
  );
  return { chatId: rows[0]?.id ?? '', customer };
}

export interface StoredReply {
  id: string;
  body: string;
  kind: string;
  wamid: string | null;
  delivery_status: DeliveryStatus;
  delivery_error: { code: number; title: string; message?: string } | null;
  send_attempts: number;
}

/** The executives' messages of a chat, oldest first. */
export async function repliesOf(run: ReplyTier, chatId: string): Promise<StoredReply[]> {
  const { rows } = await run.tier.db.query<StoredReply>(
    `SELECT id::text, body, kind, wamid, delivery_status, delivery_error, send_attempts FROM messages
      WHERE chat_id = $1 AND sender_type = 'Executive' ORDER BY id`,
    [chatId],
  );
  return rows;
}

/** Resolves once reply `messageId` is `status`; a timeout says where the reply and its queues were. */
export async function replyReaches(
  run: ReplyTier,
  chatId: string,
  messageId: string,
  status: DeliveryStatus,
  timeoutMs = 20_000,
) {
  try {
    return await until(
      () => repliesOf(run, chatId),
      (replies) => replies.find((reply) => reply.id === messageId)?.delivery_status === status,
      `reply ${messageId} to be ${status}`,
      timeoutMs,
    );
  } catch (error) {
    const where = {
      reply: (await repliesOf(run, chatId)).find((reply) => reply.id === messageId),
      parked: (await run.tier.db.query('SELECT wamid, status, message_id FROM parked_statuses')).rows,
      outbound: await run.outbound.getJobCounts(),
      inbound: await run.tier.queue.getJobCounts(),
      taken: run.messages.accepted.filter((send) => send.callbackData === `reply:${messageId}`).length,
    };
    throw new Error(`${(error as Error).message}: ${JSON.stringify(where)}`);
  }
}

/** Resolves once the outbound queue has nothing left to do: every reply queued so far is sent or failed. */
export async function outboundDrained(run: ReplyTier, timeoutMs = 30_000): Promise<void> {
  await until(
    () => run.outbound.getJobCounts('waiting', 'delayed', 'active', 'prioritized'),
    (counts) => Object.values(counts).every((count) => count === 0),
    'the outbound queue to drain',
    timeoutMs,
  );
}

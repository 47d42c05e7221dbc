/**
 * `npm run chaos`: the whole tier under faults. Dashboards (some on long-polling) behind a load balancer
 * without sticky sessions, customers writing through signed webhooks, while gateways are killed or
 * stopped, the worker is killed and Redis is restarted, and once, halfway, Redis stays away for
 * --outage seconds (longer than ioredis retries a command, about 21 s). Meanwhile an executive replies to
 * the customers (--replies a second), through the worker to a fake WhatsApp. Prints how many messages were
 * sent, stored and delivered, how many replies were sent and reached the fake WhatsApp, and how many of
 * either were lost or duplicated (all must be 0); exits 1 if any were.
 * Writes bench/runs/chaos.json, and with --save bench/results/chaos.json too (the committed figures).
 *   node packages/testkit/dist/chaos.js [--seconds 40] [--outage 30] [--clients 120] [--rate 20] [--replies 5]
 *     [--gateways 3] [--save]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import {
  type ChatSummary,
  ClientEvent,
  CUSTOMER_TYPES,
  ROOM_UPDATE_EVENTS,
  responseEvent,
  routeOf,
} from '@care-chat/contract';
import pg from 'pg';
import { connected, dashboardClient, nextEvent, type TestClient } from './clients.js';
import { FakeGraph } from './fake-graph/fake-graph.js';
import { FakeMessages } from './fake-graph/messages-route.js';
import { type GatewayNode, launchGateway, launchWorker } from './launch.js';
import { RandomBalancer } from './random-balancer.js';
import { RedisServer } from './redis-server.js';
import { writeReportFile } from './report-files.js';
import { signToken } from './tokens.js';
import { postWebhook, SAMPLE_NUMBERS, TEST_ACCESS_TOKEN, TEST_APP_SECRET, textWebhook } from './whatsapp-webhooks.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '40' },
    outage: { type: 'string', default: '30' },
    clients: { type: 'string', default: '120' },
    rate: { type: 'string', default: '20' },
    replies: { type: 'string', default: '5' },
    gateways: { type: 'string', default: '3' },
    save: { type: 'boolean', default: false },
  },
});
const [SECONDS, OUTAGE, CLIENTS, RATE, GATEWAYS, REPLY_RATE] = [
  args.seconds,
  args.outage,
  args.clients,
  args.rate,
  args.gateways,
  args.replies,
].map(Number) as [number, number, number, number, number, number];
const log = (text: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${text}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The tier: its own durable Redis, its own database, G gateways behind the balancer, one worker.
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `chaos_${Date.now()}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
const redis = await RedisServer.start({ dataDir: mkdtempSync(`${tmpdir()}/chaos-redis-`) });
// The fake WhatsApp the replies go to; its statuses come back through the balancer, retried as Meta's.
const whatsapp = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
const sentToWhatsApp = FakeMessages.attach(whatsapp);
const env = {
  REDIS_URL: redis.url,
  DATABASE_URL: databaseUrl,
  REDIS_KEY_PREFIX: 'chaos',
  LOG_LEVEL: 'info',
  STARTUP_TIMEOUT_MS: '20000',
  SOCKET_EVENTS_PER_SECOND: '1000',
  WHATSAPP_API_BASE_URL: whatsapp.baseUrl,
  WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
  // Longer than Redis stays away, during which no status reaches the tier.
  OUTBOUND_UNKNOWN_WAIT_MS: String((OUTAGE + 15) * 1000),
};
const gateways: GatewayNode[] = await Promise.all(Array.from({ length: GATEWAYS }, () => launchGateway(env)));
let worker = await launchWorker({ ...env, WORKER_LOCK_MS: '3000' });
const balancer = await RandomBalancer.start(gateways.map((node) => node.port));
sentToWhatsApp.postStatusesTo({ url: balancer.url, appSecret: TEST_APP_SECRET });
log(`tier up: ${GATEWAYS} gateways, 1 worker, Redis :${redis.port} (AOF), database ${database}`);

// Dashboards: half default (WebSocket, then polling), half long-polling only; each joins one type's room once.
interface Dashboard {
  client: TestClient;
  type: (typeof CUSTOMER_TYPES)[number];
  received: string[];
  disconnects: number;
  recovered: number;
  gaveUp: boolean;
}
const dashboards: Dashboard[] = [];
for (let i = 0; i < CLIENTS; i++) {
  const type = CUSTOMER_TYPES[i % CUSTOMER_TYPES.length] ?? 'Partner';
  const transports = i % 2 === 0 ? ['websocket', 'polling'] : ['polling'];
  // As the dashboard's socket.io-client does by default, it keeps trying: Redis stays away longer than the
  // testkit's five attempts.
  const options = { transports, reconnectionAttempts: Number.POSITIVE_INFINITY };
  const client = await connected(dashboardClient(balancer.url, signToken({ sub: `chaos_${i}` }), options));
  const dashboard: Dashboard = { client, type, received: [], disconnects: 0, recovered: 0, gaveUp: false };
  const { room, event } = routeOf(type);
  (client as unknown as { on: (e: string, f: (s: ChatSummary) => void) => void }).on(event, (summary) => {
    if (summary.last_message !== null) dashboard.received.push(summary.last_message);
  });
  client.on('disconnect', () => dashboard.disconnects++);
  client.on('connect', () => client.recovered && dashboard.recovered++);
  client.io.on('reconnect_failed', () => {
    dashboard.gaveUp = true;
  });
  const joined = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
  client.emit(ClientEvent.JoinRoom, { room });
  await joined;
  dashboards.push(dashboard);
}
log(`${CLIENTS} dashboards joined (${ROOM_UPDATE_EVENTS.length} rooms)`);

// Customers: one message every 1/RATE s, each from a customer of its own; refused deliveries are sent
// again until taken, as Meta does.
const sent: { text: string; type: string }[] = [];
const deliveries: Promise<void>[] = [];
let sending = true;
async function deliver(index: number): Promise<void> {
  const type = CUSTOMER_TYPES[index % CUSTOMER_TYPES.length] ?? 'Partner';
  const text = `chaos ${index}`;
  const body = textWebhook({
    phoneNumberId: SAMPLE_NUMBERS[type],
    from: `9190${String(index).padStart(8, '0')}`,
    text,
  });
  for (;;) {
    const status = await postWebhook(balancer.url, body, TEST_APP_SECRET).then(
      (answer) => answer.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(500);
  }
  sent.push({ text, type });
}
const sender = (async () => {
  for (let i = 0; sending; i++) {
    deliveries.push(deliver(i));
    await sleep(1000 / RATE);
  }
})();

// An executive replies to the customers whose chats are stored, one after the other: a reply answered
// `status: 1` is one the tier took, and must reach WhatsApp once. One whose answer was lost (its gateway
// died) or that was refused (Redis away: not queued) is not counted as sent.
const replies = { sent: new Set<string>(), refused: 0, unanswered: 0 };
const replier = await connected(
  dashboardClient(balancer.url, signToken({ sub: 'chaos_replier' }), {
    reconnectionAttempts: Number.POSITIVE_INFINITY,
  }),
);
const chatsDb = new pg.Client({ connectionString: databaseUrl });
await chatsDb.connect();
const repliesDone = (async () => {
  for (let i = 0; sending; i++) {
    await sleep(1000 / REPLY_RATE);
    const chat = await chatsDb
      .query<{ id: string }>('SELECT id::text FROM chats ORDER BY id OFFSET $1 LIMIT 1', [i])
      .then(
        (result) => result.rows[0],
        () => undefined,
      );
    if (chat === undefined) {
      i--;
      continue;
    }
    const answer = await replier
      .timeout(10_000)
      .emitWithAck(ClientEvent.SendMessage, { chat_id: chat.id, message: `reply ${i}`, datetime: String(i) })
      .then(
        (response) => response as { status: number; message_id?: string },
        () => undefined,
      );
    if (answer === undefined) replies.unanswered++;
    else if (answer.status === 1 && answer.message_id !== undefined) replies.sent.add(answer.message_id);
    else replies.refused++;
  }
})();

// Faults, one at a time: the load balancer stops sending to a replica as soon as it is gone.
async function replace(node: GatewayNode, signal: NodeJS.Signals): Promise<void> {
  balancer.setUpstreams(gateways.filter((other) => other !== node).map((other) => other.port));
  await node.process.stop(signal);
  const fresh = await launchGateway(env);
  gateways.splice(gateways.indexOf(node), 1, fresh);
  balancer.setUpstreams(gateways.map((other) => other.port));
}
const faults = { gatewayKilled: 0, gatewayStopped: 0, workerKilled: 0, redisRestarted: 0, redisAwaySeconds: 0 };
const halfway = Date.now() + (SECONDS * 1000) / 2;
const deadline = Date.now() + (SECONDS + OUTAGE) * 1000;
// The long outage is a step of its own between two rounds, so every other fault still comes in turn.
let round = 0;
while (Date.now() < deadline) {
  await sleep(3000);
  if (faults.redisAwaySeconds < OUTAGE && Date.now() >= halfway) {
    log(`Redis away for ${OUTAGE} s`);
    await redis.kill();
    await sleep(OUTAGE * 1000);
    await redis.start();
    faults.redisAwaySeconds = OUTAGE;
    continue;
  }
  const node = gateways[round % gateways.length] as GatewayNode;
  switch (round % 4) {
    case 0:
      await replace(node, 'SIGKILL');
      faults.gatewayKilled++;
      break;
    case 1:
      await worker.stop('SIGKILL');
      worker = await launchWorker({ ...env, WORKER_LOCK_MS: '3000' });
      faults.workerKilled++;
      break;
    case 2:
      await replace(node, 'SIGTERM');
      faults.gatewayStopped++;
      break;
    default:
      await redis.kill();
      await sleep(1500);
      await redis.start();
      faults.redisRestarted++;
  }
  round++;
  log(`faults so far: ${JSON.stringify(faults)}`);
}
sending = false;
await Promise.all([sender, repliesDone]);
await Promise.all(deliveries);
log(`${sent.length} messages taken by the webhook; waiting for them to be stored and delivered`);

// Settle: every taken message stored, every dashboard given what its room should have.
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const stored = async () =>
  (await db.query<{ n: number }>("SELECT count(DISTINCT wamid)::int AS n FROM messages WHERE sender_type = 'Customer'"))
    .rows[0]?.n ?? 0;
const expectedFor = (type: string) => sent.filter((message) => message.type === type).map((message) => message.text);
const settled = () => dashboards.every((d) => new Set(d.received).size >= expectedFor(d.type).length || d.gaveUp);
const callbackIds = () => new Set(sentToWhatsApp.accepted.map((send) => send.callbackData?.replace(/^reply:/, '')));
const repliesSettled = () => [...replies.sent].every((id) => callbackIds().has(id));
for (const until = Date.now() + 60_000; Date.now() < until && ((await stored()) < sent.length || !settled()); )
  await sleep(250);
// A reply whose call died with its worker waits OUTBOUND_UNKNOWN_WAIT_MS for a status before it is sent again.
for (const until = Date.now() + (OUTAGE + 45) * 1000; Date.now() < until && !repliesSettled(); ) await sleep(250);
// A reply sent twice would be sent again after the wait: give that its time before counting.
await sleep(2000);

let lost = 0;
let duplicated = 0;
let deliveredCount = 0;
for (const dashboard of dashboards) {
  const unique = new Set(dashboard.received);
  const expected = expectedFor(dashboard.type);
  lost += expected.filter((text) => !unique.has(text)).length;
  duplicated += dashboard.received.length - unique.size;
  deliveredCount += unique.size;
}
const report = {
  seconds: SECONDS,
  gateways: GATEWAYS,
  clients: CLIENTS,
  faults,
  messagesSent: sent.length,
  messagesStored: await stored(),
  deliveriesExpected: dashboards.reduce((sum, d) => sum + expectedFor(d.type).length, 0),
  deliveriesDelivered: deliveredCount,
  lost,
  duplicated,
  disconnections: dashboards.reduce((sum, d) => sum + d.disconnects, 0),
  recoveries: dashboards.reduce((sum, d) => sum + d.recovered, 0),
  clientsGaveUp: dashboards.filter((d) => d.gaveUp).length,
  repliesSent: replies.sent.size,
  repliesDeliveredToWhatsApp: [...replies.sent].filter((id) => callbackIds().has(id)).length,
  repliesLost: [...replies.sent].filter((id) => !callbackIds().has(id)).length,
  repliesDuplicated: sentToWhatsApp.accepted.length - callbackIds().size,
  // Taken by the tier though their answer was lost, or refused while Redis was away: not counted as sent.
  repliesUnanswered: replies.unanswered,
  repliesRefused: replies.refused,
};
const { faults: faultCounts, ...figures } = report;
console.table({ ...figures, ...faultCounts });
writeReportFile('chaos.json', `${JSON.stringify(report, null, 2)}\n`, args.save);
console.log(`sent ${report.messagesSent}, stored ${report.messagesStored}, lost ${lost}, duplicated ${duplicated}`);
console.log(
  `replies sent ${report.repliesSent}, delivered to WhatsApp ${report.repliesDeliveredToWhatsApp}, lost ${report.repliesLost}, duplicated ${report.repliesDuplicated}`,
);

for (const dashboard of dashboards) dashboard.client.disconnect();
replier.disconnect();
sentToWhatsApp.postStatusesTo(null);
await chatsDb.end();
await whatsapp.close();
await balancer.close();
await Promise.all([...gateways.map((node) => node.process.stop()), worker.stop()]);
await redis.kill();
await db.end();
await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin.end();
const repliesExact = report.repliesLost === 0 && report.repliesDuplicated === 0;
process.exit(
  lost === 0 &&
    duplicated === 0 &&
    report.messagesStored === report.messagesSent &&
    report.clientsGaveUp === 0 &&
    repliesExact
    ? 0
    : 1,
);

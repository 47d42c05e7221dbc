import { redisKeys } from '@care-chat/contract';
import {
  boot,
  createRedis,
  onShutdownSignal,
  redisAddress,
  waitUntilReady,
  watchRedisPersistence,
} from '@care-chat/runtime';
import { createPool, dashboardStats, migrate, primeIngest, warmPool } from '@care-chat/store';
import { Queue, type Worker } from 'bullmq';
import { dashboardEmitter, publishStats } from './broadcaster.js';
import { startDutyWorkers } from './duty-workers.js';
import { loadConfig } from './env.js';
import { startWorkerHttp } from './http-server.js';
import { startInboundWorker } from './inbound-worker.js';
import { WorkerMetrics } from './metrics.js';
import { onlineExecutives } from './online-executives.js';
import { sendToWhatsApp } from './outbound/graph-client.js';
import { ReplyPacer } from './outbound/reply-pacer.js';
import { startOutboundWorker } from './outbound-worker.js';
import { slaSchedule } from './sla-schedule.js';
import { listenForStatsChanges } from './stats-changes.js';
import { StatsPublisher } from './stats-publisher.js';

const { log, config } = boot('worker', () => loadConfig(process.env));
const startup = { timeoutMs: config.startupTimeoutMs };

// BullMQ blocks on its connection, so it must retry commands forever rather than fail them.
const queueRedis = createRedis(config.redisUrl, log, 'worker-queue', { maxRetriesPerRequest: null });
const emitRedis = createRedis(config.redisUrl, log, 'worker-emit');
const db = createPool(config.databaseUrl, config.concurrency + 2);
db.on('error', (err) => log.warn({ err }, 'idle postgres client failed'));

await waitUntilReady(
  `Redis at ${redisAddress(config.redisUrl)} (REDIS_URL)`,
  () => Promise.all([queueRedis.ping(), emitRedis.ping()]),
  startup,
);
await watchRedisPersistence(queueRedis, log);
await waitUntilReady('PostgreSQL (DATABASE_URL)', () => db.query('SELECT 1'), startup);
await migrate(db, log);
// Enough for the usual overlap of jobs; a burst opens more, up to the pool's size.
await warmPool(db, Math.min(4, config.concurrency), primeIngest);

const emitter = dashboardEmitter(emitRedis, config.redisKeyPrefix, config.recoveryWindowMs);
const stats = new StatsPublisher(
  () => dashboardStats(db),
  (current, previous) => publishStats(emitter, current, previous),
  config.statsIntervalMs,
  log.child({ module: 'stats' }),
);
const statsChanges = await listenForStatsChanges(
  emitRedis,
  config.redisKeyPrefix,
  stats,
  log.child({ module: 'stats' }),
);
const sla = slaSchedule(queueRedis, config.redisKeyPrefix, config.slaMinutes);
const deps = {
  db,
  emitter,
  stats,
  config,
  log: log.child({ module: 'jobs' }),
  online: onlineExecutives(emitRedis, config.redisKeyPrefix),
  sla,
};
const worker = startInboundWorker(queueRedis, config, deps);
const duties = startDutyWorkers(queueRedis, config, deps);
const metrics = new WorkerMetrics();
const queues: Queue[] = [];
const watch = (consumer: Worker) => {
  const queue = new Queue(consumer.name, { connection: queueRedis, prefix: redisKeys(config.redisKeyPrefix).queues });
  queues.push(queue);
  metrics.watch(consumer, queue);
};
const { outbound } = config;
const { accessToken } = outbound;
if (accessToken === undefined) log.warn('WHATSAPP_ACCESS_TOKEN is not set: this worker delivers no replies');
const replies =
  accessToken === undefined
    ? null
    : startOutboundWorker(queueRedis, config, {
        db,
        emitter,
        log: log.child({ module: 'replies' }),
        pacer: new ReplyPacer(emitRedis, config.redisKeyPrefix, outbound),
        send: async (number, message) =>
          metrics.whatsAppAnswered(await sendToWhatsApp({ ...outbound, accessToken }, number, message)),
        config: outbound,
      });
for (const consumer of [worker, ...duties, ...(replies === null ? [] : [replies])]) watch(consumer);
let stopping = false;
const http = await startWorkerHttp({
  ...config.http,
  metrics: () => metrics.text(),
  checks: { redis: () => queueRedis.ping(), postgres: () => db.query('SELECT 1') },
  stopping: () => stopping,
});
onShutdownSignal(log, config.shutdownTimeoutMs, async () => {
  stopping = true;
  // Finishes the jobs in hand and takes no more; then the last stats, then the connections.
  await Promise.all([worker.close(), replies?.close(), ...duties.map((each) => each.close())]);
  await Promise.all([sla.close(), ...queues.map((queue) => queue.close())]);
  statsChanges.disconnect();
  await stats.flush();
  await db.end();
  queueRedis.disconnect();
  emitRedis.disconnect();
  http.server.close();
});
log.info(
  { concurrency: config.concurrency, businessNumbers: config.customerTypeByNumber.size, port: http.port },
  'worker ready',
);

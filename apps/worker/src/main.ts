import { QueueName, redisKeys } from '@care-chat/contract';
import {
  boot,
  createRedis,
  onShutdownSignal,
  redisAddress,
  waitUntilReady,
  watchRedisPersistence,
} from '@care-chat/runtime';
import { createPool, dashboardStats, migrate } from '@care-chat/store';
import { Queue } from 'bullmq';
import { dashboardEmitter, publishStats } from './broadcaster.js';
import { loadConfig } from './env.js';
import { startWorkerHttp } from './http-server.js';
import { startInboundWorker } from './inbound-worker.js';
import { WorkerMetrics } from './metrics.js';
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
const worker = startInboundWorker(queueRedis, config, {
  db,
  emitter,
  stats,
  config,
  log: log.child({ module: 'jobs' }),
});
const metrics = new WorkerMetrics();
const queuePrefix = redisKeys(config.redisKeyPrefix).queues;
const inbound = new Queue(QueueName.Inbound, { connection: queueRedis, prefix: queuePrefix });
metrics.watch(worker, inbound);
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
  await worker.close();
  await inbound.close();
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

import {
  boot,
  createRedis,
  onShutdownSignal,
  redisAddress,
  waitUntilReady,
  watchRedisPersistence,
} from '@care-chat/runtime';
import { createPool, dashboardStats, migrate } from '@care-chat/store';
import { dashboardEmitter, publishStats } from './broadcaster.js';
import { startDutyWorkers } from './duty-workers.js';
import { loadConfig } from './env.js';
import { startInboundWorker } from './inbound-worker.js';
import { onlineExecutives } from './online-executives.js';
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
onShutdownSignal(log, config.shutdownTimeoutMs, async () => {
  // Finishes the jobs in hand and takes no more; then the last stats, then the connections.
  await Promise.all([worker.close(), ...duties.map((each) => each.close())]);
  await sla.close();
  statsChanges.disconnect();
  await stats.flush();
  await db.end();
  queueRedis.disconnect();
  emitRedis.disconnect();
});
log.info({ concurrency: config.concurrency, businessNumbers: config.customerTypeByNumber.size }, 'worker ready');

import {
  ConfigError,
  createLogger,
  createRedis,
  exitOnFatalError,
  onShutdownSignal,
  waitUntilReady,
} from '@care-chat/runtime';
import { loadConfig, type WorkerConfig } from './env.js';

const log = createLogger('worker', 'info');
exitOnFatalError(log);

let config: WorkerConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.fatal({ problems: error.problems }, error.message);
  process.exit(1);
}
log.level = config.logLevel;

const redis = createRedis(config.redisUrl, log, 'worker');
await waitUntilReady('Redis (REDIS_URL)', () => redis.ping(), { timeoutMs: config.startupTimeoutMs });
// Consuming inbound-message jobs arrives with the WhatsApp ingest; until then the worker only connects.
log.info({ businessNumbers: config.customerTypeByNumber.size }, 'worker ready');

onShutdownSignal(log, config.shutdownTimeoutMs, async () => {
  redis.disconnect();
});

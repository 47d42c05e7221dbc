export { bearerMatcher, bearerToken } from './bearer.js';
export { boot } from './boot.js';
export {
  ConfigError,
  type EnvSource,
  env,
  type Field,
  LOG_LEVELS,
  type LogLevel,
  parseEnv,
  secretProblem,
} from './env.js';
export { createLogger, type Log, redactUrl } from './logger.js';
export { logPrettyField, prettyDestination, prettyLine } from './pretty.js';
export { attachHealthLogging, createRedis, redisAddress } from './redis.js';
export { persistenceWarning, type RedisPersistence, watchRedisPersistence } from './redis-persistence.js';
export { exitOnFatalError, onShutdownSignal } from './shutdown.js';
export { type SignatureCheck, UrlSigner, type UrlSignerOptions } from './signed-url.js';
export { type Pace, SlotSchedule } from './slots.js';
export { waitUntilReady, withTimeout } from './timeout.js';
export { relayUpgrade, splice } from './upgrade-relay.js';

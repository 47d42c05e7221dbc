import { CUSTOMER_TYPES, DEFAULT_REDIS_KEY_PREFIX, parseWhatsAppNumbers } from '@care-chat/contract';
import { DEFAULT_RECOVERY_WINDOW_MS } from '@care-chat/realtime';
import { type EnvSource, env, LOG_LEVELS, logPrettyField, parseEnv } from '@care-chat/runtime';
import { MEDIA_LINK_VARIABLES, mediaLinkProblems, mediaSignerOf, signedMediaUrl } from '@care-chat/store';

const spec = {
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: env.string(DEFAULT_REDIS_KEY_PREFIX),
  DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
  WHATSAPP_NUMBERS: parseWhatsAppNumbers,
  DEFAULT_CUSTOMER_TYPE: env.oneOf(CUSTOMER_TYPES, 'Customer'),
  LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
  LOG_PRETTY: logPrettyField,
  RECOVERY_WINDOW_MS: env.integer(DEFAULT_RECOVERY_WINDOW_MS, 1000, 24 * 3600 * 1000),
  WORKER_CONCURRENCY: env.integer(48, 1, 512),
  WORKER_LOCK_MS: env.integer(15_000, 1000, 600_000),
  STATS_INTERVAL_MS: env.integer(1000, 10, 60_000),
  STARTUP_TIMEOUT_MS: env.integer(10_000, 500, 600_000),
  SHUTDOWN_TIMEOUT_MS: env.integer(30_000, 1000, 600_000),
  ...MEDIA_LINK_VARIABLES,
};

/** Every variable the worker reads, for the README's table to be checked against. */
export const WORKER_VARIABLES = Object.keys(spec);

export function loadConfig(source: EnvSource) {
  const raw = parseEnv(source, spec, mediaLinkProblems);
  return Object.freeze({
    redisUrl: raw.REDIS_URL,
    redisKeyPrefix: raw.REDIS_KEY_PREFIX,
    databaseUrl: raw.DATABASE_URL,
    customerTypeByNumber: raw.WHATSAPP_NUMBERS,
    defaultCustomerType: raw.DEFAULT_CUSTOMER_TYPE,
    logLevel: raw.LOG_LEVEL,
    logPretty: raw.LOG_PRETTY,
    recoveryWindowMs: raw.RECOVERY_WINDOW_MS,
    concurrency: raw.WORKER_CONCURRENCY,
    lockMs: raw.WORKER_LOCK_MS,
    statsIntervalMs: raw.STATS_INTERVAL_MS,
    startupTimeoutMs: raw.STARTUP_TIMEOUT_MS,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    // The links in `new_message`, signed as the gateway that serves them checks; none without the variables.
    mediaUrl: signedMediaUrl(mediaSignerOf(raw)),
  });
}

export type WorkerConfig = ReturnType<typeof loadConfig>;

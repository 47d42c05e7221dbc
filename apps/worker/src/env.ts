import {
  CUSTOMER_TYPES,
  type CustomerType,
  DEFAULT_RECOVERY_WINDOW_MS,
  DEFAULT_REDIS_KEY_PREFIX,
  isCustomerType,
} from '@care-chat/contract';
import { type EnvSource, env, type Field, LOG_LEVELS, parseEnv } from '@care-chat/runtime';

/** `{"Partner":"<phone_number_id>",…}` turned around: which customer type a business number serves. */
const whatsappNumbers: Field<ReadonlyMap<string, CustomerType>> = (raw) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '{}');
  } catch {
    throw new Error('must be JSON, e.g. {"Partner":"1234567890"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('must be a JSON object of customer type to phone_number_id');
  }
  const byNumber = new Map<string, CustomerType>();
  for (const [type, numberId] of Object.entries(parsed)) {
    if (!isCustomerType(type))
      throw new Error(`unknown customer type "${type}" (one of: ${CUSTOMER_TYPES.join(', ')})`);
    if (typeof numberId !== 'string' || !/^\d+$/.test(numberId)) {
      throw new Error(`the phone_number_id of ${type} must be a string of digits`);
    }
    if (byNumber.has(numberId)) throw new Error(`phone_number_id ${numberId} is given to two customer types`);
    byNumber.set(numberId, type);
  }
  return byNumber;
};

const spec = {
  REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: env.string(DEFAULT_REDIS_KEY_PREFIX),
  DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
  WHATSAPP_NUMBERS: whatsappNumbers,
  DEFAULT_CUSTOMER_TYPE: env.oneOf(CUSTOMER_TYPES, 'Customer'),
  LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
  RECOVERY_WINDOW_MS: env.integer(DEFAULT_RECOVERY_WINDOW_MS, 1000, 24 * 3600 * 1000),
  WORKER_CONCURRENCY: env.integer(48, 1, 512),
  WORKER_LOCK_MS: env.integer(15_000, 1000, 600_000),
  STATS_INTERVAL_MS: env.integer(1000, 10, 60_000),
  STARTUP_TIMEOUT_MS: env.integer(10_000, 500, 600_000),
  SHUTDOWN_TIMEOUT_MS: env.integer(30_000, 1000, 600_000),
};

/** Every variable the worker reads, for the README's table to be checked against. */
export const WORKER_VARIABLES = Object.keys(spec);

export function loadConfig(source: EnvSource) {
  const raw = parseEnv(source, spec);
  return Object.freeze({
    redisUrl: raw.REDIS_URL,
    redisKeyPrefix: raw.REDIS_KEY_PREFIX,
    databaseUrl: raw.DATABASE_URL,
    customerTypeByNumber: raw.WHATSAPP_NUMBERS,
    defaultCustomerType: raw.DEFAULT_CUSTOMER_TYPE,
    logLevel: raw.LOG_LEVEL,
    recoveryWindowMs: raw.RECOVERY_WINDOW_MS,
    concurrency: raw.WORKER_CONCURRENCY,
    lockMs: raw.WORKER_LOCK_MS,
    statsIntervalMs: raw.STATS_INTERVAL_MS,
    startupTimeoutMs: raw.STARTUP_TIMEOUT_MS,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
  });
}

export type WorkerConfig = ReturnType<typeof loadConfig>;

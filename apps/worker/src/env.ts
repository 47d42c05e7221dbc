import {
  CUSTOMER_TYPES,
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_SLA_MINUTES,
  parseWhatsAppNumbers,
} from '@care-chat/contract';
import { DEFAULT_RECOVERY_WINDOW_MS } from '@care-chat/realtime';
import { type EnvSource, env, LOG_LEVELS, logPrettyField, parseEnv } from '@care-chat/runtime';
import { MEDIA_LINK_VARIABLES, mediaLinkProblems, mediaSignerOf, signedMediaUrl } from '@care-chat/store';

/** Minutes after which an unanswered customer message raises an alert: positive, up to a day, fractions allowed. */
const slaMinutes = (raw: string | undefined): readonly number[] => {
  const items = env.list(DEFAULT_SLA_MINUTES.map(String), (item) => {
    const minutes = Number(item);
    if (!/^\d+(\.\d+)?$/.test(item) || minutes <= 0 || minutes > 24 * 60) {
      throw new Error(`must be minutes above 0 and up to 1440, separated by commas, got "${item}"`);
    }
  })(raw);
  return [...new Set(items.map(Number))].sort((a, b) => a - b);
};

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
  WORKER_PORT: env.integer(9464, 0, 65535),
  WORKER_HOST: env.string('0.0.0.0'),
  METRICS_TOKEN: env.secret(),
  SLA_ALERT_MINUTES: slaMinutes,
  ...MEDIA_LINK_VARIABLES,
  WHATSAPP_ACCESS_TOKEN: env.optionalString(),
  WHATSAPP_API_BASE_URL: env.url('https://graph.facebook.com/v21.0', ['https:', 'http:']),
  WHATSAPP_TIMEOUT_MS: env.integer(10_000, 100, 120_000),
  WHATSAPP_TEMPLATE_LANGUAGE: env.string('en'),
  OUTBOUND_NUMBER_RATE: env.integer(80, 1, 1000),
  OUTBOUND_PAIR_INTERVAL_MS: env.integer(6000, 0, 3600_000),
  OUTBOUND_PAIR_BURST: env.integer(5, 1, 1000),
  OUTBOUND_MAX_ATTEMPTS: env.integer(8, 1, 1000),
  OUTBOUND_RETRY_MS: env.integer(1000, 1, 600_000),
  OUTBOUND_RETRY_MAX_MS: env.integer(300_000, 1, 3600_000),
  OUTBOUND_UNKNOWN_WAIT_MS: env.integer(30_000, 0, 3600_000),
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
    http: Object.freeze({ port: raw.WORKER_PORT, host: raw.WORKER_HOST, metricsToken: raw.METRICS_TOKEN }),
    slaMinutes: raw.SLA_ALERT_MINUTES,
    // The links in `new_message`, signed as the gateway that serves them checks; none without the variables.
    mediaUrl: signedMediaUrl(mediaSignerOf(raw)),
    outbound: Object.freeze({
      // Unset: this worker delivers no replies, which wait for a worker that has it.
      accessToken: raw.WHATSAPP_ACCESS_TOKEN,
      // Paths are appended with their own slash.
      baseUrl: raw.WHATSAPP_API_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: raw.WHATSAPP_TIMEOUT_MS,
      templateLanguage: raw.WHATSAPP_TEMPLATE_LANGUAGE,
      numberByCustomerType: new Map([...raw.WHATSAPP_NUMBERS].map(([number, type]) => [type, number])),
      // One number's throughput (Meta: 80 a second, error 130429), one message apart each.
      numberPace: Object.freeze({ intervalMs: 1000 / raw.OUTBOUND_NUMBER_RATE, burst: 1 }),
      // One customer's (Meta: a burst, then about one every 6 s, error 131056).
      pairPace: Object.freeze({ intervalMs: raw.OUTBOUND_PAIR_INTERVAL_MS, burst: raw.OUTBOUND_PAIR_BURST }),
      maxAttempts: raw.OUTBOUND_MAX_ATTEMPTS,
      retryMs: raw.OUTBOUND_RETRY_MS,
      retryMaxMs: raw.OUTBOUND_RETRY_MAX_MS,
      unknownWaitMs: raw.OUTBOUND_UNKNOWN_WAIT_MS,
    }),
  });
}

export type WorkerConfig = ReturnType<typeof loadConfig>;

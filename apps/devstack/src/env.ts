import { env, logPrettyField, parseEnv } from '@care-chat/runtime';

const spec = {
  PORT: env.integer(3000, 0, 65535),
  HOST: env.string('127.0.0.1'),
  REDIS_URL: env.optionalString(),
  DATABASE_URL: env.optionalString(),
  DEMO_PASSWORD: env.string('care-chat-demo'),
  GATEWAYS: env.integer(2, 1, 8),
  LOG_PRETTY: logPrettyField,
  PGLITE: (raw: string | undefined) => (raw === undefined ? undefined : env.boolean(false)(raw)),
};

/**
 * Every variable the dev stack reads itself; it passes the rest of its environment on to the processes it
 * starts (LOG_LEVEL, any gateway or worker variable), with its own Redis, PostgreSQL and secrets.
 */
export const DEV_STACK_VARIABLES = Object.keys(spec);

export function loadDevStackConfig(source: NodeJS.ProcessEnv) {
  const raw = parseEnv(source, spec, (values) =>
    values.DEMO_PASSWORD.length < 8 ? ['DEMO_PASSWORD: must have 8 characters or more, as every password'] : [],
  );
  return Object.freeze({
    port: raw.PORT,
    host: raw.HOST,
    redisUrl: raw.REDIS_URL,
    databaseUrl: raw.DATABASE_URL,
    demoPassword: raw.DEMO_PASSWORD,
    gateways: raw.GATEWAYS,
    logPretty: raw.LOG_PRETTY,
    pglite: raw.PGLITE,
  });
}

export type DevStackConfig = ReturnType<typeof loadDevStackConfig>;

/**
 * `npm start`: the whole tier on this machine, for trying it and for working on it. Two gateways behind a
 * balancer without sticky sessions on PORT (3000), a worker, the fake WhatsApp Cloud API, the schema, a
 * demo executive and a sample chat of each customer type; prints where to look. Ctrl-C stops it all.
 */
import { existsSync } from 'node:fs';
import { CUSTOMER_TYPES } from '@care-chat/contract';
import { ConfigError, createLogger, redisAddress } from '@care-chat/runtime';
import { controlRoutes } from './control.js';
import { DEMO_EXECUTIVE, demoToken } from './demo-executive.js';
import { DEV_STACK_VARIABLES, type DevStackConfig, loadDevStackConfig } from './env.js';
import { processOutput } from './output.js';
import { type FoundPostgres, findPostgres } from './postgres.js';
import { DevStackProblem } from './problem.js';
import { type FoundRedis, findRedis } from './redis.js';
import { prepareDatabase, seedSampleChats } from './seed.js';
import { DevTier } from './tier.js';

const say = (text: string) => console.log(`dev-stack ${text}`);

function loadConfig(): DevStackConfig {
  try {
    return loadDevStackConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`dev-stack: ${error.message}`);
    process.exit(2);
  }
}

/** The user's environment, less what the dev stack decides itself, for the processes it starts. */
function passedOn(): Record<string, string> {
  const own = new Set([...DEV_STACK_VARIABLES, 'PORT', 'HOST']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !own.has(entry[0]),
    ),
  );
}

// A .env beside package.json (see .env.example) is read as if exported; what is exported wins.
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
let tier: DevTier | undefined;
let redis: FoundRedis | undefined;
let postgres: FoundPostgres | undefined;
let stopping = false;

async function stop(code: number, alreadySignalled = false): Promise<never> {
  stopping = true;
  await tier?.stop(alreadySignalled).catch((error: unknown) => console.error(`dev-stack: stopping the tier: ${error}`));
  await redis?.stop();
  await postgres?.stop();
  process.exit(code);
}

// SIGINT is most often a terminal's Ctrl-C, which its processes got too; SIGTERM and SIGHUP, the dev stack's alone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    say(`${signal}: stopping every process`);
    void stop(0, signal === 'SIGINT');
  });
}

try {
  redis = await findRedis(config.redisUrl);
  // Addresses only: a URL may hold a password.
  say(`Redis: ${redisAddress(redis.url)} (${redis.origin})`);
  postgres = await findPostgres(config.databaseUrl, config.pglite);
  say(`PostgreSQL: ${new URL(postgres.url).host}${new URL(postgres.url).pathname} (${postgres.origin})`);
  await prepareDatabase(postgres.url, config.demoPassword, createLogger('dev-stack', 'warn'));
  const env = {
    ...passedOn(),
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    DEV_CONSOLE: 'true',
    LOG_PRETTY: 'false',
  };
  tier = await DevTier.start({
    env,
    gateways: config.gateways,
    port: config.port,
    host: config.host,
    answer: controlRoutes(() => tier),
    onProcess: processOutput(config.logPretty),
  });
  const seeded = await seedSampleChats(postgres.url, tier.balancer.url, tier.appSecret);
  const url = tier.balancer.url;
  const token = await demoToken(url, config.demoPassword);
  console.log(
    [
      '',
      `  care-chat dev stack is up: ${config.gateways} gateways behind a non-sticky balancer, a worker, fake WhatsApp`,
      `    console      ${url}/dev/console   (log in as ${DEMO_EXECUTIVE.username} / ${config.demoPassword})`,
      `                 ${url}/dev/console#token=${token}   (the same, logged in)`,
      `    health       ${url}/api/health/ready`,
      `    socket.io    ${url}  path /ws`,
      `    webhooks     ${url}/webhooks/whatsapp   (npm run simulate -- --type Partner --text hi)`,
      `    fake WhatsApp ${tier.fakeGraph.baseUrl}`,
      `    sample chats ${seeded.length === 0 ? `already there for ${CUSTOMER_TYPES.join(', ')}` : `seeded for ${seeded.join(', ')}`}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
} catch (error) {
  if ((error as { code?: string }).code === 'EADDRINUSE') {
    console.error(`dev-stack: port ${config.port} is in use (another npm start?): stop that, or set PORT to another`);
    await stop(1);
  }
  console.error(`dev-stack: ${error instanceof DevStackProblem ? error.message : (error as Error).stack}`);
  await stop(1);
}

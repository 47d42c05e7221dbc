import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import './provided-context.js';
import { type AppProcess, startNode } from './process.js';
import { TEST_JWT_SECRET } from './tokens.js';
import { SAMPLE_NUMBERS, TEST_APP_SECRET, TEST_VERIFY_TOKEN } from './whatsapp-webhooks.js';

export interface GatewayNode {
  process: AppProcess;
  port: number;
  url: string;
}

/** A Redis key prefix of its own, so test files running side by side never hear each other's broadcasts. */
export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/** Environment every test process gets: the run's Redis and PostgreSQL, quiet logs. */
export function serviceEnv(prefix: string): Record<string, string> {
  return {
    REDIS_URL: inject('redisUrl'),
    DATABASE_URL: inject('databaseUrl'),
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'info',
  };
}

/** `node apps/gateway/dist/main.js` on a free port, resolved once it logs that it listens. */
export async function startGateway(prefix: string, env: Record<string, string> = {}): Promise<GatewayNode> {
  const process = startNode('apps/gateway/dist/main.js', {
    ...serviceEnv(prefix),
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    DRAIN_DELAY_MS: '200',
    ...env,
  });
  const listening = await process.waitForLog((line) => line.msg === 'gateway listening');
  const port = listening.port as number;
  return { process, port, url: `http://127.0.0.1:${port}` };
}

/** `node apps/worker/dist/main.js`, resolved once it logs that it is ready. */
export async function startWorker(prefix: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const worker = startNode('apps/worker/dist/main.js', {
    ...serviceEnv(prefix),
    WHATSAPP_NUMBERS: JSON.stringify(SAMPLE_NUMBERS),
    STATS_INTERVAL_MS: '50',
    ...env,
  });
  await worker.waitForLog((line) => line.msg === 'worker ready');
  return worker;
}

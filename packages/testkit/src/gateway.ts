import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import './provided-context.js';
import { type GatewayNode, launchGateway, launchWorker } from './launch.js';
import type { AppProcess } from './process.js';

export type { GatewayNode } from './launch.js';

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
    // Tests prove "received nothing" by waiting for a stats marker: it should not wait for company.
    DASHBOARD_STATS_HOLD_MS: '0',
  };
}

export function startGateway(prefix: string, env: Record<string, string> = {}): Promise<GatewayNode> {
  return launchGateway({ ...serviceEnv(prefix), ...env });
}

export function startWorker(prefix: string, env: Record<string, string> = {}): Promise<AppProcess> {
  return launchWorker({ ...serviceEnv(prefix), ...env });
}

import { spawnSync } from 'node:child_process';
import { RedisServer } from '@care-chat/testkit/tools';
import { Redis } from 'ioredis';
import { DevStackProblem } from './problem.js';

const LOCAL_REDIS = 'redis://127.0.0.1:6379';

export interface FoundRedis {
  url: string;
  /** How it was found, for the start-up summary. */
  origin: string;
  stop: () => Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const hasRedisServer = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * REDIS_URL when set; else one on `local` (127.0.0.1:6379); else a `redis-server` of our own; else what to
 * install.
 */
export async function findRedis(configured: string | undefined, local = LOCAL_REDIS): Promise<FoundRedis> {
  const none = async () => {};
  if (configured !== undefined) {
    if (!(await answers(configured))) throw new DevStackProblem(`REDIS_URL is set but nothing answers there`);
    return { url: configured, origin: 'REDIS_URL', stop: none };
  }
  if (await answers(local)) return { url: local, origin: `found on ${new URL(local).host}`, stop: none };
  if (!hasRedisServer()) {
    throw new DevStackProblem(
      [
        `no Redis: nothing answers on ${new URL(local).host}, REDIS_URL is not set, and there is no redis-server to start.`,
        'Install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis),',
        'or run one (docker run -d -p 127.0.0.1:6379:6379 redis:7-alpine), or set REDIS_URL.',
      ].join('\n  '),
    );
  }
  const server = await RedisServer.start();
  return { url: server.url, origin: 'redis-server started for this run (not persisted)', stop: () => server.kill() };
}

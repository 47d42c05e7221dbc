import { Redis, type RedisOptions } from 'ioredis';
import type { Log } from './logger.js';

/**
 * A Redis connection that reconnects forever with capped backoff and logs each change of health once,
 * not once per failed retry. The URL may hold a password: it is never logged.
 */
export function createRedis(url: string, log: Log, role: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: role,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    ...options,
  });
  attachHealthLogging(redis, log.child({ redis: role }));
  return redis;
}

/** Where `url` points, as `host:port`, for messages: never its user or password. */
export function redisAddress(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
}

/** Logs when a connection becomes ready or is lost; for clients made with `duplicate()` too. */
export function attachHealthLogging(redis: Redis, log: Log): void {
  let healthy = false;
  redis.on('ready', () => {
    healthy = true;
    log.info('redis ready');
  });
  redis.on('error', (err: Error) => {
    if (healthy) log.warn({ err }, 'redis connection lost');
    healthy = false;
  });
  redis.on('end', () => {
    healthy = false;
  });
}

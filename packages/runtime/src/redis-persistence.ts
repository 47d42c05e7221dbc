import { type Redis, ReplyError } from 'ioredis';
import type { Log } from './logger.js';

/** Whether Redis writes an append-only file (AOF): without one, a crash loses what it acknowledged. */
export type RedisPersistence = 'aof' | 'none' | 'unknown';

const WARNINGS = {
  none: 'Redis has no append-only file (appendonly no): a Redis crash loses the queued jobs of webhooks already answered 200; turn on appendonly (with appendfsync always, none is lost)',
  unknown:
    'Redis refused CONFIG and INFO, so whether it has an append-only file is unknown: without one, a Redis crash loses the queued jobs of webhooks already answered 200',
} as const;

/** The plain sentence an operator should read about `persistence`, or null when there is nothing to say. */
export function persistenceWarning(persistence: RedisPersistence): string | null {
  return persistence === 'aof' ? null : WARNINGS[persistence];
}

// Redis's answer to a command it will not run (managed services forbid CONFIG, or rename it); anything
// else (the connection lost) is the caller's to handle.
const refused = (error: unknown): null => {
  if (error instanceof ReplyError) return null;
  throw error;
};

/** `CONFIG GET appendonly`, or where CONFIG is refused, `INFO persistence`. */
async function readRedisPersistence(redis: Redis): Promise<RedisPersistence> {
  const config = (await redis.config('GET', 'appendonly').catch(refused)) as string[] | null;
  const appendonly = config?.[1];
  if (appendonly !== undefined) return appendonly === 'yes' ? 'aof' : 'none';
  const info = await redis.info('persistence').catch(refused);
  const enabled = info === null ? undefined : /^aof_enabled:(\d)/m.exec(info)?.[1];
  if (enabled === undefined) return 'unknown';
  return enabled === '1' ? 'aof' : 'none';
}

/**
 * Reads Redis's persistence now, and again whenever the connection comes back (a Redis restarted or failed
 * over may run another configuration); warns each time it becomes anything but AOF. Resolves with a reader
 * of the last answer.
 */
export async function watchRedisPersistence(redis: Redis, log: Log): Promise<() => RedisPersistence> {
  let current: RedisPersistence | undefined;
  const read = async () => {
    const next = await readRedisPersistence(redis);
    const warning = persistenceWarning(next);
    if (next !== current && warning !== null) log.warn({ redisPersistence: next }, warning);
    current = next;
  };
  await read();
  redis.on('ready', () => {
    read().catch((err: unknown) => log.debug({ err }, 'redis persistence not read'));
  });
  return () => current ?? 'unknown';
}

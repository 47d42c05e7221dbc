import { redisKeys } from '@care-chat/contract';
import { attachHealthLogging, type Log } from '@care-chat/runtime';
import type { Redis } from 'ioredis';
import type { StatsPublisher } from './stats-publisher.js';

/**
 * Counts again when a gateway changed them (an executive resolved a chat): every worker hears it, so each
 * one's last stats sent are the latest again and none skips later counts as already sent. Resolves with
 * the subscribed connection, to close at shutdown.
 */
export async function listenForStatsChanges(
  redis: Redis,
  keyPrefix: string,
  stats: Pick<StatsPublisher, 'changed'>,
  log: Log,
): Promise<Redis> {
  const subscriber = redis.duplicate({ connectionName: 'worker-stats-changes' });
  attachHealthLogging(subscriber, log.child({ redis: 'worker-stats-changes' }));
  subscriber.on('message', () => stats.changed());
  await subscriber.subscribe(redisKeys(keyPrefix).statsChanged);
  return subscriber;
}

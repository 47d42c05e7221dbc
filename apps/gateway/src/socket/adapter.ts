import { redisKeys } from '@care-chat/contract';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RedisClients } from '../plugins/redis.js';

/**
 * How gateways share rooms. Kept behind this one function because the choice will change: the classic
 * Redis adapter has no connection state recovery. The worker's emitter must publish on the same key.
 */
export function broadcastAdapter(redis: RedisClients, keyPrefix: string) {
  return createAdapter(redis.pub, redis.sub, { key: redisKeys(keyPrefix).socketIo });
}

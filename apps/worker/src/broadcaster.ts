import { redisKeys, type ServerToClientEvents } from '@care-chat/contract';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';

export type Broadcaster = Emitter<ServerToClientEvents>;

/**
 * How the worker reaches sockets on every gateway. Kept behind this one function because the choice
 * will change: the released emitter speaks only to the classic Redis adapter. It must use the same key
 * as the gateways' adapter.
 */
export function createBroadcaster(redis: Redis, keyPrefix: string): Broadcaster {
  return new Emitter<ServerToClientEvents>(redis, { key: redisKeys(keyPrefix).socketIo });
}

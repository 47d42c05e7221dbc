import { type OnlineExecutive, redisKeys } from '@care-chat/contract';
import type { Redis } from 'ioredis';

/** Who is online now, as the gateways keep it in Redis: whom chats are assigned to. */
export type OnlineExecutives = () => Promise<OnlineExecutive[]>;

export function onlineExecutives(redis: Redis, keyPrefix: string): OnlineExecutives {
  const key = redisKeys(keyPrefix).presence.online;
  return async () => Object.values(await redis.hgetall(key)).map((json) => JSON.parse(json) as OnlineExecutive);
}

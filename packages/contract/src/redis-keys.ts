/** Default prefix for every Redis key and channel of this tier; one Redis can serve several deployments. */
export const DEFAULT_REDIS_KEY_PREFIX = 'cc';

/**
 * Redis names built in one place. The Socket.IO adapter (gateways) and the emitter (worker) must use the
 * same `socketIo` key, or the worker's broadcasts reach nobody.
 */
export function redisKeys(prefix: string) {
  return {
    socketIo: `${prefix}:io`,
    /** BullMQ's key prefix for every queue. */
    queues: `${prefix}:bull`,
  } as const;
}

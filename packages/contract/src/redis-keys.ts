/** Default prefix for every Redis key and channel of this tier; one Redis can serve several deployments. */
export const DEFAULT_REDIS_KEY_PREFIX = 'cc';

/**
 * Redis names built in one place. Gateways and workers must share the prefix, or the worker's
 * broadcasts reach nobody.
 */
export function redisKeys(prefix: string) {
  return {
    /** The stream of every broadcast (see broadcast-stream.ts). */
    broadcastStream: `${prefix}:io:stream`,
    /** Pub/sub channels for what must not be replayed (requests between gateways and their answers). */
    clusterChannel: (uid = '') => `${prefix}:io#/#${uid === '' ? '' : `${uid}#`}`,
    /** A live gateway's internal URL, by node id. */
    node: (nodeId: string) => `${prefix}:node:${nodeId}`,
    /** Marks an update as broadcast, so a retried job does not send it twice. */
    published: (updateId: string) => `${prefix}:published:${updateId}`,
    /** A recoverable socket session, by its private id. */
    session: (pid: string) => `${prefix}:io:session:${pid}`,
    /** BullMQ's key prefix for every queue. */
    queues: `${prefix}:bull`,
  } as const;
}

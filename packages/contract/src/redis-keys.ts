/** Default prefix for every Redis key and channel of this tier; one Redis can serve several deployments. */
export const DEFAULT_REDIS_KEY_PREFIX = 'cc';

/**
 * Redis names built in one place. Gateways and workers must share the prefix, or the worker's
 * broadcasts reach nobody.
 */
export function redisKeys(prefix: string) {
  return {
    /** The prefix of the realtime core's keys and channels: the broadcast stream, sessions, cluster requests. */
    realtime: `${prefix}:io`,
    /** A live gateway's internal URL, by node id. */
    node: (nodeId: string) => `${prefix}:node:${nodeId}`,
    /** The handshake allowance of one client address (or one executive at an address), shared by every gateway. */
    handshakes: (subject: string) => `${prefix}:handshakes:${subject}`,
    /** Whether a login is revoked (`revoked`) or not (`live`), as PostgreSQL said, until its access tokens expire. */
    login: (loginId: string) => `${prefix}:login:${loginId}`,
    /** Login attempts against one username, and from one client address, shared by every gateway. */
    loginAttempts: (subject: string) => `${prefix}:login-attempts:${subject}`,
    /** The count that numbers inbound messages in the order the gateways received them. */
    arrivals: `${prefix}:arrivals`,
    /**
     * A pub/sub channel: a gateway that changed chat counts (a status set by an executive) asks the workers,
     * which publish `dashboard_stats`, to count again.
     */
    statsChanged: `${prefix}:stats-changed`,
    /** The approved message templates of a WhatsApp Business Account, as last fetched (`CachedTemplates`). */
    templates: (businessAccountId: string) => `${prefix}:templates:${businessAccountId}`,
    /** The next free send slot of one business number, and of one customer on it (outbound pacing). */
    sendPace: (subject: string) => `${prefix}:send-pace:${subject}`,
    /**
     * Presence, kept by the gateways: who chose to be online, who is (read by the workers to assign chats),
     * each gateway's lease and the executives it holds sockets of, and since when an executive has none.
     */
    presence: {
      chosen: `${prefix}:presence:chosen`,
      online: `${prefix}:presence:online`,
      away: `${prefix}:presence:away`,
      nodes: `${prefix}:presence:nodes`,
      nodeSockets: `${prefix}:presence:node:`,
    },
    /** BullMQ's key prefix for every queue. */
    queues: `${prefix}:bull`,
  } as const;
}

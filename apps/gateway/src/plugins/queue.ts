import { type InboundJob, type OutboundJob, QueueName, redisKeys } from '@care-chat/contract';
import { createRedis } from '@care-chat/runtime';
import { Queue } from 'bullmq';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

export interface Queues {
  inbound: Queue<InboundJob>;
  /** Executives' replies, for the workers to deliver to WhatsApp. */
  outbound: Queue<OutboundJob>;
  /** The queues' own connection, which fails commands at once while Redis is away. */
  connection: Redis;
}

declare module 'fastify' {
  interface FastifyInstance {
    queues: Queues;
  }
}

/** The queues webhooks and replies feed and the workers drain. */
export default fp(
  async (app) => {
    // Without an offline queue a command fails at once while Redis is away, so a webhook gets 503 (and
    // Meta retries) instead of waiting, or a 200 for something that was never queued.
    const connection = createRedis(app.config.redisUrl, app.log.child({ module: 'queue' }), 'gateway-queue', {
      enableOfflineQueue: false,
    });
    const prefix = redisKeys(app.config.redisKeyPrefix).queues;
    const inbound = new Queue<InboundJob>(QueueName.Inbound, { connection, prefix });
    const outbound = new Queue<OutboundJob>(QueueName.Outbound, { connection, prefix });
    for (const queue of [inbound, outbound]) {
      // The connection logs its own losses once; BullMQ repeats them on every retry.
      queue.on('error', (err) => app.log.debug({ err }, 'queue error'));
    }
    app.decorate('queues', { inbound, outbound, connection });
    app.addHook('onClose', async () => {
      await Promise.all([inbound, outbound].map((queue) => queue.close().catch(() => undefined)));
      connection.disconnect();
    });
  },
  { name: 'queue', dependencies: ['config'], fastify: '5.x' },
);

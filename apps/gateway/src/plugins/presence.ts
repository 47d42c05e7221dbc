import { randomBytes } from 'node:crypto';
import { type AssignmentJob, QueueName, redisKeys } from '@care-chat/contract';
import { Queue } from 'bullmq';
import fp from 'fastify-plugin';
import { Presence } from '../presence/presence.js';
import { PresenceStore } from '../presence/presence-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    presence: Presence;
  }
}

/** Who is online, shared by every gateway through Redis; the socket plugin feeds it its sockets. */
export default fp(
  async (app) => {
    const { config } = app;
    const log = app.log.child({ module: 'presence' });
    const assignments = new Queue<AssignmentJob>(QueueName.Assignment, {
      connection: app.queues.connection,
      prefix: redisKeys(config.redisKeyPrefix).queues,
    });
    assignments.on('error', (err) => log.debug({ err }, 'assignment queue error'));
    const store = new PresenceStore(app.redis.pub, config.redisKeyPrefix, randomBytes(6).toString('base64url'));
    const presence = new Presence(store, assignments, config.presence, log);
    app.decorate('presence', presence);
    app.addHook('onClose', async () => {
      await presence.stop();
      await assignments.close().catch(() => undefined);
    });
  },
  { name: 'presence', dependencies: ['config', 'redis', 'queue'], fastify: '5.x' },
);

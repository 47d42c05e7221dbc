import { attachHealthLogging, createRedis, waitUntilReady } from '@care-chat/runtime';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

export interface RedisClients {
  /** Commands and adapter publishes. */
  pub: Redis;
  /** The adapter's subscriber: a connection in subscribe mode can run no other command. */
  sub: Redis;
}

declare module 'fastify' {
  interface FastifyInstance {
    redis: RedisClients;
  }
}

export default fp(
  async (app) => {
    const log = app.log.child({ module: 'redis' });
    const pub = createRedis(app.config.redisUrl, log, 'gateway-pub');
    const sub = pub.duplicate({ connectionName: 'gateway-sub' });
    attachHealthLogging(sub, log.child({ redis: 'gateway-sub' }));
    app.decorate('redis', { pub, sub });
    app.addHook('onClose', async () => {
      pub.disconnect();
      sub.disconnect();
    });
    await waitUntilReady('Redis (REDIS_URL)', () => Promise.all([pub.ping(), sub.ping()]), {
      timeoutMs: app.config.startupTimeoutMs,
    });
  },
  { name: 'redis', dependencies: ['config'], fastify: '5.x' },
);

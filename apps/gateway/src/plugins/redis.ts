import {
  attachHealthLogging,
  createRedis,
  type RedisPersistence,
  redisAddress,
  waitUntilReady,
  watchRedisPersistence,
} from '@care-chat/runtime';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

export interface RedisClients {
  /** Commands: broadcasts, sessions, probes. */
  pub: Redis;
  /** Pub/sub between gateways: a connection in subscribe mode can run no other command. */
  sub: Redis;
  /** Reads the broadcast stream, blocking: a connection of its own so it holds up nothing else. */
  reader: Redis;
}

/** Are all three connections up? A node short of any cannot share rooms or recover sessions. */
export function redisConnected({ pub, sub, reader }: RedisClients): boolean {
  return pub.status === 'ready' && sub.status === 'ready' && reader.status === 'ready';
}

declare module 'fastify' {
  interface FastifyInstance {
    redis: RedisClients;
    /** Whether Redis keeps an append-only file, as last read (at start, and each time it comes back). */
    redisPersistence: () => RedisPersistence;
  }
}

export default fp(
  async (app) => {
    const log = app.log.child({ module: 'redis' });
    const pub = createRedis(app.config.redisUrl, log, 'gateway-pub');
    const [sub, reader] = ['gateway-sub', 'gateway-reader'].map((role) => {
      const client = pub.duplicate({ connectionName: role });
      attachHealthLogging(client, log.child({ redis: role }));
      return client;
    }) as [Redis, Redis];
    app.decorate('redis', { pub, sub, reader });
    app.addHook('onClose', async () => {
      for (const client of [pub, sub, reader]) client.disconnect();
    });
    await waitUntilReady(
      `Redis at ${redisAddress(app.config.redisUrl)} (REDIS_URL)`,
      () => Promise.all([pub.ping(), sub.ping(), reader.ping()]),
      {
        timeoutMs: app.config.startupTimeoutMs,
      },
    );
    app.decorate('redisPersistence', await watchRedisPersistence(pub, log));
  },
  { name: 'redis', dependencies: ['config'], fastify: '5.x' },
);

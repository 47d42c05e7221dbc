import { redisKeys } from '@care-chat/contract';
import { dashboardStats } from '@care-chat/store';
import fp from 'fastify-plugin';
import { StatsCache } from '../stats/stats-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    stats: StatsCache;
    /** After a write that moves the chat counts: the workers publish `dashboard_stats` (see redisKeys). */
    statsChanged: () => Promise<void>;
  }
}

/** Dashboard counts for sockets and `/api/dashboard/stats`, computed at most once per STATS_CACHE_MS. */
export default fp(
  async (app) => {
    app.decorate('stats', new StatsCache(() => dashboardStats(app.pg), app.config.statsCacheMs));
    const channel = redisKeys(app.config.redisKeyPrefix).statsChanged;
    const log = app.log.child({ module: 'stats' });
    // The workers' one publisher coalesces the counts and sends only what changed; a gateway publishing
    // its own would race it. Lost while Redis is away: the write stands, the counts follow the next change.
    app.decorate('statsChanged', async () => {
      await app.redis.pub.publish(channel, '').catch((err: unknown) => log.warn({ err }, 'stats change not signalled'));
    });
  },
  { name: 'stats', dependencies: ['config', 'postgres', 'redis'], fastify: '5.x' },
);

import { dashboardStats } from '@care-chat/store';
import fp from 'fastify-plugin';
import { StatsCache } from '../stats/stats-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    stats: StatsCache;
  }
}

/** Dashboard counts for sockets and `/api/dashboard/stats`, computed at most once per STATS_CACHE_MS. */
export default fp(
  async (app) => {
    app.decorate('stats', new StatsCache(() => dashboardStats(app.pg), app.config.statsCacheMs));
  },
  { name: 'stats', dependencies: ['config', 'postgres'], fastify: '5.x' },
);

import { waitUntilReady } from '@care-chat/runtime';
import { createPool, migrate } from '@care-chat/store';
import fp from 'fastify-plugin';
import type pg from 'pg';

declare module 'fastify' {
  interface FastifyInstance {
    pg: pg.Pool;
  }
}

/** The pool for the dashboard's reads; the schema is brought up to date before the node serves. */
export default fp(
  async (app) => {
    const log = app.log.child({ module: 'postgres' });
    const pool = createPool(app.config.databaseUrl, 10);
    // An idle client whose server went away emits here; without a listener the process would crash.
    pool.on('error', (err) => log.warn({ err }, 'idle postgres client failed'));
    app.decorate('pg', pool);
    app.addHook('onClose', async () => {
      await pool.end();
    });
    await waitUntilReady('PostgreSQL (DATABASE_URL)', () => pool.query('SELECT 1'), {
      timeoutMs: app.config.startupTimeoutMs,
    });
    await migrate(pool, log);
  },
  { name: 'postgres', dependencies: ['config'], fastify: '5.x' },
);

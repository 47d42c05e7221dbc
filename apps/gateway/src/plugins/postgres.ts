import { waitUntilReady } from '@care-chat/runtime';
import fp from 'fastify-plugin';
import pg from 'pg';

declare module 'fastify' {
  interface FastifyInstance {
    pg: pg.Pool;
  }
}

export default fp(
  async (app) => {
    const log = app.log.child({ module: 'postgres' });
    const pool = new pg.Pool({ connectionString: app.config.databaseUrl, max: 10, connectionTimeoutMillis: 2000 });
    // An idle client whose server went away emits here; without a listener the process would crash.
    pool.on('error', (err) => log.warn({ err }, 'idle postgres client failed'));
    app.decorate('pg', pool);
    app.addHook('onClose', async () => {
      await pool.end();
    });
    await waitUntilReady('PostgreSQL (DATABASE_URL)', () => pool.query('SELECT 1'), {
      timeoutMs: app.config.startupTimeoutMs,
    });
  },
  { name: 'postgres', dependencies: ['config'], fastify: '5.x' },
);

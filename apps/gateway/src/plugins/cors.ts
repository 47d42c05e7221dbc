import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** The dashboard calls `/api/*` from the browser, from the origins in CORS_ORIGINS. */
export default fp(
  async (app) => {
    const origins = app.config.corsOrigins;
    await app.register(cors, { origin: origins.includes('*') ? '*' : [...origins] });
  },
  { name: 'cors', dependencies: ['config'], fastify: '5.x' },
);

import fp from 'fastify-plugin';
import type { GatewayConfig } from '../env.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: GatewayConfig;
  }
}

/** Makes the configuration, parsed once at start, available to every other plugin. */
export default fp<{ config: GatewayConfig }>(
  async (app, { config }) => {
    app.decorate('config', config);
  },
  { name: 'config', fastify: '5.x' },
);

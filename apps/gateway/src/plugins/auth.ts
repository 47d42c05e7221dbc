import fp from 'fastify-plugin';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier.js';

declare module 'fastify' {
  interface FastifyInstance {
    verifyToken: TokenVerifier;
  }
}

/** JWT verification for sockets and `/api/*` routes, built once from the pinned configuration. */
export default fp(
  async (app) => {
    app.decorate('verifyToken', createTokenVerifier(app.config.jwt));
  },
  { name: 'auth', dependencies: ['config'], fastify: '5.x' },
);

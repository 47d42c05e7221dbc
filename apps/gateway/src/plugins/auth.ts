import { type Executive, redisKeys } from '@care-chat/contract';
import fp from 'fastify-plugin';
import { LoginRevocations } from '../auth/login-revocations.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier.js';
import { AuthError, AuthErrorCode } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The token's signature and claims, without asking anyone: for what must not wait (limiter subjects). */
    verifyToken: TokenVerifier;
    /** `verifyToken`, and the token's login not revoked: what lets a socket or a request in. */
    authenticateToken: (token: string | undefined) => Promise<Executive>;
    loginRevocations: LoginRevocations;
  }
}

/** JWT verification for sockets and `/api/*` routes, built once from the pinned configuration. */
export default fp(
  async (app) => {
    const { config } = app;
    const verifyToken = createTokenVerifier(config.jwt, { ownLogins: config.login.enabled });
    const revocations = new LoginRevocations(
      app.redis.pub,
      app.pg,
      redisKeys(config.redisKeyPrefix).login,
      app.log.child({ module: 'logins' }),
    );
    app.decorate('verifyToken', verifyToken);
    app.decorate('loginRevocations', revocations);
    app.decorate('authenticateToken', async (token: string | undefined) => {
      const executive = verifyToken(token);
      if (executive.loginId !== null && (await revocations.isRevoked(executive.loginId))) {
        throw new AuthError(AuthErrorCode.InvalidToken);
      }
      return executive;
    });
  },
  { name: 'auth', dependencies: ['config', 'redis', 'postgres'], fastify: '5.x' },
);

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from './bearer.js';

// Hashed first, so every comparison is of 32 bytes: neither a token's length nor its bytes leak in time.
const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Every route of `app`'s context takes one of `tokens` as a Bearer header, or answers 401: the routes other
 * company systems call. An executive's JWT is no service token. Every token is compared, none skipped.
 */
export function requireServiceToken(app: FastifyInstance, tokens: readonly string[]): void {
  const known = tokens.map(digest);
  app.addHook('onRequest', async (request, reply) => {
    const given = digest(bearerToken(request.headers.authorization) ?? '');
    const matches = known.reduce((found, token) => timingSafeEqual(token, given) || found, false);
    if (!matches) {
      return reply.code(401).send({ status: 0, error: 'invalid_service_token', message: 'unauthorized' });
    }
  });
}

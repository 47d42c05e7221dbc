import { bearerMatcher } from '@care-chat/runtime';
import type { FastifyInstance } from 'fastify';

/**
 * Every route of `app`'s context takes one of `tokens` as a Bearer header, or answers 401: the routes other
 * company systems call. An executive's JWT is no service token.
 */
export function requireServiceToken(app: FastifyInstance, tokens: readonly string[]): void {
  const matches = bearerMatcher(tokens);
  app.addHook('onRequest', async (request, reply) => {
    if (!matches(request.headers.authorization)) {
      return reply.code(401).send({ status: 0, error: 'invalid_service_token', message: 'unauthorized' });
    }
  });
}

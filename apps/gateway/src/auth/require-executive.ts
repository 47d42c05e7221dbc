import type { Executive } from '@care-chat/contract';
import { bearerToken } from '@care-chat/runtime';
import type { FastifyInstance } from 'fastify';
import { AuthError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called, once the Bearer token is verified. */
    executive: Executive | null;
  }
}

/** Every route of `app`'s context takes an executive's access token as a Bearer header, or answers 401. */
export function requireExecutive(app: FastifyInstance): void {
  app.decorateRequest('executive', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    try {
      request.executive = await app.authenticateToken(token);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return reply.code(401).send({ status: 0, error: error.code, message: 'unauthorized' });
    }
  });
}

/** The caller of a route behind `requireExecutive`, which refused every request without one. */
export const executiveOf = (request: { executive: Executive | null }): Executive => request.executive as Executive;

import { type Executive, statsOfTypes } from '@care-chat/contract';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../auth/bearer.js';
import { AuthError } from '../errors.js';

const counts = {
  type: 'object',
  required: ['active', 'resolved', 'awaiting_customer_response'],
  properties: {
    active: { type: 'integer' },
    resolved: { type: 'integer' },
    awaiting_customer_response: { type: 'integer' },
  },
} as const;

/** The dashboard's REST routes under `/api` (health aside), behind the same JWT as sockets, as a Bearer header. */
export default async function api(app: FastifyInstance) {
  app.decorateRequest('executive', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    try {
      request.executive = await app.authenticateToken(token);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return reply.code(401).send({ error: error.code, message: 'unauthorized' });
    }
  });

  app.get(
    '/api/dashboard/stats',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'data'],
            properties: { status: { type: 'integer' }, data: counts },
          },
        },
      },
    },
    async (request) => ({
      status: 1,
      // The hook above refused every request without an executive.
      data: statsOfTypes(await app.stats.get(), (request.executive as Executive).customerTypes),
    }),
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called, once the Bearer token is verified. */
    executive: Executive | null;
  }
}

import { type Executive, statsOfTypes } from '@care-chat/contract';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../auth/bearer.js';
import { AuthError } from '../errors.js';

const countProperties = {
  active: { type: 'integer' },
  resolved: { type: 'integer' },
  pending: { type: 'integer' },
} as const;
const counts = { type: 'object', required: ['active', 'resolved', 'pending'], properties: countProperties } as const;

/** The dashboard's REST routes under `/api` (health aside), behind the same JWT as sockets, as a Bearer header. */
export default async function api(app: FastifyInstance) {
  app.decorateRequest('executive', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    try {
      request.executive = app.verifyToken(token);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return reply.code(401).send({ error: error.code, message: 'unauthorized' });
    }
  });

  // The dashboard reads every count at the top level of the answer, `total` being their sum.
  app.get(
    '/api/dashboard/stats',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'active', 'resolved', 'pending', 'total', 'by_type'],
            properties: {
              status: { type: 'integer' },
              ...countProperties,
              total: { type: 'integer' },
              by_type: { type: 'object', additionalProperties: counts },
            },
          },
        },
      },
    },
    async (request) => {
      // The hook above refused every request without an executive.
      const stats = statsOfTypes(await app.stats.get(), (request.executive as Executive).customerTypes);
      return { status: 1, ...stats, total: stats.active + stats.resolved + stats.pending };
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called, once the Bearer token is verified. */
    executive: Executive | null;
  }
}

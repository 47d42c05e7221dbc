import { statsOfTypes } from '@care-chat/contract';
import type { FastifyInstance } from 'fastify';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';

const countProperties = {
  active: { type: 'integer' },
  resolved: { type: 'integer' },
  pending: { type: 'integer' },
} as const;
const counts = { type: 'object', required: ['active', 'resolved', 'pending'], properties: countProperties } as const;

/** The dashboard's REST routes under `/api` (health aside), behind the same JWT as sockets, as a Bearer header. */
export default async function api(app: FastifyInstance) {
  requireExecutive(app);

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
      const stats = statsOfTypes(await app.stats.get(), executiveOf(request).customerTypes);
      return { status: 1, ...stats, total: stats.active + stats.resolved + stats.pending };
    },
  );
}

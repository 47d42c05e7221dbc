import { statsOfTypes } from '@care-chat/contract';
import type { FastifyInstance } from 'fastify';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';

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
  requireExecutive(app);

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
      data: statsOfTypes(await app.stats.get(), executiveOf(request).customerTypes),
    }),
  );
}

import { LIMITS } from '@care-chat/contract';
import { listChats } from '@care-chat/store';
import type { FastifyInstance } from 'fastify';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';

const text = { type: 'string' } as const;
const onlineExecutive = {
  type: 'object',
  required: ['executive_id', 'name', 'status', 'customer_types'],
  properties: { executive_id: text, name: text, status: text, customer_types: { type: 'array', items: text } },
} as const;
const pagination = {
  type: 'object',
  required: ['page', 'page_size', 'total', 'total_pages', 'total_active', 'total_pending'],
  properties: Object.fromEntries(
    ['page', 'page_size', 'total', 'total_pages', 'total_active', 'total_pending'].map((key) => [
      key,
      { type: 'integer' },
    ]),
  ),
} as const;

/**
 * What an operator asks of presence and assignment: `GET /api/executives/online`, the executives online
 * now (as `executive_status` lists them), and `GET /api/executives/{id}/chats`, the open and resolved chats
 * assigned to one, newest first, among the types the caller may see.
 */
export default async function executives(app: FastifyInstance) {
  requireExecutive(app);
  app.get(
    '/api/executives/online',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['status', 'executives'],
            properties: { status: { type: 'integer' }, executives: { type: 'array', items: onlineExecutive } },
          },
        },
      },
    },
    async () => {
      const online = await app.presence.online();
      return { status: 1, executives: online.map((each) => ({ ...each, status: 'ONLINE' })) };
    },
  );
  app.get<{ Params: { executive_id: string }; Querystring: { page: number; page_size: number } }>(
    '/api/executives/:executive_id/chats',
    {
      schema: {
        params: {
          type: 'object',
          required: ['executive_id'],
          properties: { executive_id: { type: 'string', minLength: 1, maxLength: 128 } },
        },
        querystring: {
          type: 'object',
          properties: {
            page: { type: 'integer', minimum: 1, maximum: LIMITS.page, default: 1 },
            page_size: { type: 'integer', minimum: 1, maximum: LIMITS.pageSize, default: 20 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['status', 'chats', 'pagination'],
            // Rows as fetch_all_chats answers them, whole.
            properties: {
              status: { type: 'integer' },
              chats: { type: 'array', items: { type: 'object', additionalProperties: true } },
              pagination,
            },
          },
        },
      },
    },
    async (request) => {
      const caller = executiveOf(request);
      const { chats, pagination: pages } = await listChats(app.pg, {
        customerTypes: caller.customerTypes,
        assignedExecutiveId: request.params.executive_id,
        reader: caller.id,
        page: request.query.page,
        pageSize: request.query.page_size,
      });
      return { status: 1, chats, pagination: pages };
    },
  );
}

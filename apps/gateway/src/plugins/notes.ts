import { listNotes } from '@care-chat/store';
import type { FastifyInstance } from 'fastify';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';
import { HttpFailure } from '../errors.js';

const text = { type: 'string' } as const;
const note = {
  type: 'object',
  required: ['id', 'chat_id', 'content', 'author_id', 'author_name', 'created_at'],
  properties: { id: text, chat_id: text, content: text, author_id: text, author_name: text, created_at: text },
} as const;

/**
 * `GET /api/chats/{chat_id}/notes`: the Notes tab, newest first. A chat the token may not see is not found,
 * like one that does not exist. Notes added later reach the tab as `note_added`, not through this.
 */
export default async function notes(app: FastifyInstance) {
  requireExecutive(app);
  app.get<{ Params: { chat_id: string } }>(
    '/api/chats/:chat_id/notes',
    {
      schema: {
        params: {
          type: 'object',
          required: ['chat_id'],
          properties: { chat_id: { type: 'string', minLength: 1, maxLength: 128 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['status', 'notes'],
            properties: { status: { type: 'integer' }, notes: { type: 'array', items: note } },
          },
        },
      },
    },
    async (request, reply) => {
      const { chat_id: chatId } = request.params;
      const found = await listNotes(app.pg, chatId, executiveOf(request).customerTypes);
      if (found === null) {
        const missing = new HttpFailure(404, 'chat_not_found', `Chat not found: ${chatId}`);
        return reply.code(missing.status).send(missing.body);
      }
      return { status: 1, notes: found };
    },
  );
}

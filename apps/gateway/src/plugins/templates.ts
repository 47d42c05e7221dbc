import { CUSTOMER_TYPES, type CustomerType, redisKeys } from '@care-chat/contract';
import type { FastifyInstance } from 'fastify';
import { Agent } from 'undici';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';
import { AccessFailure, HttpFailure, WhatsAppFailure } from '../errors.js';
import { fetchApprovedTemplates } from '../templates/graph-templates.js';
import { TemplateCache } from '../templates/template-cache.js';

const text = { type: 'string' } as const;
const template = {
  type: 'object',
  required: ['id', 'name', 'language', 'status', 'category', 'content', 'components'],
  properties: {
    id: text,
    name: text,
    language: text,
    status: text,
    category: text,
    content: text,
    components: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

/**
 * `GET /api/templates?stakeholder=<type>`: the approved message templates of the type's business account,
 * for the dashboard's template picker (it sends back `id`, `name` and `content`). Served from the cache
 * every gateway shares; `stale` says when Graph could not give a newer list than the one served.
 */
export default async function templates(app: FastifyInstance) {
  const { graph, templates: options } = app.config;
  const agent = new Agent({ connectTimeout: graph.timeoutMs });
  app.addHook('onClose', () => agent.close());
  const keys = redisKeys(app.config.redisKeyPrefix);
  const cache = new TemplateCache(
    app.redis.pub,
    keys.templates,
    (accountId) => fetchApprovedTemplates(accountId, { graph, dispatcher: agent }),
    options,
    app.log.child({ module: 'templates' }),
  );

  requireExecutive(app);
  app.get<{ Querystring: { stakeholder: CustomerType } }>(
    '/api/templates',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['stakeholder'],
          properties: { stakeholder: { type: 'string', enum: [...CUSTOMER_TYPES] } },
        },
        response: {
          200: {
            type: 'object',
            required: ['status', 'templates', 'fetched_at', 'stale'],
            properties: {
              status: { type: 'integer' },
              templates: { type: 'array', items: template },
              fetched_at: text,
              stale: { type: 'boolean' },
              stale_reason: text,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { stakeholder } = request.query;
      try {
        if (!executiveOf(request).customerTypes.includes(stakeholder)) throw AccessFailure.forbiddenType(stakeholder);
        const accountId = graph.numbers[stakeholder]?.businessAccountId;
        if (accountId === undefined) throw WhatsAppFailure.noNumber(stakeholder);
        const listing = await cache.list(accountId);
        return {
          status: 1,
          templates: listing.templates,
          fetched_at: listing.fetched_at,
          stale: listing.stale !== null,
          ...(listing.stale !== null && { stale_reason: listing.stale }),
        };
      } catch (err) {
        if (!(err instanceof HttpFailure)) throw err;
        if (err.retryAfter !== undefined) reply.header('retry-after', err.retryAfter);
        return reply.code(err.status).send(err.body);
      }
    },
  );
}

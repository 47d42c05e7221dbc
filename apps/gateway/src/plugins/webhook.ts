import { parseWebhook, redisKeys } from '@care-chat/contract';
import type { FastifyInstance } from 'fastify';
import { numberArrivals } from '../webhook/arrivals.js';
import { queueJobs } from '../webhook/queue-jobs.js';
import { isSignedBy } from '../webhook/signature.js';

/** Meta's largest webhook body. */
const BODY_LIMIT = 3 * 1024 * 1024;
/** How long Redis may take to answer for one chunk of jobs before the delivery is answered 503. */
const QUEUE_TIMEOUT_MS = 5000;

const error = {
  type: 'object',
  properties: { status: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

/**
 * WhatsApp's webhook: the verification handshake, and deliveries, each message and status of which is
 * queued under a job id of its own before Meta gets its 200. Not wrapped in fastify-plugin: the raw-body
 * parser it installs must stay inside this context.
 */
export default async function webhook(app: FastifyInstance) {
  const { appSecret, verifyToken } = app.config.whatsapp;
  const log = app.log.child({ module: 'webhook' });
  const arrivalsKey = redisKeys(app.config.redisKeyPrefix).arrivals;

  // The signature covers the bytes Meta sent, so the body is kept as a Buffer and parsed after the check.
  // Meta sends JSON only: any other content type is refused (415).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/webhooks/whatsapp',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['hub.mode', 'hub.verify_token', 'hub.challenge'],
          properties: {
            'hub.mode': { type: 'string' },
            'hub.verify_token': { type: 'string' },
            'hub.challenge': { type: 'string', maxLength: 256 },
          },
        },
        response: { 200: { type: 'string' }, 403: error },
      },
    },
    async (request, reply) => {
      const query = request.query;
      if (query['hub.mode'] !== 'subscribe' || query['hub.verify_token'] !== verifyToken) {
        return reply.code(403).send({ status: 0, error: 'forbidden', message: 'Verification failed' });
      }
      return reply.type('text/plain').send(query['hub.challenge']);
    },
  );

  app.post<{ Body: Buffer }>(
    '/webhooks/whatsapp',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        response: {
          200: { type: 'object', properties: { status: { type: 'integer' }, queued: { type: 'integer' } } },
          '4xx': error,
          '5xx': error,
        },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      const outcome = (name: string) => {
        app.metrics.webhooks.inc({ outcome: name });
        app.metrics.webhookSeconds.observe({ outcome: name }, (performance.now() - started) / 1000);
      };
      const raw = request.body;
      if (!isSignedBy(appSecret, raw, request.headers['x-hub-signature-256'] as string | undefined)) {
        outcome('invalid_signature');
        return reply
          .code(401)
          .send({ status: 0, error: 'invalid_signature', message: 'X-Hub-Signature-256 does not match the body' });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        outcome('malformed');
        return reply.code(400).send({ status: 0, error: 'malformed_json', message: 'The body is not JSON' });
      }
      const parsed = parseWebhook(body);
      if (!parsed.ok) {
        outcome('malformed');
        return reply.code(400).send({ status: 0, error: 'malformed_payload', message: parsed.message });
      }
      const jobs = parsed.value;
      if (jobs.length > 0) {
        try {
          const numbered = await numberArrivals(app.queues.connection, arrivalsKey, jobs, QUEUE_TIMEOUT_MS);
          await queueJobs(app.queues.inbound, numbered, QUEUE_TIMEOUT_MS);
        } catch (err) {
          log.warn({ err, jobs: jobs.length }, 'webhook not queued: answered 503 for Meta to retry');
          outcome('unavailable');
          return reply.code(503).send({ status: 0, error: 'queue_unavailable', message: 'Not queued; retry later' });
        }
      }
      outcome('queued');
      app.metrics.jobsQueued.inc(jobs.length);
      return { status: 1, queued: jobs.length };
    },
  );
}

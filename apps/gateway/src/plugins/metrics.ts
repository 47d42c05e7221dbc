import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { bearerToken } from '../auth/bearer.js';

export interface GatewayMetrics {
  webhooks: Counter<'outcome'>;
  jobsQueued: Counter;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

// Hashed first, so the comparison takes the same time whatever the length of what was sent.
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus text: the process (CPU, memory, event-loop lag, GC), the sockets, and
 * what the webhook has taken. Only with `Authorization: Bearer <METRICS_TOKEN>`, and without CORS headers
 * (a scraper is no browser); with no METRICS_TOKEN there is no such route.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
    const metrics: GatewayMetrics = {
      webhooks: new Counter({
        name: 'gateway_webhooks_total',
        help: 'WhatsApp webhook deliveries, by outcome',
        labelNames: ['outcome'],
        registers: [registry],
      }),
      jobsQueued: new Counter({
        name: 'gateway_jobs_queued_total',
        help: 'Inbound jobs queued',
        registers: [registry],
      }),
    };
    new Gauge({
      name: 'gateway_sockets',
      help: 'Connected Socket.IO clients on this node',
      registers: [registry],
      collect() {
        this.set(app.io.engine.clientsCount);
      },
    });
    app.decorate('metrics', metrics);
    const token = app.config.metricsToken;
    if (token === undefined) return;
    const expected = digest(token);
    app.get(
      '/metrics',
      {
        config: { cors: false },
        onRequest: async (request, reply) => {
          if (timingSafeEqual(digest(bearerToken(request.headers.authorization) ?? ''), expected)) return;
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .send({ status: 0, error: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
  { name: 'metrics', dependencies: ['config', 'socket'], fastify: '5.x' },
);

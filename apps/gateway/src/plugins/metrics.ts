import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface GatewayMetrics {
  webhooks: Counter<'outcome'>;
  jobsQueued: Counter;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

/**
 * `GET /metrics` in Prometheus text: the process (CPU, memory, event-loop lag, GC), the sockets, and
 * what the webhook has taken.
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
    app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  },
  { name: 'metrics', dependencies: ['socket'], fastify: '5.x' },
);

import { bearerMatcher } from '@care-chat/runtime';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { type GatewayMetrics, gatewayMetrics } from '../metrics/gateway-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

/**
 * `GET /metrics` in Prometheus text: the process (CPU, memory, event-loop lag, GC), the sockets and rooms,
 * the events and their latency, handshakes refused, recoveries, forwarded requests, webhooks, and the time
 * from a webhook to the sockets. Only with `Authorization: Bearer <METRICS_TOKEN>`, and without CORS
 * headers (a scraper is no browser); with no METRICS_TOKEN there is no such route, though counting goes on.
 * Registered before the plugins that count; the gauges read Socket.IO when scraped.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
    app.decorate('metrics', gatewayMetrics(registry));
    new Gauge({
      name: 'gateway_sockets',
      help: 'Connected Socket.IO clients on this node',
      registers: [registry],
      collect() {
        this.set(app.io.engine.clientsCount);
      },
    });
    new Gauge({
      name: 'socketio_rooms',
      help: 'Rooms with a socket on this node (each socket’s own room included)',
      registers: [registry],
      collect() {
        this.set(app.io.of('/').adapter.rooms.size);
      },
    });
    const token = app.config.metricsToken;
    if (token === undefined) return;
    const authorized = bearerMatcher([token]);
    app.get(
      '/metrics',
      {
        config: { cors: false },
        onRequest: async (request, reply) => {
          if (authorized(request.headers.authorization)) return;
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .send({ status: 0, error: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
  { name: 'metrics', dependencies: ['config'], fastify: '5.x' },
);

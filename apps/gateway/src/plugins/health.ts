import { persistenceWarning, withTimeout } from '@care-chat/runtime';
import fp from 'fastify-plugin';
import { version } from '../version.js';
import { redisConnected } from './redis.js';

const PROBE_TIMEOUT_MS = 1000;

type CheckResult = 'ok' | 'error';

async function probe(check: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await withTimeout(check(), PROBE_TIMEOUT_MS, 'probe');
    return 'ok';
  } catch {
    return 'error';
  }
}

const check = { type: 'string', enum: ['ok', 'error'] } as const;
const readyBody = {
  type: 'object',
  required: ['status', 'message', 'checks', 'warnings'],
  properties: {
    status: { type: 'integer', enum: [0, 1] },
    message: { type: 'string' },
    checks: {
      type: 'object',
      required: ['redis', 'postgres'],
      properties: { redis: check, postgres: check },
    },
    // What an operator should fix that does not make the node unready (Redis without an AOF).
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

/**
 * Liveness (`/api/health`) and readiness (`/api/health/ready`: dependencies answer and not draining), with
 * warnings that leave the node ready.
 */
export default fp(
  async (app) => {
    app.get(
      '/api/health',
      {
        schema: {
          response: {
            200: {
              type: 'object',
              required: ['status', 'message', 'version'],
              properties: { status: { type: 'integer' }, message: { type: 'string' }, version: { type: 'string' } },
            },
          },
        },
      },
      async () => ({ status: 1, message: 'Realtime gateway running', version }),
    );

    app.get(
      '/api/health/ready',
      { schema: { response: { 200: readyBody, 503: readyBody } } },
      async (_request, reply) => {
        const [redis, postgres] = await Promise.all([
          // The subscriber and the stream reader too, or this node would miss every broadcast from the others.
          probe(async () => {
            if (!redisConnected(app.redis)) throw new Error('not connected');
            await app.queues.connection.ping();
            await app.redis.pub.ping();
          }),
          probe(() => app.pg.query('SELECT 1')),
        ]);
        const draining = app.drain.draining;
        const ready = !draining && redis === 'ok' && postgres === 'ok';
        const message = draining ? 'Draining' : ready ? 'Ready' : 'Not Ready';
        const warning = persistenceWarning(app.redisPersistence());
        return reply.code(ready ? 200 : 503).send({
          status: ready ? 1 : 0,
          message,
          checks: { redis, postgres },
          warnings: warning === null ? [] : [warning],
        });
      },
    );
  },
  { name: 'health', dependencies: ['drain', 'redis', 'postgres', 'queue'], fastify: '5.x' },
);

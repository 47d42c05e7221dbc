import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerMatcher, withTimeout } from '@care-chat/runtime';

export interface WorkerHttpOptions {
  port: number;
  host: string;
  /** Bearer token of `/metrics`; without one there is no such route. */
  metricsToken: string | undefined;
  /** Prometheus text. */
  metrics: () => Promise<string>;
  /** Each dependency's probe: rejects when it does not answer. */
  checks: Record<string, () => Promise<unknown>>;
  /** True once the worker stops taking jobs: unready, still alive. */
  stopping: () => boolean;
}

const PROBE_TIMEOUT_MS = 1000;
const json = (status: number, body: unknown) => ({ status, type: 'application/json', body: JSON.stringify(body) });

/**
 * The worker's small HTTP port: liveness (`/api/health`), readiness (`/api/health/ready`: Redis and
 * PostgreSQL answer, not stopping) and, with a token, `/metrics`. Nothing else; no body is ever read.
 */
export async function startWorkerHttp(options: WorkerHttpOptions): Promise<{ server: Server; port: number }> {
  const authorized = options.metricsToken === undefined ? undefined : bearerMatcher([options.metricsToken]);
  const answer = async (method: string, path: string, authorization: string | undefined) => {
    if (method !== 'GET') return json(405, { status: 0, error: 'method_not_allowed', message: 'GET only' });
    if (path === '/api/health') return json(200, { status: 1, message: 'Alive' });
    if (path === '/api/health/ready') {
      const results = await Promise.all(
        Object.entries(options.checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), PROBE_TIMEOUT_MS, name);
            return [name, 'ok'] as const;
          } catch {
            return [name, 'error'] as const;
          }
        }),
      );
      const ready = !options.stopping() && results.every(([, result]) => result === 'ok');
      const message = options.stopping() ? 'Stopping' : ready ? 'Ready' : 'Not ready';
      return json(ready ? 200 : 503, { status: ready ? 1 : 0, message, checks: Object.fromEntries(results) });
    }
    if (path === '/metrics' && authorized !== undefined) {
      if (!authorized(authorization)) {
        return json(401, { status: 0, error: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
      }
      return { status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: await options.metrics() };
    }
    return json(404, { status: 0, error: 'not_found', message: `No route ${path}` });
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    answer(request.method ?? 'GET', path, request.headers.authorization)
      .catch(() => json(500, { status: 0, error: 'internal', message: 'Internal error' }))
      .then(({ status, type, body }) => response.writeHead(status, { 'content-type': type }).end(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

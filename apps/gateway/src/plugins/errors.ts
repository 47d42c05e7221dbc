import fp from 'fastify-plugin';

/** Every HTTP error leaves as `{ status: 0, error, message }` with its status; a 5xx never shows internals. */
export default fp(
  async (app) => {
    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      const code = error.code?.replace(/^FST_ERR_/, '').toLowerCase() ?? 'internal_error';
      return reply.code(status).send({
        status: 0,
        error: status >= 500 ? 'internal_error' : code,
        message: status >= 500 ? 'Internal error' : error.message,
      });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({
        status: 0,
        error: 'not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      }),
    );
  },
  { name: 'errors', fastify: '5.x' },
);

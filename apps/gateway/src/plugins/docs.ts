import { createRequire } from 'node:module';
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { version } from '../version.js';

/** The contract's AsyncAPI document, generated from its types (`npm run docs`). */
const asyncApi: unknown = createRequire(import.meta.url)('@care-chat/contract/asyncapi.json');

export const DOCS_ROUTES = { openapi: '/api/docs/openapi.json', asyncapi: '/api/docs/asyncapi.json' } as const;

/**
 * With DOCS_ENABLED, the OpenAPI document of the HTTP routes (built from their own schemas by
 * `@fastify/swagger`, so it cannot drift from what they validate) and the AsyncAPI document of the socket
 * events. Off by default: a production node need not describe itself to whoever asks. Registered before
 * every route, so each is seen.
 */
export default fp(
  async (app) => {
    if (!app.config.docsEnabled) return;
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'care-chat realtime tier: HTTP routes',
          version,
          description: `The socket events are in the AsyncAPI document, ${DOCS_ROUTES.asyncapi}.`,
        },
        components: {
          securitySchemes: { executive: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
      },
    });
    app.get(DOCS_ROUTES.openapi, { schema: { hide: true } }, async () => app.swagger());
    app.get(DOCS_ROUTES.asyncapi, { schema: { hide: true } }, async () => asyncApi);
  },
  { name: 'docs', dependencies: ['config'] },
);

import fp from 'fastify-plugin';
import { REQUEST_ID_HEADER } from '../request-id.js';

/** Every answer names the id its request was logged under, so a caller can quote it. */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
    });
  },
  { name: 'request-id', fastify: '5.x' },
);

import type { AddressInfo } from 'node:net';
import { SOCKET_PATH } from '@care-chat/contract';
import fp from 'fastify-plugin';
import { internalUrl } from '../cluster/internal-url.js';
import { NodeRegistry } from '../cluster/node-registry.js';
import { forwardForeignSessions } from '../cluster/session-forwarder.js';

declare module 'fastify' {
  interface FastifyInstance {
    cluster: NodeRegistry;
  }
}

/** Gateways find one another, so any of them can take any request of a long-polling client. */
export default fp(
  async (app) => {
    const log = app.log.child({ module: 'cluster' });
    const registry = new NodeRegistry(app.redis.pub, app.config.redisKeyPrefix, log);
    // The owner of a session is written into its id.
    app.io.engine.generateId = () => registry.newSessionId();
    forwardForeignSessions(app.server, `${SOCKET_PATH}/`, registry, log);
    app.decorate('cluster', registry);
    app.addHook('onListen', async () => {
      registry.start(internalUrl(app.config.internalUrl, app.server.address() as AddressInfo));
    });
    app.addHook('onClose', async () => {
      await registry.stop();
    });
  },
  { name: 'cluster', dependencies: ['config', 'redis', 'socket'], fastify: '5.x' },
);

import type { AddressInfo } from 'node:net';
import { SOCKET_PATH } from '@care-chat/contract';
import fp from 'fastify-plugin';
import { InternalNetwork } from '../cluster/internal-network.js';
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
    const { config } = app;
    const log = app.log.child({ module: 'cluster' });
    const network = new InternalNetwork(config.internalNetwork);
    const registry = new NodeRegistry(app.redis.pub, config.redisKeyPrefix, network, log);
    // The owner of a session is written into its id.
    app.io.engine.generateId = () => registry.newSessionId();
    // Engine.IO fills in its defaults: the interval is always there.
    const longPollMs = app.io.engine.opts.pingInterval as number;
    const forwarder = forwardForeignSessions(
      app.server,
      `${SOCKET_PATH}/`,
      registry,
      {
        network,
        timeoutMs: config.peerTimeoutMs,
        longPollMs,
        onForwarded: (kind, outcome) => app.metrics.forwarded.inc({ kind, outcome }),
      },
      log,
    );
    app.decorate('cluster', registry);
    app.addHook('onListen', async () => {
      const url = internalUrl(config.internalUrl, app.server.address() as AddressInfo, network);
      const checked = network.originOf(url);
      if ('refused' in checked) {
        log.error({ url, reason: checked.refused }, 'peers will not forward to this node: set INTERNAL_URL');
      }
      registry.start(url);
    });
    app.addHook('onClose', async () => {
      await registry.stop();
      await forwarder.close();
    });
  },
  { name: 'cluster', dependencies: ['config', 'metrics', 'redis', 'socket'], fastify: '5.x' },
);

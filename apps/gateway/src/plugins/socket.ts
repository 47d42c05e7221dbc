import { SOCKET_PATH } from '@care-chat/contract';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { broadcastAdapter } from '../socket/adapter.js';
import { authenticate } from '../socket/authenticate.js';
import { onConnection } from '../socket/connection.js';
import type { GatewayServer } from '../socket/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: GatewayServer;
  }
}

/** Socket.IO on `/ws`, rooms shared across gateways through Redis, every socket authenticated. */
export default fp(
  async (app) => {
    const { config, drain } = app;
    const io: GatewayServer = new Server(app.server, {
      path: SOCKET_PATH,
      serveClient: false,
      maxHttpBufferSize: config.socketMaxPayloadBytes,
      cors: { origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins] },
      adapter: broadcastAdapter(app.redis, config.redisKeyPrefix),
      // Only new sessions are asked; a draining node keeps serving the ones it has until it lets them go.
      allowRequest: (_request, callback) => callback(drain.draining ? 'draining' : null, !drain.draining),
    });
    const log = app.log.child({ module: 'socket' });
    io.use(authenticate(app.verifyToken));
    io.on('connection', (socket) => onConnection(socket, { db: app.pg, io }, log));
    app.decorate('io', io);
    // Closing the transports, not the sockets, makes clients see "transport close" and reconnect to
    // another node; a Socket.IO disconnect packet would tell them to stay away.
    app.addHook('preClose', async () => {
      io.engine.close();
    });
  },
  { name: 'socket', dependencies: ['config', 'drain', 'redis', 'postgres', 'auth'], fastify: '5.x' },
);

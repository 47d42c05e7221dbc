import { redisKeys, SOCKET_PATH } from '@care-chat/contract';
import { streamAdapter } from '@care-chat/realtime';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { RateLimiter } from '../limits/rate-limiter.js';
import { authenticate, disconnectIfRevokedMeanwhile } from '../socket/authenticate.js';
import { onConnection } from '../socket/connection.js';
import { handshakeSubject } from '../socket/handshake-subject.js';
import { holdDashboardStats } from '../socket/hold-back.js';
import type { GatewayServer } from '../socket/types.js';
import { redisConnected } from './redis.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: GatewayServer;
  }
}

/** Socket.IO on `/ws`, rooms shared across gateways through Redis, every socket authenticated. */
export default fp(
  async (app) => {
    const { config, drain } = app;
    const log = app.log.child({ module: 'socket' });
    const perMinute = config.limits.connectionsPerAddressPerMinute;
    const handshakes = new RateLimiter(
      app.redis.pub,
      redisKeys(config.redisKeyPrefix).handshakes,
      { burst: perMinute, intervalMs: 60_000 / perMinute },
      'handshakes',
      log.child({ module: 'handshakes' }),
    );
    const io: GatewayServer = new Server(app.server, {
      path: SOCKET_PATH,
      // The console page loads the client from here (`/ws/socket.io.min.js`); nothing else needs it.
      serveClient: config.devConsole,
      maxHttpBufferSize: config.socketMaxPayloadBytes,
      cors: { origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins] },
      adapter: streamAdapter({
        redis: app.redis.pub,
        reader: app.redis.reader,
        subscriber: app.redis.sub,
        prefix: redisKeys(config.redisKeyPrefix).realtime,
        recoveryWindowMs: config.recoveryWindowMs,
        formerSessionMs: config.roomsKeptMs,
        holdBack: holdDashboardStats(config.dashboardStatsHoldMs),
        stockEmitterKey: config.socketIoEmitterKey,
        log: log.child({ module: 'adapter' }),
      }),
      // A client that reconnects within the window (to any node) gets its rooms and missed packets back,
      // after its token is checked again: middlewares run for recovered sockets too.
      connectionStateRecovery: { maxDisconnectionDuration: config.recoveryWindowMs, skipMiddlewares: false },
      // Only new sessions are asked; a draining node keeps serving the ones it has until it lets them go.
      // A refusal is answered 403 with its reason as the message. Without Redis a session could be neither
      // recovered nor shared, and a recovery would wait for Redis after its client gave up on it, then
      // revive the session on a dead connection: the client is refused, and tries again, until Redis is back.
      allowRequest: (request, callback) => {
        if (drain.draining) return callback('Draining: connect to another node', false);
        if (!redisConnected(app.redis)) return callback('Redis is out of reach: try again shortly', false);
        void handshakes.take(handshakeSubject(request, app.verifyToken, config.trustProxy)).then(({ allowed }) => {
          if (allowed) callback(null, true);
          else callback('Too many connection attempts from this address', false);
        });
      },
    });
    io.use(authenticate(app.authenticateToken, log.child({ module: 'handshake' }), config.trustProxy));
    io.on('connection', (socket) => {
      onConnection(
        socket,
        { db: app.pg, io, stats: app.stats, statsChanged: app.statsChanged, mediaUrl: config.media.url },
        config.limits,
        log,
      );
      disconnectIfRevokedMeanwhile(socket, (loginId) => app.loginRevocations.isRevoked(loginId), log);
    });
    app.decorate('io', io);
    // Closing the transports, not the sockets, makes clients see "transport close" and reconnect to
    // another node; a Socket.IO disconnect packet would tell them to stay away.
    app.addHook('preClose', async () => {
      io.engine.close();
    });
    app.addHook('onClose', async () => {
      handshakes.close();
      io.of('/').adapter.close();
    });
  },
  { name: 'socket', dependencies: ['config', 'drain', 'redis', 'postgres', 'auth', 'stats'], fastify: '5.x' },
);

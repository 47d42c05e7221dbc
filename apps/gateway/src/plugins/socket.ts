import { redisKeys, SOCKET_PATH } from '@care-chat/contract';
import { streamAdapter } from '@care-chat/realtime';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import { RateLimiter } from '../limits/rate-limiter.js';
import type { ReplyServices } from '../replies/send-reply.js';
import { authenticate, disconnectIfRevokedMeanwhile } from '../socket/authenticate.js';
import { onConnection } from '../socket/connection.js';
import { handshakeSubject } from '../socket/handshake-subject.js';
import { holdDashboardStats } from '../socket/hold-back.js';
import type { GatewayServer } from '../socket/types.js';
import { templateLanguage } from '../templates/template-language.js';
import { redisConnected } from './redis.js';

/** The `data.code` an authentication refusal carries, or `error` for a middleware that failed. */
const refusalCode = (err: Error): string => {
  const code = (err as { data?: { code?: unknown } }).data?.code;
  return typeof code === 'string' ? code : 'error';
};

declare module 'fastify' {
  interface FastifyInstance {
    io: GatewayServer;
    /** What executives' replies go through, from sockets and HTTP alike. */
    replies: ReplyServices;
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
        onDeliver: (broadcast) => app.metrics.delivered(broadcast),
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
        const refuse = (code: string, message: string) => {
          app.metrics.connectErrors.inc({ code });
          callback(message, false);
        };
        if (drain.draining) return refuse('draining', 'Draining: connect to another node');
        if (!redisConnected(app.redis)) return refuse('redis_unavailable', 'Redis is out of reach: try again shortly');
        void handshakes.take(handshakeSubject(request, app.verifyToken, config.trustProxy)).then(({ allowed }) => {
          if (allowed) callback(null, true);
          else refuse('rate_limited', 'Too many connection attempts from this address');
        });
      },
    });
    const checkToken = authenticate(app.authenticateToken, log.child({ module: 'handshake' }), config.trustProxy);
    io.use((socket, next) =>
      checkToken(socket, (err) => {
        if (err !== undefined) app.metrics.connectErrors.inc({ code: refusalCode(err) });
        next(err);
      }),
    );
    const replies: ReplyServices = {
      db: app.pg,
      io,
      outbound: app.queues.outbound,
      mediaUrl: config.media.url,
      statsChanged: app.statsChanged,
      repeatWithinMs: config.replyRepeatMs,
      templateLanguage: templateLanguage(
        app.redis.pub,
        redisKeys(config.redisKeyPrefix).templates,
        (type) => config.graph.numbers[type]?.businessAccountId,
      ),
    };
    app.decorate('replies', replies);
    app.presence.start(io);
    io.on('connection', (socket) => {
      app.presence.track(socket);
      onConnection(
        socket,
        {
          db: app.pg,
          io,
          stats: app.stats,
          statsChanged: app.statsChanged,
          mediaUrl: config.media.url,
          observeEvent: app.metrics.event,
          replies,
          presence: app.presence,
        },
        config.limits,
        log,
        (hit) => app.metrics.recoveries.inc({ outcome: hit ? 'hit' : 'miss' }),
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
  {
    name: 'socket',
    dependencies: ['config', 'drain', 'metrics', 'redis', 'postgres', 'queue', 'auth', 'stats', 'presence'],
    fastify: '5.x',
  },
);

import { ServerEvent, statsOfTypes } from '@care-chat/contract';
import type { StreamAdapter } from '@care-chat/realtime';
import type { Log } from '@care-chat/runtime';
import { TokenBucket } from '../limits/token-bucket.js';
import { WorkQueue } from '../limits/work-queue.js';
import { answerEvents, type HandlerContext } from './answer.js';
import { handlers } from './handler-table.js';
import { trimHandshake } from './handshake-token.js';
import { connectionRooms, leaveRoomsNoLongerAllowed, rejoinFormerRooms } from './room-access.js';
import type { GatewaySocket } from './types.js';

type Services = Omit<HandlerContext, 'socket' | 'log' | 'rate' | 'work'>;

/** What one socket may send (events a second, at once) and have in progress (running, waiting). */
export interface SocketLimits {
  eventsPerSecond: number;
  eventBurst: number;
  eventsRunning: number;
  eventsWaiting: number;
}

/** A socket's context. Its logger is made on first use: most sockets never log, and there are many. */
class SocketContext implements HandlerContext {
  readonly db: HandlerContext['db'];
  readonly io: HandlerContext['io'];
  readonly stats: HandlerContext['stats'];
  readonly statsChanged: HandlerContext['statsChanged'];
  readonly mediaUrl: HandlerContext['mediaUrl'];
  readonly observeEvent: HandlerContext['observeEvent'];
  readonly replies: HandlerContext['replies'];
  readonly presence: HandlerContext['presence'];
  readonly rate: TokenBucket;
  readonly work: WorkQueue;
  #log: Log | undefined;

  constructor(
    readonly socket: GatewaySocket,
    services: Services,
    limits: SocketLimits,
    private readonly parentLog: Log,
  ) {
    ({
      db: this.db,
      io: this.io,
      stats: this.stats,
      statsChanged: this.statsChanged,
      mediaUrl: this.mediaUrl,
      observeEvent: this.observeEvent,
      replies: this.replies,
      presence: this.presence,
    } = services);
    this.rate = new TokenBucket(limits.eventsPerSecond, limits.eventBurst);
    this.work = new WorkQueue(limits.eventsRunning, limits.eventsWaiting);
  }

  get log(): Log {
    this.#log ??= this.parentLog.child({ socket: this.socket.id, executive: this.socket.data.executive.id });
    return this.#log;
  }
}

/**
 * An authenticated socket: into the `dashboard` room and its stats room, answered by the handler table.
 * `recovery` is told whether a socket that asked for its session back got it.
 */
export function onConnection(
  socket: GatewaySocket,
  services: Services,
  limits: SocketLimits,
  log: Log,
  recovery: (hit: boolean) => void,
): void {
  const context = new SocketContext(socket, services, limits, log);
  const { executive } = socket.data;
  socket.data.chatTypes ??= {};
  if (typeof socket.handshake.auth.pid === 'string') recovery(socket.recovered);
  if (socket.recovered) leaveRoomsNoLongerAllowed(socket);
  else {
    rejoinFormerRooms(socket, socket.nsp.adapter as unknown as StreamAdapter).catch((err: unknown) =>
      context.log.warn({ err }, 'former rooms not taken back'),
    );
  }
  void socket.join(connectionRooms(executive));
  // The upgrade request (its raw headers, parser and buffers) is not needed past the handshake, whose
  // headers and query Socket.IO keeps apart; letting it go is Socket.IO's own advice on memory.
  (socket.conn as { request: unknown }).request = null;
  trimHandshake(socket.handshake);
  // The counts now, and with them the client's first recovery offset: a connection cut before anything
  // else reached it can still be recovered.
  services.stats
    .get()
    .then((stats) => socket.emit(ServerEvent.DashboardStats, statsOfTypes(stats, executive.customerTypes)))
    .catch((err: unknown) => context.log.warn({ err }, 'dashboard stats not sent on connect'));
  answerEvents(context, handlers);
  if (log.level === 'debug' || log.level === 'trace') {
    context.log.debug({ transport: socket.conn.transport.name }, 'socket connected');
    socket.on('disconnect', (reason) => context.log.debug({ reason }, 'socket disconnected'));
  }
}

import { customerTypeOfRoom, DASHBOARD_ROOM, isTypeRoom, ServerEvent } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import { TokenBucket } from '../limits/token-bucket.js';
import type { HandlerContext } from './answer.js';
import { registerChatHandlers } from './handlers/chats.js';
import { registerReadHandlers } from './handlers/reads.js';
import { registerRoomHandlers } from './handlers/rooms.js';
import { registerTypingHandler } from './handlers/typing.js';
import { registerUnsupportedHandlers } from './handlers/unsupported.js';
import type { GatewaySocket } from './types.js';

/** An authenticated socket: into the `dashboard` room, with a logger of its own and every handler. */
export function onConnection(
  socket: GatewaySocket,
  services: Omit<HandlerContext, 'socket' | 'log' | 'rate'>,
  limits: { eventsPerSecond: number; eventBurst: number },
  log: Log,
): void {
  const context = {
    ...services,
    socket,
    rate: new TokenBucket(limits.eventsPerSecond, limits.eventBurst),
    log: log.child({ socket: socket.id, executive: socket.data.executive.id }),
  };
  void socket.join(DASHBOARD_ROOM);
  if (socket.recovered) leaveRoomsNoLongerAllowed(socket);
  // The counts now, and with them the client's first recovery offset: a connection cut before anything
  // else reached it can still be recovered.
  services.stats
    .get()
    .then((stats) => socket.emit(ServerEvent.DashboardStats, stats))
    .catch((err: unknown) => context.log.warn({ err }, 'dashboard stats not sent on connect'));
  registerRoomHandlers(context);
  registerChatHandlers(context);
  registerReadHandlers(context);
  registerTypingHandler(context);
  registerUnsupportedHandlers(context);
  context.log.debug({ transport: socket.conn.transport.name }, 'socket connected');
  socket.on('disconnect', (reason) => context.log.debug({ reason }, 'socket disconnected'));
}

/** A recovered socket is back in its rooms; the token it came back with may allow fewer customer types. */
function leaveRoomsNoLongerAllowed(socket: GatewaySocket): void {
  const allowed = socket.data.executive.customerTypes;
  for (const room of socket.rooms) {
    if (isTypeRoom(room) && !allowed.includes(customerTypeOfRoom(room))) void socket.leave(room);
  }
}

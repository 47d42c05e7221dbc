import { DASHBOARD_ROOM } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { HandlerContext } from './answer.js';
import { registerChatHandlers } from './handlers/chats.js';
import { registerReadHandlers } from './handlers/reads.js';
import { registerRoomHandlers } from './handlers/rooms.js';
import type { GatewaySocket } from './types.js';

/** An authenticated socket: into the `dashboard` room, with a logger of its own and every handler. */
export function onConnection(socket: GatewaySocket, services: Omit<HandlerContext, 'socket' | 'log'>, log: Log): void {
  const context = { ...services, socket, log: log.child({ socket: socket.id, executive: socket.data.executive.id }) };
  void socket.join(DASHBOARD_ROOM);
  registerRoomHandlers(context);
  registerChatHandlers(context);
  registerReadHandlers(context);
  context.log.debug({ transport: socket.conn.transport.name }, 'socket connected');
  socket.on('disconnect', (reason) => context.log.debug({ reason }, 'socket disconnected'));
}

import {
  CUSTOMER_TYPES,
  chatIdOfRoom,
  customerTypeOfRoom,
  DASHBOARD_ROOM,
  type Executive,
  isLoginRoom,
  isStatsRoom,
  isTypeRoom,
  loginRoom,
  type Room,
  statsRoom,
} from '@care-chat/contract';
import type { GatewaySocket } from './types.js';

/**
 * Where every socket is from its connection: everyone's room, the counts of the types it may see, and
 * its login's room, which that login's logout disconnects on every gateway.
 */
export function connectionRooms(executive: Executive): Room[] {
  const stats = statsRoom(executive.customerTypes);
  const login = executive.loginId === null ? [] : [loginRoom(executive.loginId)];
  return [DASHBOARD_ROOM, ...(stats === null ? [] : [stats]), ...login];
}

/** Whether the token of `socket` allows it in `room` (joining chats checked the database already). */
function mayStayIn(socket: GatewaySocket, room: string): boolean {
  const { executive, chatTypes } = socket.data;
  const allowed = executive.customerTypes;
  const chatId = chatIdOfRoom(room);
  if (chatId !== null) {
    const type = chatTypes[chatId];
    return type === undefined ? CUSTOMER_TYPES.every((each) => allowed.includes(each)) : allowed.includes(type);
  }
  if (isTypeRoom(room)) return allowed.includes(customerTypeOfRoom(room));
  if (isStatsRoom(room)) return room === statsRoom(allowed);
  // A session recovered with a token of another login is no longer the old login's to disconnect.
  if (isLoginRoom(room)) return executive.loginId !== null && room === loginRoom(executive.loginId);
  return true;
}

/**
 * A recovered socket is back in the rooms of its session; the token it came back with may allow fewer
 * customer types (or others), so it leaves the type rooms, the stats room and the chats that token does
 * not allow. A chat whose type the session does not say (one saved by an older gateway) is kept only by
 * a token that allows every type.
 */
export function leaveRoomsNoLongerAllowed(socket: GatewaySocket): void {
  for (const room of socket.rooms) if (!mayStayIn(socket, room)) void socket.leave(room);
}

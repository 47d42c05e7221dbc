import {
  CUSTOMER_TYPES,
  chatIdOfRoom,
  customerTypeOfRoom,
  DASHBOARD_ROOM,
  type Executive,
  executiveRoom,
  isExecutiveRoom,
  isLoginRoom,
  isStatsRoom,
  isTypeRoom,
  loginRoom,
  type Room,
  type SocketData,
  statsRoom,
} from '@care-chat/contract';
import type { StreamAdapter } from '@care-chat/realtime';
import type { GatewaySocket } from './types.js';

/**
 * Where every socket is from its connection: everyone's room, the counts of the types it may see, its
 * executive's own room (their assignments and SLA alerts), and its login's room, which that login's logout
 * disconnects on every gateway.
 */
export function connectionRooms(executive: Executive): Room[] {
  const stats = statsRoom(executive.customerTypes);
  const login = executive.loginId === null ? [] : [loginRoom(executive.loginId)];
  return [DASHBOARD_ROOM, ...(stats === null ? [] : [stats]), executiveRoom(executive.id), ...login];
}

/** Whether `executive`'s token allows it in `room` (joining chats checked the database already). */
function mayBeIn({ executive, chatTypes }: SocketData, room: string): boolean {
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
  if (isExecutiveRoom(room)) return room === executiveRoom(executive.id);
  return true;
}

/**
 * A recovered socket is back in the rooms of its session; the token it came back with may allow fewer
 * customer types (or others), so it leaves the type rooms, the stats room and the chats that token does
 * not allow. A chat whose type the session does not say (one saved by an older gateway) is kept only by
 * a token that allows every type.
 */
export function leaveRoomsNoLongerAllowed(socket: GatewaySocket): void {
  for (const room of socket.rooms) if (!mayBeIn(socket.data, room)) void socket.leave(room);
}

/**
 * A dashboard that comes back after the recovery window sends nothing again, so a new socket is put back
 * in the type rooms and chats its client's former session had (kept by the adapter for `ROOMS_KEPT_MS`),
 * as far as its token allows: they are the page's list and its open chats, though what was missed meanwhile
 * is not replayed (the page refetches its list when a row it does not have arrives). The session is what the
 * client names in its handshake, so it counts only if it was the same executive's.
 */
export async function rejoinFormerRooms(socket: GatewaySocket, adapter: StreamAdapter): Promise<void> {
  const { pid } = socket.handshake.auth as { pid?: unknown };
  if (typeof pid !== 'string') return;
  const former = await adapter.formerSession(pid);
  const data = former?.data as Partial<SocketData> | undefined;
  if (former === null || data?.executive?.id !== socket.data.executive.id) return;
  const chatTypes = data.chatTypes ?? {};
  const back = { executive: socket.data.executive, chatTypes };
  const rooms = former.rooms.filter((room) => (isTypeRoom(room) || chatIdOfRoom(room) !== null) && mayBeIn(back, room));
  for (const room of rooms) {
    const chatId = chatIdOfRoom(room);
    if (chatId !== null && chatTypes[chatId] !== undefined) socket.data.chatTypes[chatId] = chatTypes[chatId];
  }
  await socket.join(rooms);
}

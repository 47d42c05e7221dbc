import {
  customerTypeOfRoom,
  DASHBOARD_ROOM,
  type Executive,
  isStatsRoom,
  isTypeRoom,
  type Room,
  statsRoom,
} from '@care-chat/contract';
import type { GatewaySocket } from './types.js';

/** Where every socket is from its connection: everyone's room, and the counts of the types it may see. */
export function connectionRooms(executive: Executive): Room[] {
  const stats = statsRoom(executive.customerTypes);
  return stats === null ? [DASHBOARD_ROOM] : [DASHBOARD_ROOM, stats];
}

/** Whether the token of `socket` allows it in `room`. */
function mayStayIn(socket: GatewaySocket, room: string): boolean {
  const allowed = socket.data.executive.customerTypes;
  if (isTypeRoom(room)) return allowed.includes(customerTypeOfRoom(room));
  if (isStatsRoom(room)) return room === statsRoom(allowed);
  return true;
}

/**
 * A recovered socket is back in the rooms of its session; the token it came back with may allow fewer
 * customer types (or others), so it leaves the type rooms and the stats room that token does not allow.
 */
export function leaveRoomsNoLongerAllowed(socket: GatewaySocket): void {
  for (const room of socket.rooms) if (!mayStayIn(socket, room)) void socket.leave(room);
}

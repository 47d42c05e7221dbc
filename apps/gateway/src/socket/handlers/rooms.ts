import { ClientEvent, customerTypeOfRoom } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/** `join_room` / `leave_room`: the four per-customer-type dashboard rooms that receive `room_update*`. */
export const roomHandlers = {
  [ClientEvent.JoinRoom]: async ({ room }, { socket }) => {
    if (!socket.data.executive.customerTypes.includes(customerTypeOfRoom(room))) {
      return { status: 0, message: SocketErrorMessage.forbiddenRoom(room) };
    }
    await socket.join(room);
    return { status: 1, room };
  },
  [ClientEvent.LeaveRoom]: async ({ room }, { socket }) => {
    await socket.leave(room);
    return { status: 1, room };
  },
} satisfies Partial<HandlerTable>;

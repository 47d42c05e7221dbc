import { ClientEvent, customerTypeOfRoom } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import { answer, type HandlerContext } from '../answer.js';

/** `join_room` / `leave_room`: the four per-customer-type dashboard rooms that receive `room_update*`. */
export function registerRoomHandlers(context: HandlerContext): void {
  answer(context, ClientEvent.JoinRoom, async ({ room }, { socket }) => {
    if (!socket.data.executive.customerTypes.includes(customerTypeOfRoom(room))) {
      return { status: 0, message: SocketErrorMessage.forbiddenRoom(room) };
    }
    await socket.join(room);
    return { status: 1, room };
  });

  answer(context, ClientEvent.LeaveRoom, async ({ room }, { socket }) => {
    await socket.leave(room);
    return { status: 1, room };
  });
}

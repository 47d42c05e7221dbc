import { ClientEvent, chatRoom, ServerEvent } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/** `join_chat`, `join_chat_customer`, `leave_chat`: the `chat_<id>` room of executives viewing one chat. */
export const chatHandlers = {
  [ClientEvent.JoinChat]: async ({ chat_id }, { socket }) => {
    await socket.join(chatRoom(chat_id));
    return { status: 1, chat_id };
  },
  [ClientEvent.JoinChatCustomer]: async ({ chat_id, customer_type }, { socket }) => {
    if (customer_type !== undefined && !socket.data.executive.customerTypes.includes(customer_type)) {
      return { status: 0, message: SocketErrorMessage.forbiddenCustomerType(customer_type) };
    }
    await socket.join(chatRoom(chat_id));
    return { status: 1, chat_id };
  },
  [ClientEvent.LeaveChat]: async ({ chat_id }, { socket }) => {
    const room = chatRoom(chat_id);
    if (socket.rooms.has(room)) {
      await socket.leave(room);
      socket.to(room).emit(ServerEvent.UserLeft, { connection_id: socket.id });
    }
    return { status: 1 };
  },
} satisfies Partial<HandlerTable>;

import { ClientEvent, type CustomerType, chatRoom, LIMITS, ServerEvent } from '@care-chat/contract';
import { visibleChatType } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerContext, HandlerTable } from '../answer.js';

/**
 * Enters the chat's room if it is a chat of one of `types`. A chat of another type is answered as one that
 * does not exist, so ids cannot be probed for chats the token may not see.
 */
async function joinVisibleChat(chatId: string, types: readonly CustomerType[], { socket, db }: HandlerContext) {
  const room = chatRoom(chatId);
  // Checked when it was joined (and again when a session is recovered): the dashboard repeats its joins.
  if (!socket.rooms.has(room)) {
    if (Object.keys(socket.data.chatTypes).length >= LIMITS.chatsPerSocket) {
      return { status: 0, message: SocketErrorMessage.tooManyChats(LIMITS.chatsPerSocket) } as const;
    }
    const type = await visibleChatType(db, chatId, types);
    if (type === null) return { status: 0, message: SocketErrorMessage.chatNotFound(chatId) } as const;
    // Set before joining: the session saved with the room carries it.
    socket.data.chatTypes[chatId] = type;
    await socket.join(room);
  }
  return { status: 1, chat_id: chatId } as const;
}

/** `join_chat`, `join_chat_customer`, `leave_chat`: the `chat_<id>` room of executives viewing one chat. */
export const chatHandlers = {
  [ClientEvent.JoinChat]: ({ chat_id }, context) =>
    joinVisibleChat(chat_id, context.socket.data.executive.customerTypes, context),
  [ClientEvent.JoinChatCustomer]: ({ chat_id, customer_type }, context) => {
    const allowed = context.socket.data.executive.customerTypes;
    if (customer_type === undefined) return joinVisibleChat(chat_id, allowed, context);
    if (!allowed.includes(customer_type)) {
      return { status: 0, message: SocketErrorMessage.forbiddenCustomerType(customer_type) };
    }
    return joinVisibleChat(chat_id, [customer_type], context);
  },
  [ClientEvent.LeaveChat]: async ({ chat_id }, { socket }) => {
    const room = chatRoom(chat_id);
    if (socket.rooms.has(room)) {
      delete socket.data.chatTypes[chat_id];
      await socket.leave(room);
      socket.to(room).emit(ServerEvent.UserLeft, { connection_id: socket.id });
    }
    return { status: 1 };
  },
} satisfies Partial<HandlerTable>;

import { ClientEvent, chatRoom, ServerEvent } from '@care-chat/contract';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/** `typing`: the others viewing the chat see `user_typing`, from the token's executive. */
export const typingHandlers = {
  [ClientEvent.Typing]: ({ chat_id }, { socket }) => {
    const room = chatRoom(chat_id);
    // Only a viewer of the chat, which joining checked, may tell its room anything.
    if (!socket.rooms.has(room)) return { status: 0, message: SocketErrorMessage.notInChat(chat_id) };
    // Not volatile: a volatile packet is dropped whenever the socket's transport is busy, which under
    // load is often enough to lose most hints.
    socket.to(room).emit(ServerEvent.UserTyping, { chat_id, sender: socket.data.executive.id });
    return { status: 1 };
  },
} satisfies Partial<HandlerTable>;

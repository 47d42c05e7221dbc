import { ClientEvent, chatRoom, ServerEvent } from '@care-chat/contract';
import type { HandlerTable } from '../answer.js';

/** `typing`: the others viewing the chat see `user_typing`. */
export const typingHandlers = {
  [ClientEvent.Typing]: ({ chat_id, sender }, { socket }) => {
    // Not volatile: a volatile packet is dropped whenever the socket's transport is busy, which under
    // load is often enough to lose most hints.
    socket.to(chatRoom(chat_id)).emit(ServerEvent.UserTyping, { chat_id, sender });
    return { status: 1 };
  },
} satisfies Partial<HandlerTable>;

import { ClientEvent, chatRoom, ServerEvent } from '@care-chat/contract';
import { answer, type HandlerContext } from '../answer.js';

/** `typing`: the others viewing the chat see `user_typing`. */
export function registerTypingHandler(context: HandlerContext): void {
  answer(context, ClientEvent.Typing, ({ chat_id, sender }, { socket }) => {
    // Volatile: a typing hint that arrives late is worse than none, and is not worth replaying.
    socket.to(chatRoom(chat_id)).volatile.emit(ServerEvent.UserTyping, { chat_id, sender });
    return { status: 1 };
  });
}

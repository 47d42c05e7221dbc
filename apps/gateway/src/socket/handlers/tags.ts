import { ClientEvent, chatRoom, LIMITS, ServerEvent } from '@care-chat/contract';
import { applyTag } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/**
 * `apply_tag`: the dashboard applies the tag at once and merges `tag_updated` from the others; the chat room
 * hears of a real change only, with the chat's tags after it.
 */
export const tagHandlers = {
  [ClientEvent.ApplyTag]: async ({ chat_id, tag, action }, { db, io, socket }) => {
    const result = await applyTag(db, {
      chatId: chat_id,
      tag,
      action,
      customerTypes: socket.data.executive.customerTypes,
      maxTags: LIMITS.tagsPerChat,
    });
    if (!result.found) return { status: 0, message: SocketErrorMessage.chatNotFound(chat_id) };
    if (result.tooMany) return { status: 0, message: SocketErrorMessage.tooManyTags(LIMITS.tagsPerChat) };
    if (result.changed)
      io.to(chatRoom(chat_id)).emit(ServerEvent.TagUpdated, { chat_id, tag, action, tags: result.tags });
    return { status: 1, tags: result.tags };
  },
} satisfies Partial<HandlerTable>;

import { assignmentRooms, ClientEvent, CUSTOMER_TYPES, chatReassigned, ServerEvent } from '@care-chat/contract';
import { activeExecutive, reassignChat, visibleChatType } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/**
 * `reassign_chat`: an executive moves a chat of a type they may see, an admin any chat, to an executive
 * allowed for its type: one online (the dashboard offers only those), or one of this tier's own. The
 * dashboard changes nothing until `chat_reassigned` arrives.
 */
export const reassignHandlers = {
  [ClientEvent.ReassignChat]: async ({ chat_id, executive_id }, { db, io, socket, presence }) => {
    const caller = socket.data.executive;
    const types = caller.role === 'admin' ? CUSTOMER_TYPES : caller.customerTypes;
    const chatType = await visibleChatType(db, chat_id, types);
    if (chatType === null) return { status: 0, message: SocketErrorMessage.chatNotFound(chat_id) };
    const online = await presence.online();
    const target =
      online.find((each) => each.executive_id === executive_id) ?? (await activeExecutive(db, executive_id));
    if (target === null) return { status: 0, message: SocketErrorMessage.unknownExecutive(executive_id) };
    if (!target.customer_types.includes(chatType)) {
      return { status: 0, message: SocketErrorMessage.executiveNotAllowed(executive_id, chatType) };
    }
    const moved = await reassignChat(db, chat_id, types, target);
    if (moved === null) return { status: 0, message: SocketErrorMessage.chatNotFound(chat_id) };
    io.to(assignmentRooms(chat_id, moved.fromExecutiveId, target.executive_id)).emit(
      ServerEvent.ChatReassigned,
      chatReassigned(chat_id, moved.fromExecutiveId, target),
    );
    return { status: 1, chat_id, executive_id };
  },
} satisfies Partial<HandlerTable>;

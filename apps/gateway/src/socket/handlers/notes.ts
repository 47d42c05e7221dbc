import { ClientEvent, chatRoom, ServerEvent } from '@care-chat/contract';
import { addNote } from '@care-chat/store';
import { SocketErrorMessage } from '../../errors.js';
import type { HandlerTable } from '../answer.js';

/**
 * `add_note`: the dashboard shows a note it added only when `note_added` reaches it, so it goes to the chat
 * room and to the author's own socket, which need not have joined the chat: one broadcast to both rooms
 * reaches each socket once.
 */
export const noteHandlers = {
  [ClientEvent.AddNote]: async ({ chat_id, content }, { db, io, socket }) => {
    const { executive } = socket.data;
    const note = await addNote(db, {
      chatId: chat_id,
      content,
      author: executive,
      customerTypes: executive.customerTypes,
    });
    if (note === null) return { status: 0, message: SocketErrorMessage.chatNotFound(chat_id) };
    io.to([chatRoom(chat_id), socket.id]).emit(ServerEvent.NoteAdded, note);
    return { status: 1, note };
  },
} satisfies Partial<HandlerTable>;

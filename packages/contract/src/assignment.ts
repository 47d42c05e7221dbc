import type { ChatAssigned, ChatReassigned } from './payloads.js';
import { type ChatRoom, chatRoom, type ExecutiveRoom, executiveRoom } from './rooms.js';

/** Who is told of a chat's assignment: the chat's room and every executive concerned, each socket once. */
export function assignmentRooms(chatId: string, ...executiveIds: (string | null)[]): (ChatRoom | ExecutiveRoom)[] {
  const executives = [...new Set(executiveIds.filter((id) => id !== null))];
  return [chatRoom(chatId), ...executives.map(executiveRoom)];
}

/** The dashboard reads `executive_id` first and `assigned_executive_id` when it is falsy: both carry the assignee. */
export const chatAssigned = (chatId: string, executiveId: string, name: string): ChatAssigned => ({
  chat_id: chatId,
  executive_id: executiveId,
  assigned_executive_id: executiveId,
  executive_name: name,
});

export const chatReassigned = (
  chatId: string,
  from: string | null,
  to: { executive_id: string; name: string } | null,
): ChatReassigned => ({
  chat_id: chatId,
  from_executive_id: from,
  to_executive_id: to?.executive_id ?? null,
  executive_id: to?.executive_id ?? null,
  executive_name: to?.name ?? null,
});

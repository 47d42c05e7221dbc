import type { Queryable } from './db.js';

/** Moves `executiveId`'s read mark of a chat to its newest message: all of it is seen by them. */
export async function markChatSeen(db: Queryable, chatId: string, executiveId: string): Promise<void> {
  await db.query(
    `INSERT INTO chat_reads (chat_id, executive_id, last_seen_message_id)
     SELECT $1, $2, max(id) FROM messages WHERE chat_id = $1 HAVING max(id) IS NOT NULL
     ON CONFLICT (chat_id, executive_id) DO UPDATE
       SET last_seen_message_id = GREATEST(chat_reads.last_seen_message_id, EXCLUDED.last_seen_message_id),
           seen_at = now()`,
    [chatId, executiveId],
  );
}

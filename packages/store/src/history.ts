import type { CustomerType, Message, Pagination } from '@care-chat/contract';
import type pg from 'pg';
import { paginationOf } from './chat-list.js';
import { isChatId, withTransaction } from './db.js';
import { type MediaUrl, NO_MEDIA_URL } from './media-url.js';
import { markChatSeen } from './read-mark.js';
import { type MessageRow, messageOf } from './rows.js';

export interface HistoryQuery {
  chatId: string;
  /** The executive reading: everything in the chat becomes seen by them. */
  executiveId: string;
  customerTypes: readonly CustomerType[];
  page: number;
  pageSize: number;
  /** Links for the messages' media; without it they carry none. */
  mediaUrl?: MediaUrl;
}

export type HistoryResult = { found: false } | { found: true; messages: Message[]; pagination: Pagination };

const SEEN_BY = `COALESCE((SELECT jsonb_agg(r.executive_id ORDER BY r.executive_id) FROM chat_reads r
                            WHERE r.chat_id = m.chat_id AND r.last_seen_message_id >= m.id), '[]'::jsonb)`;

/**
 * A page of a chat's messages, newest first, read by `executiveId`: their read mark moves to the newest
 * message, and the chat's own count of customer messages since an executive read or replied goes to 0
 * (what the next `room_update` carries). Nobody is told: the other executives' badges are theirs. A chat
 * of a type the caller may not see is not found.
 */
export async function readHistory(pool: pg.Pool, query: HistoryQuery): Promise<HistoryResult> {
  if (!isChatId(query.chatId)) return { found: false };
  return withTransaction(pool, async (db) => {
    const locked = await db.query('SELECT 1 FROM chats c WHERE c.id = $1 AND c.customer_type = ANY($2) FOR UPDATE', [
      query.chatId,
      query.customerTypes,
    ]);
    if (locked.rowCount === 0) return { found: false } as const;
    await markChatSeen(db, query.chatId, query.executiveId);
    await db.query(
      'UPDATE chats SET unread_count = 0, version = version + 1, updated_at = now() WHERE id = $1 AND unread_count > 0',
      [query.chatId],
    );
    const page = await db.query<{ message: MessageRow }>(
      `SELECT to_jsonb(m) || jsonb_build_object('seen_by', ${SEEN_BY}) AS message FROM messages m
        WHERE m.chat_id = $1 ORDER BY m.sent_at DESC LIMIT $2 OFFSET $3`,
      [query.chatId, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const count = await db.query<{ total: number }>('SELECT count(*)::int AS total FROM messages WHERE chat_id = $1', [
      query.chatId,
    ]);
    return {
      found: true,
      messages: page.rows.map((row) => messageOf(row.message, query.mediaUrl ?? NO_MEDIA_URL)),
      pagination: paginationOf(query.page, query.pageSize, count.rows[0]?.total ?? 0),
    } as const;
  });
}

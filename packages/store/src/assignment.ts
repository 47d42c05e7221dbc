import type { ChatSummary, CustomerType, OnlineExecutive } from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';
import { type ChatRow, chatSummaryOf } from './rows.js';

/** A chat given (or handed on) by `assignChat`: the chat as it is now, and whose it was. */
export interface Assignment {
  chat: ChatSummary;
  fromExecutiveId: string | null;
}

/**
 * Gives an open chat to the least loaded of `candidates` allowed for its type (see `assign_chat`,
 * migrations/011): a chat without an assignee, or `from`'s when they hand it on (to no one when no candidate
 * can take it). Null when nothing changed: the chat is resolved, someone else already has it, or none of
 * the candidates may take it.
 */
export async function assignChat(
  db: Queryable,
  chatId: string,
  customerType: CustomerType,
  candidates: readonly OnlineExecutive[],
  from: string | null = null,
): Promise<Assignment | null> {
  if (!isChatId(chatId)) return null;
  const allowed = candidates.filter((each) => each.customer_types.includes(customerType));
  if (allowed.length === 0 && from === null) return null;
  const { rows } = await db.query<{ chat: ChatRow; from_executive_id: string | null }>(
    'SELECT chat, from_executive_id FROM assign_chat($1, $2, $3, $4)',
    [chatId, allowed.map((each) => each.executive_id), allowed.map((each) => each.name), from],
  );
  const row = rows[0];
  return row === undefined ? null : { chat: chatSummaryOf(row.chat), fromExecutiveId: row.from_executive_id };
}

/** A chat to assign, with its type. */
export interface ChatToAssign {
  chatId: string;
  customerType: CustomerType;
}

/** The open chats nobody owns among `customerTypes`, the longest waiting first. */
export async function unassignedChats(db: Queryable, customerTypes: readonly CustomerType[]): Promise<ChatToAssign[]> {
  const { rows } = await db.query<{ id: string; customer_type: CustomerType }>(
    `SELECT id::text, customer_type FROM chats
      WHERE assigned_executive_id IS NULL AND status <> 'resolved' AND customer_type = ANY($1)
      ORDER BY last_incoming_message NULLS LAST, id`,
    [customerTypes],
  );
  return rows.map((row) => ({ chatId: row.id, customerType: row.customer_type }));
}

/** The open chats of one executive. */
export async function openChatsOf(db: Queryable, executiveId: string): Promise<ChatToAssign[]> {
  const { rows } = await db.query<{ id: string; customer_type: CustomerType }>(
    `SELECT id::text, customer_type FROM chats
      WHERE assigned_executive_id = $1 AND status <> 'resolved' ORDER BY id`,
    [executiveId],
  );
  return rows.map((row) => ({ chatId: row.id, customerType: row.customer_type }));
}

/**
 * Gives a chat to `to` on someone's request (`reassign_chat`), whoever has it now; returns whose it was.
 * Not found (null) unless the chat is of one of `customerTypes`.
 */
export async function reassignChat(
  db: Queryable,
  chatId: string,
  customerTypes: readonly CustomerType[],
  to: { executive_id: string; name: string },
): Promise<Assignment | null> {
  if (!isChatId(chatId)) return null;
  const { rows } = await db.query<{ chat: ChatRow; from_executive_id: string | null }>(
    `WITH target AS (
       SELECT id, assigned_executive_id FROM chats WHERE id = $1 AND customer_type = ANY($2) FOR UPDATE
     ), moved AS (
       UPDATE chats c SET assigned_executive_id = $3, assigned_executive_name = $4,
                          version = c.version + 1, updated_at = now()
         FROM target t WHERE c.id = t.id
       RETURNING chat_summary_row(c) AS chat
     )
     SELECT m.chat, t.assigned_executive_id AS from_executive_id FROM moved m, target t`,
    [chatId, customerTypes, to.executive_id, to.name],
  );
  const row = rows[0];
  return row === undefined ? null : { chat: chatSummaryOf(row.chat), fromExecutiveId: row.from_executive_id };
}

/** An executive of this tier's own, not disabled, as assignment sees one; null for any other id. */
export async function activeExecutive(db: Queryable, executiveId: string): Promise<OnlineExecutive | null> {
  // This tier's executive ids are bigints; a token from elsewhere may carry any `sub`.
  if (!/^\d{1,18}$/.test(executiveId)) return null;
  const { rows } = await db.query<OnlineExecutive>(
    `SELECT id::text AS executive_id, name, customer_types FROM executives
      WHERE id = $1 AND disabled_at IS NULL`,
    [executiveId],
  );
  return rows[0] ?? null;
}

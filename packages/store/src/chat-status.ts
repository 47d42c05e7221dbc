import type { ChatStatus, CustomerType } from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';

export interface ChatStatusChange {
  /** The chat; without one, the customer's only chat among `customerTypes`. */
  chatId?: string;
  /** The full number or, as searches send it, its last 10 digits. */
  customer: string;
  status: ChatStatus;
  customerTypes: readonly CustomerType[];
}

export type ChatStatusResult =
  | { found: false }
  /** The customer has chats on several numbers of these types: which one is meant needs its chat id. */
  | { found: true; ambiguous: true }
  | { found: true; ambiguous: false; chatId: string; oldStatus: ChatStatus; changed: boolean };

/**
 * Sets a chat's status, if it is a chat of one of `customerTypes` (another is not found, as a missing one).
 * Setting the status a chat has writes nothing. A customer's next message makes it active again
 * (`ingest_inbound_message`, migrations/006).
 */
export async function setChatStatus(db: Queryable, change: ChatStatusChange): Promise<ChatStatusResult> {
  const chatId = change.chatId ?? (await onlyChatOf(db, change.customer, change.customerTypes));
  if (chatId === 'several') return { found: true, ambiguous: true };
  if (chatId === null || !isChatId(chatId)) return { found: false };
  const { rows } = await db.query<{ old_status: ChatStatus }>(
    `WITH target AS (
       SELECT id, status FROM chats WHERE id = $1 AND customer_type = ANY($2) FOR UPDATE
     ), changed AS (
       UPDATE chats c SET status = $3, version = c.version + 1, updated_at = now()
         FROM target t WHERE c.id = t.id AND t.status <> $3
     )
     SELECT status AS old_status FROM target`,
    [chatId, change.customerTypes, change.status],
  );
  const oldStatus = rows[0]?.old_status;
  if (oldStatus === undefined) return { found: false };
  return { found: true, ambiguous: false, chatId, oldStatus, changed: oldStatus !== change.status };
}

async function onlyChatOf(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
): Promise<string | 'several' | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM chats
      WHERE (customer = $1 OR (length($1) = 10 AND right(customer, 10) = $1)) AND customer_type = ANY($2)
      LIMIT 2`,
    [customer, customerTypes],
  );
  if (rows.length > 1) return 'several';
  return rows[0]?.id ?? null;
}

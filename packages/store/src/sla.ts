import type { CustomerType } from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';

/** What an SLA alert says of its chat. */
export interface SlaBreach {
  chat_id: string;
  customer: string;
  customer_name: string | null;
  customer_type: CustomerType;
  assigned_executive_id: string | null;
}

export type SlaCheck =
  /** Answered, resolved since, or gone: no alert. */
  | { due: false }
  /** Unanswered: `raisedNow` is false when an earlier check of the same message and threshold raised it. */
  | { due: true; raisedNow: boolean; breach: SlaBreach };

/**
 * Whether customer message `messageId` is still unanswered after `minutes`: no executive wrote in its chat
 * after it, and the chat was not resolved since it arrived. An unanswered one is recorded under (message,
 * minutes) in the same statement, so of any number of checks exactly one raises it.
 */
export async function checkSla(db: Queryable, messageId: string, minutes: number): Promise<SlaCheck> {
  if (!isChatId(messageId)) return { due: false };
  const { rows } = await db.query<SlaBreach & { raised_now: boolean }>(
    `WITH due AS (
       SELECT m.id AS message_id, c.id AS chat_id, c.customer, c.customer_name, c.customer_type,
              c.assigned_executive_id
         FROM messages m JOIN chats c ON c.id = m.chat_id
        WHERE m.id = $1 AND m.sender_type = 'Customer' AND c.status <> 'resolved'
          AND (c.resolved_at IS NULL OR c.resolved_at < m.created_at)
          AND NOT EXISTS (SELECT 1 FROM messages r
                           WHERE r.chat_id = m.chat_id AND r.sender_type = 'Executive' AND r.id > m.id)
     ), raised AS (
       INSERT INTO sla_alerts (message_id, minutes, chat_id, assigned_executive_id)
       SELECT message_id, $2, chat_id, assigned_executive_id FROM due
       ON CONFLICT (message_id, minutes) DO NOTHING
       RETURNING message_id
     )
     SELECT chat_id::text, customer, customer_name, customer_type, assigned_executive_id,
            EXISTS (SELECT 1 FROM raised) AS raised_now
       FROM due`,
    [messageId, minutes],
  );
  const row = rows[0];
  if (row === undefined) return { due: false };
  const { raised_now, ...breach } = row;
  return { due: true, raisedNow: raised_now, breach };
}

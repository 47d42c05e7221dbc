import type { CustomerType, OpenWindow } from '@care-chat/contract';
import type { Queryable } from './db.js';

/** How long after a customer's last message WhatsApp lets a business write to them freely. */
const WINDOW = '24 hours';

/** SQL: is the window open whose customer last wrote at `lastIncoming` (a column or expression)? */
export const windowOpenSql = (lastIncoming: string): string => `${lastIncoming} + interval '${WINDOW}' > now()`;

export interface CustomerWindows {
  /** The customer's most recent chat among the types asked. */
  chatId: string;
  /** Their chats whose customer-service window is still open; empty once every one has closed. */
  open: OpenWindow[];
}

/**
 * WhatsApp's customer-service window of a customer's chats among `customerTypes`: open for 24 hours after
 * their last message, counted by the database's clock. Null when the customer has no such chat.
 */
export async function customerWindows(
  db: Queryable,
  customer: string,
  customerTypes: readonly CustomerType[],
): Promise<CustomerWindows | null> {
  const { rows } = await db.query<{ chat_id: string; customer_type: CustomerType; closes_at: Date | null }>(
    `SELECT c.id::text AS chat_id, c.customer_type,
            CASE WHEN ${windowOpenSql('c.last_incoming_whatsapp_message')}
                 THEN c.last_incoming_whatsapp_message + interval '${WINDOW}' END AS closes_at
       FROM chats c WHERE c.customer = $1 AND c.customer_type = ANY($2)
      ORDER BY c.last_message_time DESC NULLS LAST, c.id DESC`,
    [customer, customerTypes],
  );
  const newest = rows[0];
  if (newest === undefined) return null;
  const open = rows.flatMap(({ chat_id, customer_type, closes_at }) =>
    closes_at === null ? [] : [{ chat_id, customer_type, closes_at: closes_at.toISOString() }],
  );
  return { chatId: newest.chat_id, open };
}

import { DELIVERY_STATUSES, type DeliveryStatus, type MessageStatusUpdate } from '@care-chat/contract';
import type { Queryable } from './db.js';
import { toJsonb } from './jsonb.js';

export interface StatusRecord {
  wamid: string;
  status: DeliveryStatus;
  /** Unix seconds. */
  timestamp: string;
  error: MessageStatusUpdate['error'] | null;
}

/**
 * Moves a business message's delivery status forward. Meta may deliver statuses out of order, so one that
 * is not past the current one changes nothing; null then, and for a wamid of no message the business sent
 * (a customer's own message has no delivery status to report). With `again`, the same status applies
 * again (a retry reporting what an earlier attempt stored).
 */
export async function applyMessageStatus(
  db: Queryable,
  record: StatusRecord,
  { again = false } = {},
): Promise<MessageStatusUpdate | null> {
  const { rows } = await db.query<{ id: string; chat_id: string; status_at: Date }>(
    `UPDATE messages
        SET delivery_status = $2, delivery_rank = $3, delivery_error = COALESCE($4::jsonb, delivery_error),
            status_at = to_timestamp($5::bigint)
      WHERE wamid = $1 AND sender_type = 'Executive' AND (delivery_rank < $3 OR ($6 AND delivery_rank = $3))
      RETURNING id, chat_id, status_at`,
    [
      record.wamid,
      record.status,
      DELIVERY_STATUSES.indexOf(record.status),
      record.error === null ? null : toJsonb(record.error),
      record.timestamp,
      again,
    ],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    chat_id: String(row.chat_id),
    message_id: String(row.id),
    status: record.status,
    datetime: row.status_at.toISOString(),
    ...(record.error === null ? {} : { error: record.error }),
  };
}

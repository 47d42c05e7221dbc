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

/** Whether a stored message carries `wamid`. */
export async function isKnownWamid(db: Queryable, wamid: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM messages WHERE wamid = $1', [wamid]);
  return rowCount === 1;
}

/**
 * Keeps a status of a wamid no message carries yet, for `applyParkedStatuses` when one does. `messageId` is
 * the reply the status names (its `biz_opaque_callback_data`), when it names one. Statuses parked a day ago
 * go: those of messages another system sent from the same number are never claimed.
 */
export async function parkStatus(db: Queryable, record: StatusRecord, messageId: string | null): Promise<void> {
  await db.query(
    `WITH expired AS (DELETE FROM parked_statuses WHERE parked_at < now() - interval '1 day')
     INSERT INTO parked_statuses (wamid, status, delivery_rank, status_timestamp, error, message_id)
     VALUES ($1, $2, $3, $4::bigint, $5::jsonb, $6::bigint)
     ON CONFLICT (wamid, status) DO NOTHING`,
    [
      record.wamid,
      record.status,
      DELIVERY_STATUSES.indexOf(record.status),
      record.timestamp,
      record.error === null ? null : toJsonb(record.error),
      messageId,
    ],
  );
}

/**
 * Applies the statuses parked for `wamid`, in their order, now that a message carries it: the transitions
 * made, for the chat room. Each parked status is taken once, whoever takes it.
 */
export async function applyParkedStatuses(db: Queryable, wamid: string): Promise<MessageStatusUpdate[]> {
  const { rows } = await db.query<{
    status: DeliveryStatus;
    status_timestamp: string;
    error: MessageStatusUpdate['error'] | null;
  }>(
    `DELETE FROM parked_statuses WHERE wamid = $1
     RETURNING status, status_timestamp::text, error, delivery_rank`,
    [wamid],
  );
  const ordered = rows.toSorted((a, b) => DELIVERY_STATUSES.indexOf(a.status) - DELIVERY_STATUSES.indexOf(b.status));
  const updates: MessageStatusUpdate[] = [];
  for (const row of ordered) {
    const update = await applyMessageStatus(db, {
      wamid,
      status: row.status,
      timestamp: row.status_timestamp,
      error: row.error,
    });
    if (update !== null) updates.push(update);
  }
  return updates;
}

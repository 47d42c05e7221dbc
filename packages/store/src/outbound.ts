import {
  type CustomerType,
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type MessageStatusUpdate,
  type WhatsAppMedia,
} from '@care-chat/contract';
import { isChatId, type Queryable } from './db.js';
import { toJsonb } from './jsonb.js';
import type { ReplyKind, ReplyTemplate } from './replies.js';

/** A stored reply as its delivery needs it. */
export interface OutboundReply {
  messageId: string;
  chatId: string;
  /** The customer's number, digits. */
  customer: string;
  customerType: CustomerType;
  kind: ReplyKind;
  body: string;
  template: ReplyTemplate | null;
  media: WhatsAppMedia | null;
  wamid: string | null;
  deliveryStatus: DeliveryStatus;
  /** Calls made to WhatsApp for it so far. */
  sendAttempts: number;
  /** When the call whose answer is not known began; null when none is. */
  pendingSince: Date | null;
}

interface ReplyRow {
  id: string;
  chat_id: string;
  customer: string;
  customer_type: CustomerType;
  kind: ReplyKind;
  body: string;
  template: ReplyTemplate | null;
  media: WhatsAppMedia | null;
  wamid: string | null;
  delivery_status: DeliveryStatus;
  send_attempts: number;
  send_pending_since: Date | null;
}

/** The executive's reply `messageId`, with its chat's customer; null when there is none. */
export async function loadReply(db: Queryable, messageId: string): Promise<OutboundReply | null> {
  if (!isChatId(messageId)) return null;
  const { rows } = await db.query<ReplyRow>(
    `SELECT m.id::text, m.chat_id::text, c.customer, c.customer_type, m.kind, m.body, m.template, m.media, m.wamid,
            m.delivery_status, m.send_attempts, m.send_pending_since
       FROM messages m JOIN chats c ON c.id = m.chat_id
      WHERE m.id = $1 AND m.sender_type = 'Executive'`,
    [messageId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    messageId: row.id,
    chatId: row.chat_id,
    customer: row.customer,
    customerType: row.customer_type,
    kind: row.kind,
    body: row.body,
    template: row.template,
    media: row.media,
    wamid: row.wamid,
    deliveryStatus: row.delivery_status,
    sendAttempts: row.send_attempts,
    pendingSince: row.send_pending_since,
  };
}

/**
 * Notes, before calling WhatsApp, that a call for reply `messageId` begins: a worker that finds this still
 * set knows that one died in a call whose outcome nobody knows. Null (call nothing) when the reply is no
 * longer waiting to be sent; else the number of calls this one makes.
 */
export async function beginSend(db: Queryable, messageId: string): Promise<number | null> {
  const { rows } = await db.query<{ send_attempts: number }>(
    `UPDATE messages SET send_attempts = send_attempts + 1, send_pending_since = clock_timestamp()
      WHERE id = $1 AND wamid IS NULL AND delivery_status = 'queued'
      RETURNING send_attempts`,
    [messageId],
  );
  return rows[0]?.send_attempts ?? null;
}

/** WhatsApp answered and did not take the message: no call is pending. */
export async function sendRefused(db: Queryable, messageId: string): Promise<void> {
  await db.query('UPDATE messages SET send_pending_since = NULL WHERE id = $1', [messageId]);
}

/**
 * WhatsApp took reply `messageId` as `wamid`, as its answer or a status webhook naming the reply says.
 * True when the reply carries that wamid now; false when it carries another (it was sent as another).
 */
export async function recordWamid(db: Queryable, messageId: string, wamid: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE messages SET wamid = $2, send_pending_since = NULL
      WHERE id = $1 AND sender_type = 'Executive' AND (wamid IS NULL OR wamid = $2)`,
    [messageId, wamid],
  );
  return rowCount === 1;
}

/**
 * Reply `messageId` will never be sent: `failed`, keeping WhatsApp's error. Null when it was sent after all,
 * or had failed already.
 */
export async function failReply(
  db: Queryable,
  messageId: string,
  error: NonNullable<MessageStatusUpdate['error']>,
): Promise<MessageStatusUpdate | null> {
  const { rows } = await db.query<{ chat_id: string; status_at: Date }>(
    `UPDATE messages SET delivery_status = 'failed', delivery_rank = $2, delivery_error = $3::jsonb,
                         status_at = now(), send_pending_since = NULL
      WHERE id = $1 AND wamid IS NULL AND delivery_rank < $2
      RETURNING chat_id::text, status_at`,
    [messageId, DELIVERY_STATUSES.indexOf('failed'), toJsonb(error)],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    chat_id: row.chat_id,
    message_id: messageId,
    status: 'failed',
    datetime: row.status_at.toISOString(),
    error,
  };
}

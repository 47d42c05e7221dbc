import type { ChatSummary, CustomerType, MediaType, Message, WhatsAppMedia } from '@care-chat/contract';
import type { Queryable } from './db.js';
import { toJsonb } from './jsonb.js';
import { type MediaUrl, NO_MEDIA_URL } from './media-url.js';
import { type ChatRow, chatSummaryOf, type MessageRow, messageOf } from './rows.js';

export interface InboundMessageRecord {
  wamid: string;
  /** Phone digits, or the business-scoped user id of a user without a visible number. */
  customer: string;
  wa_id: string | null;
  user_id: string | null;
  name: string | null;
  username: string | null;
  business_number_id: string;
  customer_type: CustomerType;
  /** Unix seconds, as WhatsApp sends them. */
  timestamp: string;
  /** The job's `arrival`: the order within one second of the chat. */
  arrival: number | null;
  kind: string;
  body: string;
  message_tag: string | null;
  media_type: MediaType | null;
  media: WhatsAppMedia | null;
  raw: unknown;
}

export interface IngestResult {
  chat: ChatSummary;
  message: Message;
  /** False when the wamid was stored before: nothing changed. */
  inserted: boolean;
}

/**
 * Stores one inbound message and updates its chat, in one round trip (see migrations/006). The message
 * returned carries links to its media made by `mediaUrl`; the chat's `unseen_count` is its count since an
 * executive last read or replied: the update goes to a whole room.
 */
export async function ingestInboundMessage(
  db: Queryable,
  record: InboundMessageRecord,
  mediaUrl: MediaUrl = NO_MEDIA_URL,
): Promise<IngestResult> {
  const { rows } = await db.query<{ chat: ChatRow; message: MessageRow; inserted: boolean }>(
    'SELECT chat, message, inserted FROM ingest_inbound_message($1::jsonb)',
    [toJsonb(record)],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('ingest_inbound_message returned no row');
  return { chat: chatSummaryOf(row.chat), message: messageOf(row.message, mediaUrl), inserted: row.inserted };
}

/**
 * Runs the ingest of a made-up message (customer `warm-<index>`, so that primes side by side do not wait
 * on each other), for `warmPool` to roll back: the connection's first real message is then planned.
 */
export async function primeIngest(db: Queryable, index: number): Promise<void> {
  await ingestInboundMessage(db, {
    wamid: `wamid.warm-${index}`,
    customer: `warm-${index}`,
    wa_id: null,
    user_id: `warm-${index}`,
    name: null,
    username: null,
    business_number_id: 'warm',
    customer_type: 'Customer',
    timestamp: String(Math.floor(Date.now() / 1000)),
    arrival: null,
    kind: 'text',
    body: '',
    message_tag: null,
    media_type: null,
    media: null,
    raw: {},
  });
}

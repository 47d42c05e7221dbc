import type {
  ChatStatus,
  ChatSummary,
  CustomerDetails,
  CustomerType,
  DeliveryStatus,
  IsoTime,
  MediaType,
  Message,
  SenderType,
  WhatsAppMedia,
} from '@care-chat/contract';
import { type MediaUrl, mediaLinks } from './media-url.js';

/**
 * A `chats` row as `chat_summary_row` renders it (migrations/006): bigints as numbers, times as ISO strings
 * with an offset, with its executive's name and its customer's details.
 */
export interface ChatRow {
  id: number;
  customer: string;
  customer_name: string | null;
  customer_type: CustomerType;
  status: ChatStatus;
  last_message: string | null;
  last_message_time: string | null;
  last_incoming_message: string | null;
  last_outgoing_message: string | null;
  last_interaction_by: SenderType | null;
  tags: string[];
  assigned_executive_id: string | null;
  assigned_executive_name: string | null;
  unread_count: number;
  rating: number | null;
  customer_details: CustomerDetails | null;
  version: number;
}

/** The SQL that renders the chats row `c` as a `ChatRow`. */
export const CHAT_ROW = 'chat_summary_row(c)';

/** A `messages` row as `to_jsonb` renders it, with `seen_by` added where a query computes it. */
export interface MessageRow {
  id: number;
  chat_id: number;
  wamid: string | null;
  sender: string;
  sender_type: SenderType;
  body: string;
  message_tag: string | null;
  media_type: MediaType | null;
  media: WhatsAppMedia | null;
  media_url: string | null;
  sent_at: string;
  /** When this tier stored it: always a time `now()` gave. */
  created_at: string;
  delivery_status: DeliveryStatus;
  seen_by?: string[];
}

/**
 * Times leave in one form: ISO 8601, UTC, with `Z`; null for one JavaScript cannot read. PostgreSQL holds
 * years up to 294276 and `infinity`, and writes years past 9999 in a form Date does not parse: such a
 * time (stored before the webhook bounded them) must not fail every read of the list it is in.
 */
function isoTime(value: string): IsoTime | null {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
const isoOrNull = (value: string | null): IsoTime | null => (value === null ? null : isoTime(value));

/**
 * The chat as the dashboard lists it. `unseenCount` is the reader's own count where one executive asks;
 * by default the chat's count since an executive last read or replied, for updates a room of them gets.
 */
export function chatSummaryOf(row: ChatRow, unseenCount: number = row.unread_count): ChatSummary {
  const lastIncoming = isoOrNull(row.last_incoming_message);
  return {
    chat_id: String(row.id),
    customer: row.customer,
    customer_name: row.customer_name,
    customer_type: row.customer_type,
    status: row.status,
    is_resolved: row.status === 'resolved',
    last_message: row.last_message,
    last_message_time: isoOrNull(row.last_message_time),
    last_incoming_message: lastIncoming,
    last_incoming_message_time: lastIncoming,
    last_outgoing_message: isoOrNull(row.last_outgoing_message),
    last_interaction_by: row.last_interaction_by,
    last_msg_by: row.last_interaction_by,
    tags: row.tags,
    assigned_executive_id: row.assigned_executive_id,
    assigned_executive_name: row.assigned_executive_name,
    unseen_count: unseenCount,
    rating: row.rating,
    customer_details: row.customer_details,
    version: Number(row.version),
  };
}

export function messageOf(row: MessageRow, mediaUrl: MediaUrl): Message {
  return {
    message_id: String(row.id),
    chat_id: String(row.chat_id),
    sender: row.sender,
    sender_type: row.sender_type,
    channel: 'whatsapp',
    message: row.body,
    message_tag: row.message_tag,
    media_type: row.media_type,
    media: row.media,
    ...mediaLinks(row.media, row.media_url, mediaUrl),
    // A sending time Date cannot read gives way to the time the message was stored.
    datetime: isoTime(row.sent_at) ?? new Date(row.created_at).toISOString(),
    seen_by: row.seen_by ?? [],
    wamid: row.wamid,
    delivery_status: row.delivery_status,
  };
}

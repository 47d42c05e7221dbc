import type {
  ChatStatus,
  ChatSummary,
  CustomerType,
  DeliveryStatus,
  MediaType,
  Message,
  SenderType,
  WhatsAppMedia,
} from '@care-chat/contract';

/** A `chats` row as `to_jsonb` renders it: bigints as numbers, times as ISO strings with an offset. */
export interface ChatRow {
  id: number;
  customer: string;
  customer_name: string | null;
  customer_type: CustomerType;
  status: ChatStatus;
  last_message: string | null;
  last_message_time: string | null;
  last_incoming_message: string | null;
  last_incoming_whatsapp_message: string | null;
  last_outgoing_message: string | null;
  last_interaction_by: SenderType | null;
  tags: string[];
  assigned_executive_id: string | null;
  unread_count: number;
  version: number;
}

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
  delivery_status: DeliveryStatus;
  seen_by?: string[];
}

/** Times leave in one form: ISO 8601, UTC, with `Z`. */
export const isoTime = (value: string): string => new Date(value).toISOString();
const isoOrNull = (value: string | null): string | null => (value === null ? null : isoTime(value));

export function chatSummaryOf(row: ChatRow): ChatSummary {
  return {
    chat_id: String(row.id),
    customer: row.customer,
    customer_name: row.customer_name,
    customer_type: row.customer_type,
    status: row.status,
    is_resolved: row.status === 'resolved',
    last_message: row.last_message,
    last_message_time: isoOrNull(row.last_message_time),
    last_incoming_message: isoOrNull(row.last_incoming_message),
    last_incoming_whatsapp_message: isoOrNull(row.last_incoming_whatsapp_message),
    last_outgoing_message: isoOrNull(row.last_outgoing_message),
    last_interaction_by: row.last_interaction_by,
    tags: row.tags,
    assigned_executive_id: row.assigned_executive_id,
    unread_count: row.unread_count,
    version: Number(row.version),
  };
}

export function messageOf(row: MessageRow): Message {
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
    mediaUrl: row.media_url,
    datetime: isoTime(row.sent_at),
    seen_by: row.seen_by ?? [],
    wamid: row.wamid,
    delivery_status: row.delivery_status,
  };
}

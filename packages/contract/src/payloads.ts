import type { CustomerType } from './customer-types.js';

export const CHAT_STATUSES = ['active', 'pending', 'resolved'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

export const SENDER_TYPES = ['Customer', 'Executive'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/**
 * In the order a status applies: a message's status only moves forward (Meta may deliver them out of
 * order). `failed` ranks below `delivered` and `read`, which prove the message arrived: a failure reported
 * after them changes nothing. `received` is an inbound message's, which no status applies to.
 */
export const DELIVERY_STATUSES = ['received', 'queued', 'sent', 'failed', 'delivered', 'read'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** As the dashboard sends them (in any case) and reads them back (uppercased). */
export const EXECUTIVE_STATUSES = ['ONLINE', 'OFFLINE'] as const;
export type ExecutiveStatus = (typeof EXECUTIVE_STATUSES)[number];

export const TAG_ACTIONS = ['add', 'remove'] as const;
export type TagAction = (typeof TAG_ACTIONS)[number];

/** The SLA thresholds, in minutes, of a deployment that sets none (`SLA_ALERT_MINUTES`). */
export const DEFAULT_SLA_MINUTES = [3, 10] as const;
/** `3min`, `10min`: the threshold an alert is for, in minutes (the dashboard does not read it). */
export type SlaAlertType = `${number}min`;

export const slaAlertType = (minutes: number): SlaAlertType => `${minutes}min`;

/** ISO 8601 in UTC with `Z`, e.g. `2026-01-01T00:00:00.000Z`. */
export type IsoTime = string;

/**
 * What other company systems know of a customer (`PUT /api/customers/{customer}/details`), shown with each
 * of their chats: for a Partner, `dco_id`, `driver_name`, `dco_status` and the like. Free-form.
 */
export type CustomerDetails = Record<string, unknown>;

/** The Partner page's driver filter (`fetch_all_chats.user_status`): the value of `customer_details.dco_status`. */
export const USER_STATUSES = ['Active_Approved', 'Pending', 'InJourney', 'Suspend'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** One row of the chat list, sent as `room_update*` and returned by `fetch_all_chats` and `search_chat`. */
export interface ChatSummary {
  chat_id: string;
  /** The customer's WhatsApp number, digits only. */
  customer: string;
  customer_name: string | null;
  customer_type: CustomerType;
  status: ChatStatus;
  is_resolved: boolean;
  /** A readable preview, also for media (`📷 Photo: <caption>`). */
  last_message: string | null;
  last_message_time: IsoTime | null;
  /** When the customer last wrote; the dashboard's SLA timer starts there. */
  last_incoming_message: IsoTime | null;
  /** The same time under the name the dashboard reads first. */
  last_incoming_message_time: IsoTime | null;
  last_outgoing_message: IsoTime | null;
  last_interaction_by: SenderType | null;
  /** The same as `last_interaction_by`, under the dashboard's other name for it. */
  last_msg_by: SenderType | null;
  tags: string[];
  assigned_executive_id: string | null;
  assigned_executive_name: string | null;
  /**
   * In `fetch_all_chats` and `search_chat` answers: the customer messages the executive asking has not
   * seen. In `room_update*`, which a whole room of executives receives: the customer messages since an
   * executive last read the chat or replied to it.
   */
  unseen_count: number;
  /** The customer's rating of the chat, 1 to 5; null until rated. */
  rating: number | null;
  customer_details: CustomerDetails | null;
  /** Rises by one with every change, so a client can drop stale or duplicate updates. */
  version: number;
}

/** WhatsApp's media object as the Cloud API sends it. */
export interface WhatsAppMedia {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  url?: string;
  [key: string]: unknown;
}

export interface Message {
  message_id: string;
  chat_id: string;
  /** A phone number (customer) or an executive id. */
  sender: string;
  sender_type: SenderType;
  channel: 'whatsapp';
  /** Text, or a readable preview for media and other kinds. */
  message: string;
  /** The id of the button the customer tapped, if any. */
  message_tag: string | null;
  media_type: MediaType | null;
  media: WhatsAppMedia | null;
  /** A signed link to the media the browser loads without headers; null without media. */
  mediaUrl: string | null;
  /** The same link: the dashboard reads either. */
  media_url: string | null;
  /** With milliseconds, unique within the chat (the dashboard drops a message whose datetime it has shown). */
  datetime: IsoTime;
  seen_by: string[];
  wamid: string | null;
  delivery_status: DeliveryStatus;
}

export interface MessageStatusUpdate {
  chat_id: string;
  message_id: string;
  status: DeliveryStatus;
  datetime: IsoTime;
  error?: { code: number; title: string; message?: string };
}

/** Chats by status. */
export interface DashboardCounts {
  active: number;
  resolved: number;
  pending: number;
}

/** Counted over the customer types the receiving executive may see; the others have no entry. */
export interface DashboardStats extends DashboardCounts {
  by_type: Partial<Record<CustomerType, DashboardCounts>>;
}

/** A tag added to or removed from a chat, with the chat's tags after it (the dashboard replaces its own with them). */
export interface TagUpdated {
  chat_id: string;
  tag: string;
  action: TagAction;
  tags: string[];
}

/** An executive's note on a chat, seen by executives only (never sent to the customer). */
export interface Note {
  id: string;
  chat_id: string;
  content: string;
  /** The writer's executive id (the token's `sub`). */
  author_id: string;
  /** The writer's name as the executives table has it, else the token's `name` claim, else the id. */
  author_name: string;
  created_at: IsoTime;
}

/** The dashboard shows a note it added only when this reaches it. */
export type NoteAdded = Note;

/** A chat given to an executive. The dashboard reads `executive_id`, or `assigned_executive_id` when it is falsy. */
export interface ChatAssigned {
  chat_id: string;
  executive_id: string;
  assigned_executive_id: string;
  /** Without it the dashboard blanks the assignee's name and hides its Reassign card. */
  executive_name: string;
}

/**
 * A chat moved from one executive to another (`to_executive_id` null: handed back to no one, until an
 * executive allowed for it comes online). `executive_id` and `executive_name` are the new assignee's.
 */
export interface ChatReassigned {
  chat_id: string;
  from_executive_id: string | null;
  to_executive_id: string | null;
  executive_id: string | null;
  executive_name: string | null;
}

export interface UserLeft {
  connection_id: string;
}

export interface UserTyping {
  chat_id: string;
  sender: string;
}

/** An executive who is online, as every gateway and worker sees them: what assignment chooses among. */
export interface OnlineExecutive {
  executive_id: string;
  name: string;
  customer_types: CustomerType[];
}

/** The dashboard's online list (and its reassign dropdown) is built from these alone. */
export interface ExecutiveStatusUpdate extends OnlineExecutive {
  status: ExecutiveStatus;
}

/** A customer message left unanswered for `elapsed_minutes`. The dashboard shows it only to `assigned_executive_id`. */
export interface SlaAlert {
  chat_id: string;
  customer: string;
  customer_name: string | null;
  customer_type: CustomerType;
  assigned_executive_id: string | null;
  elapsed_minutes: number;
  alert_type: SlaAlertType;
}

export interface Pagination {
  page: number;
  page_size: number;
  total: number;
  total_pages: number;
}

/** The chat list's pages, with the counts of its Active and Pending tabs. */
export interface ChatListPagination extends Pagination {
  total_active: number;
  total_pending: number;
}

/** A chat whose customer may still be written to freely: WhatsApp's 24-hour customer-service window. */
export interface OpenWindow {
  chat_id: string;
  customer_type: CustomerType;
  /** 24 hours after the customer's last message. */
  closes_at: IsoTime;
}

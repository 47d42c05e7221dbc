import type { CustomerType } from './customer-types.js';
import type {
  ChatListPagination,
  ChatStatus,
  ChatSummary,
  DashboardStats,
  ExecutiveStatus,
  Message,
  Note,
  OpenWindow,
  Pagination,
  TagAction,
  UserStatus,
} from './payloads.js';
import type { TypeRoom } from './routes.js';

export const SEND_MESSAGE_TYPES = ['Agent', 'Customer'] as const;
export type SendMessageType = (typeof SEND_MESSAGE_TYPES)[number];

export interface JoinRoomRequest {
  room: TypeRoom;
}
export interface LeaveRoomRequest {
  room: TypeRoom;
}
export interface JoinChatRequest {
  chat_id: string;
  type?: string;
}
export interface JoinChatCustomerRequest {
  chat_id: string;
  type?: string;
  customer_type?: CustomerType;
}
export interface LeaveChatRequest {
  chat_id: string;
}
export type GetDashboardStatsRequest = Record<string, never>;
// The dashboard also sends `sender` (its agent's number, or null) with most events: it is never read, the
// caller is the token's executive (a client could name anyone). Unknown fields are dropped by the validators.
export interface FetchAllChatsRequest {
  status?: ChatStatus;
  customer_type?: CustomerType;
  /** The Partner page's filter on `customer_details.dco_status`. */
  user_status?: UserStatus;
  search?: string;
  tag?: string;
  page?: number;
  page_size?: number;
  assigned_executive_id?: string;
}
export interface FetchChatsByUserRequest {
  chat_id: string;
  page?: number;
  page_size?: number;
}
export interface SearchChatRequest {
  /** The digits typed: the full number, or its last 10 digits (without the country code). */
  customer: string;
  customer_type?: CustomerType;
}
export interface ConfigRequest {
  /** The customer's number (the chat row's `customer`), not the caller's. */
  sender: string;
  customer_type?: CustomerType;
}
/** A text (with `type`, `chat_type`, `datetime` from the client's clock) or a template (with its id and name). */
export interface SendMessageRequest {
  chat_id: string;
  message: string;
  type?: SendMessageType;
  chat_type?: string;
  datetime?: string;
  customer_type?: CustomerType;
  template_id?: string;
  template_name?: string;
}
/** By `chat_id`; without one, the customer's only chat among the token's types. `update_by_number` is never read. */
export interface UpdateChatStatusRequest {
  chat_id?: string;
  customer_number: string;
  status: ChatStatus;
}
export interface ApplyTagRequest {
  chat_id: string;
  tag: string;
  action: TagAction;
}
/** The executive is the token's: the dashboard sends nothing else. */
export interface SetExecutiveStatusRequest {
  status: ExecutiveStatus;
}
export interface ReassignChatRequest {
  chat_id: string;
  executive_id: string;
}
export interface AddNoteRequest {
  chat_id: string;
  content: string;
}
export interface TypingRequest {
  chat_id: string;
}

/** The data each client event carries, keyed by event name. */
export interface ClientRequests {
  join_room: JoinRoomRequest;
  leave_room: LeaveRoomRequest;
  join_chat: JoinChatRequest;
  join_chat_customer: JoinChatCustomerRequest;
  leave_chat: LeaveChatRequest;
  get_dashboard_stats: GetDashboardStatsRequest;
  fetch_all_chats: FetchAllChatsRequest;
  fetch_chats_by_user: FetchChatsByUserRequest;
  search_chat: SearchChatRequest;
  config: ConfigRequest;
  send_message: SendMessageRequest;
  update_chat_status: UpdateChatStatusRequest;
  apply_tag: ApplyTagRequest;
  set_executive_status: SetExecutiveStatusRequest;
  reassign_chat: ReassignChatRequest;
  add_note: AddNoteRequest;
  typing: TypingRequest;
}

/** What a successful answer carries besides `status: 1`, keyed by event name. */
export interface ClientSuccesses {
  join_room: { room: TypeRoom };
  leave_room: { room: TypeRoom };
  join_chat: { chat_id: string };
  join_chat_customer: { chat_id: string };
  leave_chat: Record<never, never>;
  get_dashboard_stats: { data: DashboardStats };
  fetch_all_chats: { chats: ChatSummary[]; pagination: ChatListPagination };
  fetch_chats_by_user: { messages: Message[]; pagination: Pagination };
  search_chat: { chat: ChatSummary };
  /** `whatsapp_window_open` lists the customer's chats still inside the window: empty once it closed. */
  config: { chat_id: string; config: { whatsapp_window_open: OpenWindow[] } };
  send_message: { message_id: string };
  update_chat_status: { old_status: ChatStatus; new_status: ChatStatus };
  /** The chat's tags after the change. */
  apply_tag: { tags: string[] };
  set_executive_status: { executive_id: string; new_status: ExecutiveStatus };
  reassign_chat: { chat_id: string; executive_id: string };
  add_note: { note: Note };
  typing: Record<never, never>;
}

export type ClientEventName = keyof ClientRequests;

export type Success<E extends ClientEventName> = { status: 1 } & ClientSuccesses[E];

export interface Failure {
  status: 0;
  message: string;
}

/** Every client event is answered with one of these, as `<event>_response` and through the ack. */
export type ClientResponse<E extends ClientEventName> = Success<E> | Failure;

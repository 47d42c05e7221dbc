import type { CustomerType } from './customer-types.js';
import type {
  ChatAssigned,
  ChatReassigned,
  ChatSummary,
  DashboardStats,
  ExecutiveStatusUpdate,
  Message,
  MessageStatusUpdate,
  NoteAdded,
  SlaAlert,
  TagUpdated,
  UserLeft,
  UserTyping,
} from './payloads.js';
import type { ClientEventName, ClientRequests, ClientResponse } from './requests.js';
import type { RoomUpdateEvent } from './routes.js';

/** Names of the events a client emits. Apps use these, never string literals. */
export const ClientEvent = {
  JoinRoom: 'join_room',
  LeaveRoom: 'leave_room',
  JoinChat: 'join_chat',
  JoinChatCustomer: 'join_chat_customer',
  LeaveChat: 'leave_chat',
  GetDashboardStats: 'get_dashboard_stats',
  FetchAllChats: 'fetch_all_chats',
  FetchChatsByUser: 'fetch_chats_by_user',
  SearchChat: 'search_chat',
  Config: 'config',
  SendMessage: 'send_message',
  UpdateChatStatus: 'update_chat_status',
  ApplyTag: 'apply_tag',
  SetExecutiveStatus: 'set_executive_status',
  ReassignChat: 'reassign_chat',
  AddNote: 'add_note',
  Typing: 'typing',
} as const satisfies Record<string, ClientEventName>;

/** Compiles only while every key of `ClientRequests` has a constant in `ClientEvent`. */
export const everyClientEventNamed: ClientEventName extends (typeof ClientEvent)[keyof typeof ClientEvent]
  ? true
  : never = true;

export type ResponseEventName<E extends ClientEventName = ClientEventName> = `${E}_response`;

export function responseEvent<E extends ClientEventName>(event: E): ResponseEventName<E> {
  return `${event}_response`;
}

/** What each event the server sends to rooms carries, other than the four `room_update*` events and the answers. */
export interface ServerBroadcastPayloads {
  new_message: Message;
  message_status: MessageStatusUpdate;
  dashboard_stats: DashboardStats;
  tag_updated: TagUpdated;
  note_added: NoteAdded;
  chat_assigned: ChatAssigned;
  chat_reassigned: ChatReassigned;
  user_left: UserLeft;
  user_typing: UserTyping;
  executive_status: ExecutiveStatusUpdate;
  sla_alert: SlaAlert;
}

export type ServerBroadcasts = {
  [E in keyof ServerBroadcastPayloads]: (payload: ServerBroadcastPayloads[E]) => void;
};

export const ServerEvent = {
  NewMessage: 'new_message',
  MessageStatus: 'message_status',
  DashboardStats: 'dashboard_stats',
  TagUpdated: 'tag_updated',
  NoteAdded: 'note_added',
  ChatAssigned: 'chat_assigned',
  ChatReassigned: 'chat_reassigned',
  UserLeft: 'user_left',
  UserTyping: 'user_typing',
  ExecutiveStatus: 'executive_status',
  SlaAlert: 'sla_alert',
} as const satisfies Record<string, keyof ServerBroadcasts>;

/** Compiles only while every key of `ServerBroadcasts` has a constant in `ServerEvent`. */
export const everyServerEventNamed: keyof ServerBroadcasts extends (typeof ServerEvent)[keyof typeof ServerEvent]
  ? true
  : never = true;

export type ClientToServerEvents = {
  [E in ClientEventName]: (data: ClientRequests[E], ack?: (response: ClientResponse<E>) => void) => void;
};

export type ServerToClientEvents = {
  [E in RoomUpdateEvent]: (summary: ChatSummary) => void;
} & {
  [E in ClientEventName as ResponseEventName<E>]: (response: ClientResponse<E>) => void;
} & ServerBroadcasts;

/** Gateways exchange nothing directly yet; the adapter carries room broadcasts. */
export type InterServerEvents = Record<never, never>;

export const EXECUTIVE_ROLES = ['executive', 'admin'] as const;
export type ExecutiveRole = (typeof EXECUTIVE_ROLES)[number];

/** Who a socket belongs to, taken from its verified token. */
export interface Executive {
  /** The token's `sub`. */
  id: string;
  role: ExecutiveRole;
  /** The customer types whose rooms this executive may join: the `customer_types` claim, or all four. */
  customerTypes: readonly CustomerType[];
  agentNumber: string | null;
  /** The token's `name` claim: who wrote a note, when the executives table does not know the id. */
  name: string | null;
  /** Unix seconds from `exp`, or null for a token without one. */
  expiresAt: number | null;
  /** The `sid` claim of a token this tier's login issued: the login that logout revokes. Null otherwise. */
  loginId: string | null;
}

export interface SocketData {
  executive: Executive;
  /**
   * The customer type of each chat the socket joined, by chat id. Saved with its rooms, so a recovered
   * socket is checked against the token it came back with without asking the database.
   */
  chatTypes: Record<string, CustomerType>;
}

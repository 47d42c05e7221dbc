import {
  assignmentRooms,
  type ChatSummary,
  CUSTOMER_TYPES,
  chatAssigned,
  chatReassigned,
  chatRoom,
  type DashboardStats,
  executiveRoom,
  type Message,
  type MessageStatusUpdate,
  type Room,
  redisKeys,
  routeOf,
  ServerEvent,
  type ServerToClientEvents,
  type SlaAlert,
  STATS_AUDIENCES,
  statsOfTypes,
  statsRoomsOf,
} from '@care-chat/contract';
import { type BroadcastOperator, Emitter } from '@care-chat/realtime';
import type { Redis } from 'ioredis';

/**
 * How the worker reaches the sockets on every gateway: entries in the broadcast stream the gateways read,
 * so clients that reconnect get the worker's updates replayed too. Typed by the contract: an event cannot
 * go out with another's payload, nor to a room the dashboards do not have.
 */
export type DashboardEmitter = Emitter<ServerToClientEvents, Room>;

/** Updates published together, once (see `Emitter#publishOnce`). */
export type UpdateGroup = (group: BroadcastOperator<ServerToClientEvents, Room, void>) => void;

export function dashboardEmitter(redis: Redis, keyPrefix: string, recoveryWindowMs: number): DashboardEmitter {
  return new Emitter(redis, { prefix: redisKeys(keyPrefix).realtime, recoveryWindowMs });
}

/** A customer's message: its chat's row in its customer type's list (`room_update*`), and the chat room's `new_message`. */
export const messageArrived =
  (chat: ChatSummary, message: Message): UpdateGroup =>
  (group) => {
    const { room, event } = routeOf(chat.customer_type);
    group.to(room).emit(event, chat);
    group.to(chatRoom(message.chat_id)).emit(ServerEvent.NewMessage, message);
  };

/** A chat given to its assignee, told to the chat room and to the assignee. */
export const chatWasAssigned =
  (chat: ChatSummary): UpdateGroup =>
  (group) => {
    const id = chat.assigned_executive_id;
    if (id === null) return;
    group
      .to(assignmentRooms(chat.chat_id, id))
      .emit(ServerEvent.ChatAssigned, chatAssigned(chat.chat_id, id, chat.assigned_executive_name ?? id));
  };

/** A chat handed on from `from` (to no one when its summary has no assignee), told to both and the chat room. */
export const chatWasReassigned =
  (chat: ChatSummary, from: string | null): UpdateGroup =>
  (group) => {
    const to = chat.assigned_executive_id;
    const name = chat.assigned_executive_name ?? to;
    group
      .to(assignmentRooms(chat.chat_id, from, to))
      .emit(
        ServerEvent.ChatReassigned,
        chatReassigned(chat.chat_id, from, to === null || name === null ? null : { executive_id: to, name }),
      );
  };

/**
 * To the assignee, or when the chat has none to every dashboard whose executive may see its type (the
 * stats rooms of those types: each socket is in one), so a customer's number never reaches one who may not.
 */
export const slaBreached =
  (alert: SlaAlert): UpdateGroup =>
  (group) => {
    const to = alert.assigned_executive_id;
    group.to(to === null ? statsRoomsOf(alert.customer_type) : executiveRoom(to)).emit(ServerEvent.SlaAlert, alert);
  };

export const statusChanged =
  (update: MessageStatusUpdate): UpdateGroup =>
  (group) =>
    group.to(chatRoom(update.chat_id)).emit(ServerEvent.MessageStatus, update);

/**
 * The counts to every stats room, each counted over its types only, so no executive receives the counts
 * of a type its token does not allow. A room none of whose types changed since `previous` is skipped
 * (its dashboards already have these counts); every room gets them when there is no `previous`.
 */
export async function publishStats(
  emitter: DashboardEmitter,
  stats: DashboardStats,
  previous: DashboardStats | undefined,
): Promise<void> {
  const changed = CUSTOMER_TYPES.filter(
    (type) => previous === undefined || JSON.stringify(previous.by_type[type]) !== JSON.stringify(stats.by_type[type]),
  );
  await Promise.all(
    STATS_AUDIENCES.filter(({ types }) => types.some((type) => changed.includes(type))).map(({ room, types }) =>
      emitter.to(room).emit(ServerEvent.DashboardStats, statsOfTypes(stats, types)),
    ),
  );
}

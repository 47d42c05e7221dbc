import {
  type ChatSummary,
  chatRoom,
  DASHBOARD_ROOM,
  type DashboardStats,
  type Message,
  type MessageStatusUpdate,
  redisKeys,
  routeOf,
  ServerEvent,
  type ServerToClientEvents,
} from '@care-chat/contract';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';

/**
 * How the worker reaches sockets on every gateway. Kept behind this one module because the choice will
 * change: the released emitter speaks only to the classic Redis adapter. It publishes on the same key as
 * the gateways' adapter, and sends each update to the room the contract names for it.
 */
export class Broadcaster {
  readonly #emitter: Emitter<ServerToClientEvents>;

  constructor(redis: Redis, keyPrefix: string) {
    this.#emitter = new Emitter<ServerToClientEvents>(redis, { key: redisKeys(keyPrefix).socketIo });
  }

  /** The chat's row in its customer type's list: `room_update*` to that type's dashboard room. */
  chatChanged(chat: ChatSummary): void {
    const { room, event } = routeOf(chat.customer_type);
    this.#emitter.to(room).emit(event, chat);
  }

  newMessage(message: Message): void {
    this.#emitter.to(chatRoom(message.chat_id)).emit(ServerEvent.NewMessage, message);
  }

  messageStatus(update: MessageStatusUpdate): void {
    this.#emitter.to(chatRoom(update.chat_id)).emit(ServerEvent.MessageStatus, update);
  }

  dashboardStats(stats: DashboardStats): void {
    this.#emitter.to(DASHBOARD_ROOM).emit(ServerEvent.DashboardStats, stats);
  }
}

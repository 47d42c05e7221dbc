import {
  broadcastFields,
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
  trimArgs,
} from '@care-chat/contract';
import type { Redis } from 'ioredis';

/** One event for one room, typed by the contract's event map. */
export interface Outbound<E extends keyof ServerToClientEvents = keyof ServerToClientEvents> {
  room: string;
  event: E;
  payload: Parameters<ServerToClientEvents[E]>[0];
}

/** The chat's row in its customer type's list: `room_update*` to that type's dashboard room. */
export function chatChanged(chat: ChatSummary): Outbound {
  const { room, event } = routeOf(chat.customer_type);
  return { room, event, payload: chat };
}

export const newMessage = (message: Message): Outbound => ({
  room: chatRoom(message.chat_id),
  event: ServerEvent.NewMessage,
  payload: message,
});

export const messageStatus = (update: MessageStatusUpdate): Outbound => ({
  room: chatRoom(update.chat_id),
  event: ServerEvent.MessageStatus,
  payload: update,
});

export const dashboardStats = (stats: DashboardStats): Outbound => ({
  room: DASHBOARD_ROOM,
  event: ServerEvent.DashboardStats,
  payload: stats,
});

/**
 * How the worker reaches sockets on every gateway: entries in the broadcast stream the gateways read
 * (see the contract's broadcast-stream.ts), so clients that reconnect get the worker's updates replayed
 * too. `publish` resolves once Redis has them, in order; a job whose updates could not be written fails
 * and is retried.
 */
export class Broadcaster {
  readonly #stream: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly recoveryWindowMs: number,
  ) {
    this.#stream = redisKeys(keyPrefix).broadcastStream;
  }

  async publish(...updates: Outbound[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { room, event, payload } of updates) {
      pipeline.xadd(this.#stream, ...trimArgs(this.recoveryWindowMs), '*', ...broadcastFields(event, payload, [room]));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err !== null);
    if (failed?.[0]) throw failed[0];
  }
}

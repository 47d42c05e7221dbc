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
import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    publishOnce(
      marker: string,
      stream: string,
      markerMs: number,
      count: number,
      ...entries: (string | number)[]
    ): Result<number, Context>;
  }
}

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

// Adds the entries only if the marker was not there, and sets it, in one step: an update published once
// is never published again by a retry of its job (whose earlier attempt died after publishing).
const PUBLISH_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local i = 3
for _ = 1, tonumber(ARGV[2]) do
  local count = tonumber(ARGV[i])
  redis.call('XADD', KEYS[2], unpack(ARGV, i + 1, i + count))
  i = i + count + 1
end
return 1`;

/** How long a published marker lasts: well past any retry of a job whose worker died (lock + backoff). */
const MARKER_MS = 10 * 60 * 1000;

/**
 * How the worker reaches sockets on every gateway: entries in the broadcast stream the gateways read
 * (see the contract's broadcast-stream.ts), so clients that reconnect get the worker's updates replayed
 * too. What it publishes is in Redis, in order, when the promise resolves; a job whose updates could not
 * be written fails and is retried.
 */
export class Broadcaster {
  readonly #keys: ReturnType<typeof redisKeys>;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly recoveryWindowMs: number,
  ) {
    this.#keys = redisKeys(keyPrefix);
    // Sent by hash (EVALSHA), not as source with every message; loaded again when Redis lacks it.
    redis.defineCommand('publishOnce', { numberOfKeys: 2, lua: PUBLISH_ONCE });
  }

  #entry({ room, event, payload }: Outbound): string[] {
    return [...trimArgs(this.recoveryWindowMs), '*', ...broadcastFields(event, payload, [room])];
  }

  async publish(...updates: Outbound[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const update of updates) pipeline.xadd(this.#keys.broadcastStream, ...this.#entry(update));
    const failed = ((await pipeline.exec()) ?? []).find(([err]) => err !== null);
    if (failed?.[0]) throw failed[0];
  }

  /** Publishes `updates` unless they were published under `updateId` before. */
  async publishOnce(updateId: string, ...updates: Outbound[]): Promise<void> {
    const entries = updates.map((update) => this.#entry(update));
    await this.redis.publishOnce(
      this.#keys.published(updateId),
      this.#keys.broadcastStream,
      MARKER_MS,
      entries.length,
      ...entries.flatMap((entry) => [entry.length, ...entry]),
    );
  }
}

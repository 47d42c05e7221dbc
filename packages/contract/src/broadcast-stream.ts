/**
 * Every broadcast, from a gateway or a worker, is an entry in one Redis stream that each gateway reads
 * and delivers to its own sockets. The entry id is the offset Socket.IO's connection state recovery hands
 * clients, so a reconnecting client gets what it missed whoever sent it. The entry's fields are those
 * of a socket.io-adapter cluster message: `uid` (the sender), `nsp`, `type` and JSON `data`.
 */

/** socket.io-adapter's MessageType.BROADCAST, as the stream stores it. */
export const BROADCAST_TYPE = '3';
/** socket.io-parser's PacketType.EVENT. */
export const EVENT_PACKET_TYPE = 2;
/** The sender id of broadcasts that no gateway made (the worker's). */
export const EMITTER_UID = 'emitter';
export const DEFAULT_NAMESPACE = '/';

/** How long after a disconnection a session may still be recovered, unless configured otherwise. */
export const DEFAULT_RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/**
 * How long the stream keeps entries: the recovery window and a margin for packets that were in flight
 * when the connection dropped, so a session that can be recovered never misses a trimmed entry.
 */
export const streamRetentionMs = (recoveryWindowMs: number) => recoveryWindowMs + 60_000;

/** The XADD trimming arguments that drop entries older than the retention (approximately: `~`). */
export function trimArgs(recoveryWindowMs: number, now = Date.now()): ['MINID', '~', string] {
  return ['MINID', '~', `${now - streamRetentionMs(recoveryWindowMs)}-0`];
}

export interface BroadcastData {
  /** `id` is set on packets that await an acknowledgement. */
  packet: { type: number; data: unknown[]; nsp: string; id?: number };
  opts: { rooms: string[]; except: string[]; flags: Record<string, boolean> };
}

/** The fields of a stream entry that sends `event` with `payload` to `rooms`. */
export function broadcastFields(
  event: string,
  payload: unknown,
  rooms: readonly string[],
  uid = EMITTER_UID,
): string[] {
  const data: BroadcastData = {
    packet: { type: EVENT_PACKET_TYPE, data: [event, payload], nsp: DEFAULT_NAMESPACE },
    opts: { rooms: [...rooms], except: [], flags: {} },
  };
  return ['uid', uid, 'nsp', DEFAULT_NAMESPACE, 'type', BROADCAST_TYPE, 'data', JSON.stringify(data)];
}

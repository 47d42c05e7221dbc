import { type BroadcastFlags, type ClusterMessage, MessageType } from 'socket.io-adapter';

/**
 * The one wire format of the broadcast stream. An entry's fields are a socket.io-adapter cluster message:
 * `uid` (the sender), `nsp`, `type` and, when there is one, JSON `data`. Every writer and reader (the
 * adapter, the emitter, tests and tools) goes through here.
 */

/** A stream entry as XREAD and XRANGE return it. */
export type StreamEntry = [id: string, fields: string[]];

/** What a broadcast carries: the Socket.IO packet and who it is for. */
export interface BroadcastData {
  /** `id` is set on packets that await an acknowledgement. */
  packet: { type: number; data: unknown[]; nsp: string; id?: number };
  opts: { rooms: string[]; except: string[]; flags: BroadcastFlags };
  /** Set on broadcasts that collect acknowledgements: they never enter the stream. */
  requestId?: string;
}

/** socket.io-parser's PacketType.EVENT. */
export const EVENT_PACKET_TYPE = 2;
/** The sender id of broadcasts that no Socket.IO server made, as @socket.io/redis-emitter calls them. */
export const EMITTER_UID = 'emitter';

/**
 * `originMs`, when given, is when what the entry tells of happened (ms since the epoch, the writer's clock),
 * so a reader can observe how long it took to reach its sockets. Readers that do not know it ignore it.
 */
export function encodeEntry(message: ClusterMessage, originMs?: number): string[] {
  const fields = ['uid', message.uid, 'nsp', message.nsp, 'type', String(message.type)];
  if ('data' in message && message.data !== undefined) fields.push('data', JSON.stringify(message.data));
  if (originMs !== undefined) fields.push('origin', String(Math.trunc(originMs)));
  return fields;
}

/** An entry's `originMs`, or undefined when it has none (or not a number). */
export function entryOrigin(flat: readonly string[]): number | undefined {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (flat[i] !== 'origin') continue;
    const origin = flat[i + 1] as string;
    return /^\d{1,15}$/.test(origin) ? Number(origin) : undefined;
  }
  return undefined;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Whom a message is for: rooms and the rooms excepted. */
export const isTargets = (opts: unknown): opts is { rooms: string[]; except: string[] } =>
  isObject(opts) && isStrings(opts.rooms) && isStrings(opts.except);

/** A broadcast's data as a reader may trust it: anyone with the Redis can write to the stream. */
export function isBroadcastData(data: unknown): data is BroadcastData {
  if (!isObject(data) || !isObject(data.packet) || !isTargets(data.opts)) return false;
  const { packet, opts } = data as { packet: Record<string, unknown>; opts: Record<string, unknown> };
  return (
    typeof packet.type === 'number' && Array.isArray(packet.data) && (opts.flags === undefined || isObject(opts.flags))
  );
}

/** Whether `data` is what a message of `type` that the stream may carry holds. */
function fits(type: MessageType, data: unknown): boolean {
  switch (type) {
    case MessageType.BROADCAST:
      return isBroadcastData(data) && data.requestId === undefined;
    case MessageType.SOCKETS_JOIN:
    case MessageType.SOCKETS_LEAVE:
      return isObject(data) && isTargets(data.opts) && isStrings(data.rooms);
    case MessageType.DISCONNECT_SOCKETS:
      return isObject(data) && isTargets(data.opts) && typeof data.close === 'boolean';
    default:
      // Requests and answers travel over pub/sub: one in the stream was not written by this format.
      return false;
  }
}

/** The message an entry holds, or null when it is not one this format can have written. */
export function decodeEntry(flat: readonly string[]): ClusterMessage | null {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  const { uid, nsp, type: rawType, data: rawData } = fields;
  const type = Number(rawType);
  if (uid === undefined || nsp === undefined || !Number.isInteger(type)) return null;
  let data: unknown;
  try {
    data = rawData === undefined ? undefined : JSON.parse(rawData);
  } catch {
    return null;
  }
  if (!fits(type, data)) return null;
  return { uid, nsp, type, data } as ClusterMessage;
}

/** A broadcast that awaits no acknowledgement: what the stream carries to deliver and to replay. */
export function isReplayable(message: ClusterMessage): message is ClusterMessage & { data: BroadcastData } {
  return message.type === MessageType.BROADCAST && (message.data as BroadcastData).requestId === undefined;
}

/**
 * Whether a message must keep its place among broadcasts (so it goes through the stream), rather than be a
 * request between servers or its answer, which make no sense later and go over pub/sub.
 */
export function isOrdered(message: ClusterMessage): boolean {
  return (
    isReplayable(message) ||
    message.type === MessageType.SOCKETS_JOIN ||
    message.type === MessageType.SOCKETS_LEAVE ||
    message.type === MessageType.DISCONNECT_SOCKETS
  );
}

/** Stream entry ids in order: `<ms>-<seq>`. */
export function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

export const isStreamId = (value: string) => /^\d+-\d+$/.test(value);

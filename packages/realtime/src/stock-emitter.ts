import { decode } from 'notepack.io';
import { type ClusterMessage, MessageType } from 'socket.io-adapter';
import type { Channels } from './channels.js';
import { type BroadcastData, EMITTER_UID, isBroadcastData, isTargets } from './codec.js';
import type { Logger } from './logger.js';

/** What a namespace's adapter does with what the stock emitter sends. */
export interface StockEmitterMember {
  /** A broadcast to deliver here now: it never was in the stream, so it has no offset. */
  deliverLive(broadcast: BroadcastData): void;
  /** One of its requests, as the cluster message that asks the same. */
  onMessage(message: ClusterMessage): void;
}

/** A request of @socket.io/redis-emitter (its RequestType numbers) as the cluster message that asks the same. */
function asClusterMessage(nsp: string, request: unknown): ClusterMessage | null {
  const { type, opts, rooms, close, data } = (request ?? {}) as Record<string, unknown>;
  const message = { uid: EMITTER_UID, nsp };
  if (type === 6 && Array.isArray(data))
    return { ...message, type: MessageType.SERVER_SIDE_EMIT, data: { packet: data } };
  if (!isTargets(opts)) return null;
  const targets = { rooms: opts.rooms, except: opts.except, flags: {} };
  if (type === 4) {
    return { ...message, type: MessageType.DISCONNECT_SOCKETS, data: { opts: targets, close: close === true } };
  }
  if (!Array.isArray(rooms)) return null;
  if (type === 2) return { ...message, type: MessageType.SOCKETS_JOIN, data: { opts: targets, rooms } };
  if (type === 3) return { ...message, type: MessageType.SOCKETS_LEAVE, data: { opts: targets, rooms } };
  return null;
}

/**
 * Takes what services using the stock `@socket.io/redis-emitter` publish under `key` (`socket.io` unless
 * they set another): its broadcasts (MessagePack `[uid, packet, opts]` on `<key>#<nsp>#` and
 * `<key>#<nsp>#<room>#`) and its requests (JSON on `<key>-request#<nsp>#`). They are pub/sub messages, not
 * stream entries: delivered live to the sockets connected now, never replayed to one that reconnects.
 */
export class StockEmitterBridge {
  readonly #members = new Map<string, StockEmitterMember>();

  constructor(
    private readonly channels: Channels,
    private readonly key: string,
    private readonly log: Logger,
  ) {}

  add(nsp: string, member: StockEmitterMember): void {
    if (this.#members.size === 0) {
      this.channels.psubscribe(this.#broadcasts, (channel, message) => this.#onBroadcast(channel, message));
    }
    this.#members.set(nsp, member);
    this.channels.subscribe(this.#requests(nsp), (message) => this.#onRequest(nsp, message));
  }

  remove(nsp: string): void {
    this.#members.delete(nsp);
    this.channels.unsubscribe(this.#requests(nsp));
    if (this.#members.size === 0) this.channels.punsubscribe(this.#broadcasts);
  }

  get #broadcasts(): string {
    return `${this.key}#*`;
  }

  #requests(nsp: string): string {
    return `${this.key}-request#${nsp}#`;
  }

  #onBroadcast(channel: string, message: Buffer): void {
    try {
      const [, packet, opts] = decode(message) as [unknown, BroadcastData['packet'], BroadcastData['opts']];
      const broadcast = { packet, opts: { ...opts, flags: opts?.flags ?? {} } };
      const member = typeof packet?.nsp === 'string' ? this.#members.get(packet.nsp) : undefined;
      if (member !== undefined && isBroadcastData(broadcast)) member.deliverLive(broadcast);
    } catch (err) {
      this.log.debug({ err, channel }, 'undecodable message from a Socket.IO emitter');
    }
  }

  #onRequest(nsp: string, message: Buffer): void {
    try {
      const request = asClusterMessage(nsp, JSON.parse(message.toString()));
      if (request !== null) this.#members.get(nsp)?.onMessage(request);
    } catch (err) {
      this.log.debug({ err, nsp }, 'undecodable request from a Socket.IO emitter');
    }
  }
}

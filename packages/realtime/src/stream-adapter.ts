import {
  Adapter,
  type BroadcastOptions,
  ClusterAdapter,
  type ClusterMessage,
  type ClusterResponse,
  MessageType,
  type PrivateSessionId,
  type Room,
  type Session,
} from 'socket.io-adapter';
import type { Shared } from './adapter.js';
import { type BroadcastData, EVENT_PACKET_TYPE, encodeEntry, isOrdered, isStreamId } from './codec.js';
import { type AdapterInternals, type Broadcast, FanOut, type FanOutSocket } from './fan-out.js';
import { assertInternals } from './internals.js';
import { RecoveringSockets } from './recovering.js';
import { isWhole, missedSince } from './replay.js';
import { streamRetentionMs, trimArgs } from './retention.js';
import { type SessionRecord, type SessionSocket, SessionStore } from './session-store.js';

type Namespace = {
  name: string;
  sockets: Map<string, SessionSocket & { disconnect(close: boolean): void }>;
  _preConnectSockets: Map<string, SessionSocket>;
  server: { opts: { connectionStateRecovery?: unknown } };
  on(event: 'connection', listener: (socket: FanOutSocket & { id: string; rooms: Set<string> }) => void): void;
};

const optionsOf = ({ rooms, except, flags }: BroadcastData['opts']): BroadcastOptions => ({
  rooms: new Set(rooms),
  except: new Set(except),
  flags: flags ?? {},
});

const encode = ({ rooms, except, flags }: BroadcastOptions): BroadcastData['opts'] => ({
  rooms: [...rooms],
  except: [...(except ?? [])],
  flags: flags ?? {},
});

type Unpublished = Parameters<ClusterAdapter['publishAndReturnOffset']>[0];

/** The adapter of one namespace (see `streamAdapter` in adapter.ts), with what the server's namespaces share. */
export class StreamAdapter extends ClusterAdapter {
  readonly #shared: Shared;
  readonly #sessions: SessionStore;
  readonly #fanOut: FanOut;
  readonly #requests: string;
  readonly #responses: string;
  /** Whether packets carry their offset: only with connection state recovery, as Socket.IO's adapters do. */
  readonly #offsets: boolean;
  readonly #recovering = new RecoveringSockets();

  constructor(nsp: unknown, shared: Shared) {
    assertInternals(nsp);
    super(nsp);
    this.#shared = shared;
    const { options, keys } = shared;
    const namespace = nsp as Namespace;
    this.#offsets = Boolean(namespace.server.opts.connectionStateRecovery);
    this.#sessions = new SessionStore({
      redis: options.redis,
      owner: this.uid,
      keys,
      recoveryWindowMs: options.recoveryWindowMs,
      formerSessionMs: options.formerSessionMs ?? 0,
      log: options.log,
      socketOf: (sid) => namespace.sockets.get(sid) ?? namespace._preConnectSockets.get(sid),
    });
    this.#fanOut = new FanOut(
      {
        _encode: (packet, opts) => (this as unknown as AdapterInternals)._encode(packet, opts),
        apply: (opts, each) => this.#recipients(opts, each),
      },
      options.holdBack,
      options.onDeliver,
    );
    this.#requests = keys.requests(namespace.name);
    this.#responses = keys.responses(namespace.name, this.uid);
    shared.channels.subscribe(this.#requests, (message) => this.#onPublished(message, false));
    shared.channels.subscribe(this.#responses, (message) => this.#onPublished(message, true));
    shared.reader.add(namespace.name, {
      deliver: (run) => this.#deliver(run.map(({ data, id, originMs }) => this.#prepare(data, id, originMs))),
      onEntry: (message, id) => this.#onEntry(message, id),
    });
    // After the connection's own listeners (which may leave rooms its token no longer allows), before
    // anything they started can write to it.
    namespace.on('connection', (socket) => {
      if (this.#recovering.isHeld(socket.id)) queueMicrotask(() => this.#release(socket));
    });
    shared.bridge?.add(namespace.name, {
      deliverLive: (broadcast) => this.#deliver([this.#prepare(broadcast)]),
      onMessage: (message) => this.onMessage(message),
    });
  }

  /**
   * Joins, leaves and disconnections from the stream apply here when read, this server's own too, so they
   * keep their place among the broadcasts on every server; anything else goes to the cluster adapter.
   */
  #onEntry(message: ClusterMessage, id: string): void {
    const { type, data } = message as unknown as {
      type: MessageType;
      data: { opts: BroadcastData['opts']; rooms: string[]; close: boolean };
    };
    if (type === MessageType.SOCKETS_JOIN) Adapter.prototype.addSockets.call(this, optionsOf(data.opts), data.rooms);
    else if (type === MessageType.SOCKETS_LEAVE)
      Adapter.prototype.delSockets.call(this, optionsOf(data.opts), data.rooms);
    else if (type === MessageType.DISCONNECT_SOCKETS) {
      Adapter.prototype.disconnectSockets.call(this, optionsOf(data.opts), data.close);
    } else this.onMessage(message, id);
  }

  #deliver(broadcasts: Broadcast[]): void {
    this.#recovering.offer(broadcasts);
    this.#fanOut.deliver(broadcasts);
  }

  /** A recovered socket is connected: what was kept for it, then live delivery. */
  #release(socket: FanOutSocket & { id: string; rooms: Set<string> }): void {
    this.#fanOut.writeTo(socket, this.#recovering.release(socket.id, socket.rooms));
  }

  /** The connected sockets `opts` select, as the adapter's `apply` finds them, less those still held. */
  #recipients(opts: BroadcastOptions, each: (socket: FanOutSocket) => void): void {
    const apply = (Adapter.prototype as unknown as AdapterInternals).apply;
    apply.call(this, opts, (socket) => {
      if (!this.#recovering.isHeld((socket as unknown as { id: string }).id)) each(socket);
    });
  }

  #onPublished(raw: Buffer, response: boolean): void {
    try {
      const message = JSON.parse(raw.toString()) as ClusterMessage & ClusterResponse;
      if (response) this.onResponse(message);
      else this.onMessage(message);
    } catch (err) {
      this.#shared.options.log.debug({ err }, 'undecodable cluster message');
    }
  }

  /**
   * A broadcast as this server delivers it. An event awaiting no acknowledgement carries an offset as its
   * last argument: its entry's id, or, for one that never was in the stream, the last entry delivered here
   * (everything up to which it follows, for each of its sockets). So no event's own last argument, when a
   * string, is taken for an offset by the client.
   */
  #prepare({ packet, opts }: BroadcastData, id?: string, originMs?: number): Broadcast {
    const offset = packet.type === EVENT_PACKET_TYPE && packet.id === undefined && this.#offsets;
    const data = offset ? [...packet.data, id ?? this.#shared.reader.delivered] : packet.data;
    return { packet: { type: packet.type, data, nsp: this.nsp.name }, options: optionsOf(opts), originMs };
  }

  /**
   * Publishes only: this server delivers its own broadcasts when it reads them back, like everyone else's,
   * so every server delivers in stream order and a recovering socket's replay can end exactly where live
   * delivery begins. If Redis cannot take it, it is delivered here at once, without an offset.
   */
  override async broadcast(packet: BroadcastData['packet'], opts: BroadcastOptions): Promise<void> {
    if (opts.flags?.local) return Adapter.prototype.broadcast.call(this, packet, opts);
    try {
      await this.publishAndReturnOffset({ type: MessageType.BROADCAST, data: { packet, opts: encode(opts) } });
    } catch (err) {
      this.#shared.options.log.warn({ err }, 'broadcast not written to the stream: delivered on this server only');
      Adapter.prototype.broadcast.call(this, packet, opts);
    }
  }

  override async addSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    await this.#publishOrApply(opts, { type: MessageType.SOCKETS_JOIN, data: { opts: encode(opts), rooms } }, () =>
      Adapter.prototype.addSockets.call(this, opts, rooms),
    );
  }

  override async delSockets(opts: BroadcastOptions, rooms: Room[]): Promise<void> {
    await this.#publishOrApply(opts, { type: MessageType.SOCKETS_LEAVE, data: { opts: encode(opts), rooms } }, () =>
      Adapter.prototype.delSockets.call(this, opts, rooms),
    );
  }

  override async disconnectSockets(opts: BroadcastOptions, close: boolean): Promise<void> {
    await this.#publishOrApply(
      opts,
      { type: MessageType.DISCONNECT_SOCKETS, data: { opts: encode(opts), close } },
      () => Adapter.prototype.disconnectSockets.call(this, opts, close),
    );
  }

  /** Like broadcasts, published only and applied when read back; here at once when local or unpublishable. */
  async #publishOrApply(opts: BroadcastOptions, message: Unpublished, apply: () => void): Promise<void> {
    if (opts.flags?.local) return apply();
    try {
      await this.publishAndReturnOffset(message);
    } catch (err) {
      this.#shared.options.log.warn({ err }, 'not written to the stream: applied on this server only');
      apply();
    }
  }

  protected override async doPublish(message: ClusterMessage): Promise<string> {
    const { redis, recoveryWindowMs } = this.#shared.options;
    if (!isOrdered(message)) {
      await redis.publish(this.#requests, JSON.stringify(message));
      return '';
    }
    const id = await redis.xadd(this.#shared.keys.stream, ...trimArgs(recoveryWindowMs), '*', ...encodeEntry(message));
    return id ?? '';
  }

  protected override async doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
    const channel = this.#shared.keys.responses(this.nsp.name, requesterUid);
    await this.#shared.options.redis.publish(channel, JSON.stringify(response));
  }

  /** The servers that have this namespace: the subscribers of its request channel. */
  override async serverCount(): Promise<number> {
    const [, count] = (await this.#shared.options.redis.pubsub('NUMSUB', this.#requests)) as [string, number];
    return Math.max(1, Number(count));
  }

  override addAll(id: string, rooms: Set<string>): void {
    super.addAll(id, rooms);
    this.#sessions.changed(id);
  }

  override del(id: string, room: string): void {
    super.del(id, room);
    this.#sessions.changed(id);
  }

  override delAll(id: string): void {
    super.delAll(id);
    this.#recovering.forget(id);
    this.#sessions.left(id);
  }

  override persistSession(session: SessionRecord): void {
    this.#sessions.persist(session);
  }

  override async restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    if (!isStreamId(offset)) throw new Error('invalid offset');
    await this.#shared.reader.ready;
    const { options, keys, reader } = this.#shared;
    if (!(await isWhole(options.redis, keys.stream, offset, streamRetentionMs(options.recoveryWindowMs)))) {
      throw new Error('the stream lost entries since the offset');
    }
    const session = await this.#sessions.take(pid);
    if (session === null) throw new Error('no session');
    // The client's previous connection may still be open here, half-open and not timed out yet: its socket
    // has the id the recovered one takes, and its close would take the recovered one's rooms along.
    (this.nsp as unknown as Namespace).sockets.get(session.sid)?.disconnect(true);
    const missed = await missedSince(options.redis, keys.stream, this.nsp.name, session.rooms, offset, reader);
    // Socket.IO would write these at once, before the socket's middlewares have checked its token.
    this.#recovering.hold(
      session.sid,
      session.rooms,
      missed.map(({ id, data }) => this.#prepare(data, id)),
    );
    return { ...session, missedPackets: [] };
  }

  /**
   * The rooms and data of session `pid` when it can no longer be recovered, once, for the client that had
   * it (its handshake still names it: `socket.handshake.auth.pid`); null when not kept (`formerSessionMs`).
   * What to take back from it is the caller's to decide: it is what a client claims.
   */
  formerSession(pid: string): Promise<SessionRecord | null> {
    return this.#sessions.takeFormer(pid);
  }

  override close(): void {
    const { reader, bridge, channels } = this.#shared;
    reader.remove(this.nsp.name);
    bridge?.remove(this.nsp.name);
    channels.unsubscribe(this.#requests, this.#responses);
    this.#sessions.close();
    super.close();
  }
}

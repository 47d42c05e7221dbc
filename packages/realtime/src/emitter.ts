import type { Redis, Result } from 'ioredis';
import { type ClusterMessage, MessageType } from 'socket.io-adapter';
import { EMITTER_UID, EVENT_PACKET_TYPE, encodeEntry } from './codec.js';
import { type RealtimeKeys, realtimeKeys } from './keys.js';
import { DEFAULT_RECOVERY_WINDOW_MS, trimArgs } from './retention.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    realtimePublishOnce(
      marker: string,
      stream: string,
      markerMs: number,
      count: number,
      ...entries: (string | number)[]
    ): Result<number, Context>;
  }
}

/** An event map as Socket.IO's typings take it: event name → listener. */
// biome-ignore lint/suspicious/noExplicitAny: the shape Socket.IO's own EventsMap has, so its maps fit.
export type EventsMap = { [event: string]: any };
export type EventNames<Events extends EventsMap> = keyof Events & string;
export type EventParams<Events extends EventsMap, E extends EventNames<Events>> = Parameters<Events[E]>;

// Socket.IO gives these names to its own events: a client would take a broadcast of one for them.
const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

export interface EmitterOptions {
  /** The prefix the servers' adapter was given. */
  prefix: string;
  /** The servers' recovery window: the stream keeps entries that long and a minute more. */
  recoveryWindowMs?: number;
}

type Flags = { volatile?: boolean; compress?: boolean };

export interface PublishOptions {
  /**
   * When what the group tells of happened (ms since the epoch), carried with its entries: the servers'
   * `onDeliver` sees it on each broadcast, to measure the time from that moment to the sockets.
   */
  originMs?: number;
}

/**
 * Who a packet is for, and what is done with it (`send`): published now, or added to a group. Each method
 * returns a new operator, as Socket.IO's own do, so a shared one is never changed underfoot.
 */
export class BroadcastOperator<Events extends EventsMap, Room extends string, R> {
  constructor(
    private readonly send: (message: ClusterMessage) => R,
    private readonly nsp: string,
    private readonly rooms: ReadonlySet<Room> = new Set(),
    private readonly exceptRooms: ReadonlySet<Room> = new Set(),
    private readonly flags: Flags = {},
  ) {}

  to(room: Room | readonly Room[]): BroadcastOperator<Events, Room, R> {
    const rooms = new Set([...this.rooms, ...(typeof room === 'string' ? [room] : room)]);
    return new BroadcastOperator(this.send, this.nsp, rooms, this.exceptRooms, this.flags);
  }

  in(room: Room | readonly Room[]): BroadcastOperator<Events, Room, R> {
    return this.to(room);
  }

  except(room: Room | readonly Room[]): BroadcastOperator<Events, Room, R> {
    const except = new Set([...this.exceptRooms, ...(typeof room === 'string' ? [room] : room)]);
    return new BroadcastOperator(this.send, this.nsp, this.rooms, except, this.flags);
  }

  /** Not replayed to a socket that reconnects, and dropped for one that cannot take it now. */
  get volatile(): BroadcastOperator<Events, Room, R> {
    return new BroadcastOperator(this.send, this.nsp, this.rooms, this.exceptRooms, { ...this.flags, volatile: true });
  }

  compress(compress: boolean): BroadcastOperator<Events, Room, R> {
    return new BroadcastOperator(this.send, this.nsp, this.rooms, this.exceptRooms, { ...this.flags, compress });
  }

  emit<E extends EventNames<Events>>(event: E, ...args: EventParams<Events, E>): R {
    if (RESERVED_EVENTS.has(event)) throw new Error(`"${event}" is a reserved event name`);
    return this.send({
      uid: EMITTER_UID,
      nsp: this.nsp,
      type: MessageType.BROADCAST,
      data: { packet: { type: EVENT_PACKET_TYPE, data: [event, ...args], nsp: this.nsp }, opts: this.#opts() },
    } as ClusterMessage);
  }

  /** The sockets selected join `rooms`, on every server. */
  socketsJoin(rooms: Room | readonly Room[]): R {
    const data = { opts: this.#opts(), rooms: typeof rooms === 'string' ? [rooms] : [...rooms] };
    return this.send({ uid: EMITTER_UID, nsp: this.nsp, type: MessageType.SOCKETS_JOIN, data } as ClusterMessage);
  }

  /** The sockets selected leave `rooms`, on every server. */
  socketsLeave(rooms: Room | readonly Room[]): R {
    const data = { opts: this.#opts(), rooms: typeof rooms === 'string' ? [rooms] : [...rooms] };
    return this.send({ uid: EMITTER_UID, nsp: this.nsp, type: MessageType.SOCKETS_LEAVE, data } as ClusterMessage);
  }

  /** The sockets selected are disconnected; with `close`, their whole connection is closed. */
  disconnectSockets(close = false): R {
    const data = { opts: this.#opts(), close };
    return this.send({ uid: EMITTER_UID, nsp: this.nsp, type: MessageType.DISCONNECT_SOCKETS, data } as ClusterMessage);
  }

  #opts() {
    return { rooms: [...this.rooms], except: [...this.exceptRooms], flags: this.flags };
  }
}

// Adds the entries only if the marker was not there, and sets it, in one step: a group published once is
// never published again, whoever retries it (a job whose earlier attempt died after publishing).
const PUBLISH_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local i = 3
for _ = 1, tonumber(ARGV[2]) do
  local count = tonumber(ARGV[i])
  redis.call('XADD', KEYS[2], unpack(ARGV, i + 1, i + count))
  i = i + count + 1
end
return 1`;

/** How long a group's marker lasts: well past any retry of a job whose worker died (lock + backoff). */
const MARKER_MS = 10 * 60 * 1000;

/**
 * Emits to the sockets of every server on the stream adapter, from any process: what it emits is an entry
 * in the broadcast stream, so a socket that reconnects gets it replayed like any server's broadcast. The
 * API is `@socket.io/redis-emitter`'s, typed by the event map (an event cannot go out with another's
 * payload) and the room names; `emit` resolves with the entry's id once Redis has it, and rejects when
 * Redis cannot take it.
 */
export class Emitter<Events extends EventsMap, Room extends string = string> {
  readonly #redis: Redis;
  readonly #options: Required<EmitterOptions>;
  readonly #keys: RealtimeKeys;
  readonly #nsp: string;

  constructor(redis: Redis, options: EmitterOptions, nsp = '/') {
    this.#redis = redis;
    this.#options = { ...options, recoveryWindowMs: options.recoveryWindowMs ?? DEFAULT_RECOVERY_WINDOW_MS };
    this.#keys = realtimeKeys(options.prefix);
    this.#nsp = nsp;
    // Sent by hash (EVALSHA), not as source with every group; loaded again when Redis lacks it.
    if (typeof (redis as { realtimePublishOnce?: unknown }).realtimePublishOnce !== 'function') {
      redis.defineCommand('realtimePublishOnce', { numberOfKeys: 2, lua: PUBLISH_ONCE });
    }
  }

  of(nsp: string): Emitter<Events, Room> {
    return new Emitter(this.#redis, this.#options, nsp.startsWith('/') ? nsp : `/${nsp}`);
  }

  to(room: Room | readonly Room[]) {
    return this.#all().to(room);
  }

  in(room: Room | readonly Room[]) {
    return this.#all().in(room);
  }

  except(room: Room | readonly Room[]) {
    return this.#all().except(room);
  }

  get volatile() {
    return this.#all().volatile;
  }

  compress(compress: boolean) {
    return this.#all().compress(compress);
  }

  emit<E extends EventNames<Events>>(event: E, ...args: EventParams<Events, E>): Promise<string> {
    return this.#all().emit(event, ...args);
  }

  socketsJoin(rooms: Room | readonly Room[]): Promise<string> {
    return this.#all().socketsJoin(rooms);
  }

  socketsLeave(rooms: Room | readonly Room[]): Promise<string> {
    return this.#all().socketsLeave(rooms);
  }

  disconnectSockets(close = false): Promise<string> {
    return this.#all().disconnectSockets(close);
  }

  /**
   * Publishes what `build` emits on the group as one step, unless a group under `id` was published before
   * (within ten minutes): a job that retries after its broadcast landed does not broadcast twice. Resolves
   * true when published now.
   */
  async publishOnce(
    id: string,
    build: (group: BroadcastOperator<Events, Room, void>) => void,
    options: PublishOptions = {},
  ): Promise<boolean> {
    const entries: string[][] = [];
    build(new BroadcastOperator((message) => void entries.push(this.#entry(message, options.originMs)), this.#nsp));
    if (entries.length === 0) return false;
    const published = await this.#redis.realtimePublishOnce(
      this.#keys.published(id),
      this.#keys.stream,
      MARKER_MS,
      entries.length,
      ...entries.flatMap((entry) => [entry.length, ...entry]),
    );
    return published === 1;
  }

  #all(): BroadcastOperator<Events, Room, Promise<string>> {
    return new BroadcastOperator(async (message) => {
      const id = await this.#redis.xadd(this.#keys.stream, ...this.#entry(message));
      return id ?? '';
    }, this.#nsp);
  }

  #entry(message: ClusterMessage, originMs?: number): string[] {
    return [...trimArgs(this.#options.recoveryWindowMs), '*', ...encodeEntry(message, originMs)];
  }
}

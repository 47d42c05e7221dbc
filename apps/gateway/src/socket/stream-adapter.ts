import {
  BROADCAST_TYPE,
  type BroadcastData,
  DASHBOARD_ROOM,
  DEFAULT_NAMESPACE,
  EVENT_PACKET_TYPE,
  redisKeys,
  ServerEvent,
  trimArgs,
} from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { Redis } from 'ioredis';
import {
  Adapter,
  type BroadcastOptions,
  ClusterAdapterWithHeartbeat,
  type ClusterMessage,
  type ClusterResponse,
  MessageType,
  type PrivateSessionId,
  type Session,
} from 'socket.io-adapter';
import { type AdapterInternals, type Broadcast, FanOut } from './fan-out.js';
import { type SessionRecord, type SessionSocket, SessionStore } from './session-store.js';

export interface StreamAdapterOptions {
  /** Commands: XADD, XRANGE, SET, PUBLISH. */
  redis: Redis;
  /** Blocks on XREAD: a connection of its own. */
  reader: Redis;
  /** Pub/sub for what is not replayed; a connection of its own. */
  subscriber: Redis;
  keyPrefix: string;
  recoveryWindowMs: number;
  /** How long `dashboard_stats` to the dashboard room may wait to share a socket's next write. */
  dashboardStatsHoldMs: number;
  log: Log;
}

const READ_COUNT = 500;
const READ_BLOCK_MS = 5000;
const REPLAY_PAGE = 1000;

/** A broadcast awaiting no acknowledgement: what the stream carries to deliver and to replay. */
const isPlainBroadcast = (message: ClusterMessage) =>
  message.type === MessageType.BROADCAST && (message.data as { requestId?: string }).requestId === undefined;

// Requests between gateways and their answers make no sense later: they go over pub/sub, not the stream.
const isEphemeral = (message: ClusterMessage) =>
  (message.type === MessageType.BROADCAST && (message.data as { requestId?: string }).requestId !== undefined) ||
  message.type === MessageType.SERVER_SIDE_EMIT ||
  message.type === MessageType.FETCH_SOCKETS;

const fieldsOf = (flat: string[]) => {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  return fields;
};

function decode(fields: Record<string, string>): ClusterMessage | null {
  if (fields.nsp !== DEFAULT_NAMESPACE || fields.uid === undefined || fields.type === undefined) return null;
  try {
    const data = fields.data === undefined ? undefined : JSON.parse(fields.data);
    return { uid: fields.uid, nsp: fields.nsp, type: Number(fields.type), data } as ClusterMessage;
  } catch {
    return null;
  }
}

/** Stream entry ids in order: `<ms>-<seq>`. */
function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/**
 * Counts for every dashboard, replaced by the next ones within a second: they can wait a moment for a
 * socket's next packet and go out in the same write. (Not the stats a socket asked for: those go to its
 * own room.)
 */
const isDashboardStats = ({ packet, options }: Broadcast) =>
  packet.data[0] === ServerEvent.DashboardStats && options.rooms.size === 1 && options.rooms.has(DASHBOARD_ROOM);

const reaches = (rooms: readonly string[], opts: BroadcastData['opts']) =>
  (opts.rooms.length === 0 || rooms.some((room) => opts.rooms.includes(room))) &&
  !rooms.some((room) => opts.except.includes(room));

/**
 * A Socket.IO adapter on one Redis stream. Every broadcast (from any gateway, this one included, or from
 * the worker) is an entry that each gateway reads and delivers locally, in stream order; its id is the
 * offset clients keep, so a client that reconnects to any node, even after the node it was on was killed,
 * gets back its rooms and exactly the packets it missed (its session comes from session-store.ts).
 */
export function streamAdapter(options: StreamAdapterOptions) {
  // Socket.IO calls this with `new`, which an arrow function refuses.
  return function adapterOf(nsp: unknown) {
    return new StreamAdapter(nsp, options);
  };
}

class StreamAdapter extends ClusterAdapterWithHeartbeat {
  readonly #opts: StreamAdapterOptions;
  readonly #keys: ReturnType<typeof redisKeys>;
  readonly #sessions: SessionStore;
  /**
   * The last stream entry delivered here: everything up to it has been given to the fan-out, with its
   * recipients fixed then, so a socket joining now must have those entries replayed, and will receive the
   * later ones live.
   */
  #delivered = '0-0';
  #closed = false;
  readonly #fanOut: FanOut;

  constructor(nsp: unknown, options: StreamAdapterOptions) {
    super(nsp, { heartbeatInterval: 5000, heartbeatTimeout: 10_000 });
    this.#opts = options;
    this.#keys = redisKeys(options.keyPrefix);
    const sockets = nsp as { sockets: Map<string, SessionSocket>; _preConnectSockets: Map<string, SessionSocket> };
    this.#sessions = new SessionStore({
      redis: options.redis,
      keys: this.#keys,
      recoveryWindowMs: options.recoveryWindowMs,
      log: options.log,
      socketOf: (sid) => sockets.sockets.get(sid) ?? sockets._preConnectSockets.get(sid),
    });
    this.#fanOut = new FanOut(this as unknown as AdapterInternals, (broadcast) =>
      isDashboardStats(broadcast) ? options.dashboardStatsHoldMs : 0,
    );
    const channels = [this.#keys.clusterChannel(), this.#keys.clusterChannel(this.uid)];
    void options.subscriber.subscribe(...channels).catch((err: Error) => options.log.warn({ err }, 'subscribe failed'));
    options.subscriber.on('message', (channel: string, payload: string) => {
      if (!channels.includes(channel)) return;
      try {
        const message = JSON.parse(payload) as ClusterMessage & ClusterResponse;
        if ((message as { uid?: string }).uid === this.uid) return;
        if (channel === channels[1]) this.onResponse(message);
        else this.onMessage(message);
      } catch {
        options.log.debug('undecodable cluster message');
      }
    });
    void this.#read();
  }

  async #read(): Promise<void> {
    let offset = '$';
    while (!this.#closed) {
      try {
        const reply = (await this.#opts.reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          this.#keys.broadcastStream,
          offset,
        )) as [string, [string, string[]][]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        const last = (entries[entries.length - 1] as [string, string[]])[0];
        // Moved past before handling: a batch that failed would otherwise be read again, and its entries
        // before the failure would reach their sockets again, for as long as it kept failing.
        offset = last;
        this.#handle(entries);
        this.#delivered = last;
      } catch (err) {
        if (this.#closed) return;
        this.#opts.log.debug({ err }, 'stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /**
   * Publishes only: this node delivers its own broadcasts when it reads them back, like everyone else's,
   * so every node delivers in stream order and a recovering socket's replay can end exactly where live
   * delivery begins. If Redis cannot take it, it is delivered here at once, without an offset.
   */
  override async broadcast(packet: { data: unknown[] }, opts: BroadcastOptions): Promise<void> {
    if (opts.flags?.local) return Adapter.prototype.broadcast.call(this, packet, opts);
    try {
      await this.publishAndReturnOffset({
        type: MessageType.BROADCAST,
        data: { packet, opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags ?? {} } },
      });
    } catch (err) {
      this.#opts.log.warn({ err }, 'broadcast not written to the stream: delivered on this node only');
      Adapter.prototype.broadcast.call(this, packet, opts);
    }
  }

  /**
   * Delivers broadcasts in runs (see fan-out.ts) and hands anything else to the cluster adapter; a message
   * that is not a broadcast ends the run, so everything happens in stream order.
   */
  #handle(entries: [string, string[]][]): void {
    let run: Broadcast[] = [];
    for (const [id, flat] of entries) {
      const message = decode(fieldsOf(flat));
      if (message !== null && isPlainBroadcast(message)) run.push(this.#prepare(message, id));
      else if (message !== null && message.uid !== this.uid) {
        this.#deliver(run);
        run = [];
        this.onMessage(message, id);
      }
    }
    this.#deliver(run);
  }

  /** A broadcast entry (anyone's, this node's own included) as this node delivers it. */
  #prepare(message: ClusterMessage, id: string): Broadcast {
    const { packet, opts } = (message as unknown as { data: BroadcastData }).data;
    // The offset rides as the last argument of events that can be replayed (as the cluster adapter does).
    if (packet.type === EVENT_PACKET_TYPE && packet.id === undefined && !opts.flags.volatile) packet.data.push(id);
    return {
      packet: { ...packet, nsp: DEFAULT_NAMESPACE },
      options: { rooms: new Set(opts.rooms), except: new Set(opts.except), flags: opts.flags },
    };
  }

  /** Hands a run of broadcasts to the fan-out, which keeps each socket's packets in stream order. */
  #deliver(run: Broadcast[]): void {
    if (run.length > 0) this.#fanOut.deliver(run);
  }

  protected override async doPublish(message: ClusterMessage): Promise<string> {
    if (isEphemeral(message)) {
      await this.#opts.redis.publish(this.#keys.clusterChannel(), JSON.stringify(message));
      return '';
    }
    const fields = ['uid', message.uid, 'nsp', message.nsp, 'type', String(message.type)];
    if ('data' in message && message.data !== undefined) fields.push('data', JSON.stringify(message.data));
    const id = await this.#opts.redis.xadd(
      this.#keys.broadcastStream,
      ...trimArgs(this.#opts.recoveryWindowMs),
      '*',
      ...fields,
    );
    return id ?? '';
  }

  protected override async doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
    await this.#opts.redis.publish(this.#keys.clusterChannel(requesterUid), JSON.stringify(response));
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
    this.#sessions.left(id);
  }

  override persistSession(session: SessionRecord): void {
    this.#sessions.persist(session);
  }

  override async restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    if (!/^\d+-\d+$/.test(offset)) throw new Error('invalid offset');
    const session = await this.#sessions.take(pid);
    if (session === null) throw new Error('no session');
    const missed: { id: string; data: unknown[] }[] = [];
    // Exclusive start: the client has the entry at its offset. If that entry was trimmed, replay starts
    // at the oldest kept, which is still older than anything the client can have missed (see retention).
    let last = offset;
    for (;;) {
      const page = (await this.#opts.redis.xrange(
        this.#keys.broadcastStream,
        `(${last}`,
        '+',
        'COUNT',
        REPLAY_PAGE,
      )) as [string, string[]][];
      for (const [id, flat] of page) {
        last = id;
        const fields = fieldsOf(flat);
        if (fields.type !== BROADCAST_TYPE || fields.nsp !== DEFAULT_NAMESPACE || fields.data === undefined) continue;
        const { packet, opts, requestId } = JSON.parse(fields.data) as BroadcastData & { requestId?: string };
        if (requestId === undefined && reaches(session.rooms, opts)) missed.push({ id, data: [...packet.data, id] });
      }
      // Until the replay has caught up with what this node has delivered live, entries may have reached
      // the rooms before this socket is back in them.
      if (page.length < REPLAY_PAGE && compareIds(last, this.#delivered) >= 0) break;
    }
    // From here to the socket joining its rooms no I/O can run: entries after #delivered arrive live.
    const delivered = this.#delivered;
    const missedPackets = missed.filter(({ id }) => compareIds(id, delivered) <= 0).map(({ data }) => data);
    return { ...session, missedPackets };
  }

  override close(): void {
    this.#closed = true;
    this.#sessions.close();
    super.close();
  }
}

import type { BroadcastOptions } from 'socket.io-adapter';

/** A packet to the sockets that `options` select, as the adapter's `apply` reads them. */
export interface Broadcast {
  packet: { type: number; data: unknown[]; nsp: string };
  options: BroadcastOptions;
  /** When what it tells of happened, as its publisher said (ms since the epoch); undefined when it did not. */
  originMs?: number;
}

/** Told of each broadcast that has recipients on this server, as the fan-out takes it. */
export type DeliveryObserver = (broadcast: Broadcast, recipients: number) => void;

interface PacketOptions {
  preEncoded: true;
  volatile?: boolean;
  compress?: boolean;
  /** Set by the adapter's `_encode` when the whole WebSocket frame could be made once for every socket. */
  wsPreEncodedFrame?: Buffer[];
}
export type FanOutSocket = {
  client: {
    conn: { transport: { name: string } };
    writeToEngine: (packets: unknown[], options: PacketOptions) => void;
  };
};
/** Adapter members Socket.IO's typings call private; every adapter implementation relies on them. */
export interface AdapterInternals {
  _encode: (packet: Broadcast['packet'], options: PacketOptions) => unknown[];
  apply: (options: BroadcastOptions, callback: (socket: FanOutSocket) => void) => void;
}

interface Encoded {
  /** Tells merged runs apart. */
  seq: number;
  packets: unknown[];
  options: PacketOptions;
}

/**
 * How long (ms) a fan-out writes before letting the event loop go, so that nothing else (a webhook, a
 * smaller broadcast) waits long behind it. Each letting go also delays the rest of the broadcast: at
 * 10,000 clients × 16/s on 2 cores (rooms of 2,500), the p90 was 44–46 ms with 256-socket slices (2.5 ms),
 * 40–41 with these, and 37–38 with none, which left webhooks waiting behind whole fan-outs.
 */
const SLICE_MS = 16;

const mergeable = ({ options }: Encoded) => options.wsPreEncodedFrame !== undefined && !options.volatile;

interface Job {
  /** Sockets not yet written to; each socket is in one job only: the one that will reach it first. */
  sockets: Set<FanOutSocket>;
  /** `performance.now()` before which the job waits (0: none): for packets that can wait for company. */
  notBefore: number;
}

/**
 * Delivers broadcasts to this node's sockets. Each packet is encoded once for all its recipients, whose
 * set is fixed when it is read; the writing is done in slices, with the event loop let go between them.
 *
 * - Order: every socket gets its packets in stream order, all it is owed in one write, from whichever job
 *   reaches it first. Jobs need not run in order, so the smallest goes first: a chat-list update is not
 *   held behind `dashboard_stats` to every socket, whichever of the two was read first.
 * - Held back: a broadcast may wait a moment (`holdBack`) for the next packet to each of its sockets and
 *   go out in the same write; sockets that get none by then are written anyway.
 * - Fewer writes: a WebSocket that several packets reach at once gets them, still as separate frames, back
 *   to back in one write. A gateway's time under fan-out is mostly system calls, one per write, so a
 *   backlog is cleared in fewer, larger writes instead of growing.
 */
export class FanOut {
  readonly #adapter: AdapterInternals;
  readonly #holdBack: (broadcast: Broadcast) => number;
  readonly #observe: DeliveryObserver | undefined;
  readonly #sliceMs: number;
  readonly #jobs: Job[] = [];
  /** What each socket in a job is owed, in stream order. */
  readonly #owed = new Map<FanOutSocket, { job: Job; packets: Encoded[] }>();
  #seq = 0;
  #immediate = false;
  #timer: { at: number; timeout: NodeJS.Timeout } | undefined;

  /**
   * `holdBack` says how long (ms) a broadcast may wait for the next packet to each of its sockets;
   * `sliceMs`, how long a slice writes (0: one socket a slice).
   */
  constructor(
    adapter: AdapterInternals,
    holdBack: (broadcast: Broadcast) => number = () => 0,
    observe?: DeliveryObserver,
    sliceMs = SLICE_MS,
  ) {
    this.#adapter = adapter;
    this.#holdBack = holdBack;
    this.#observe = observe;
    this.#sliceMs = sliceMs;
  }

  /** Takes broadcasts in stream order, a job each, and writes what one slice allows at once. */
  deliver(broadcasts: readonly Broadcast[]): void {
    for (const broadcast of broadcasts) {
      const recipients: FanOutSocket[] = [];
      this.#adapter.apply(broadcast.options, (socket) => recipients.push(socket));
      // Every node reads every entry; most of those to one socket's own room have no recipient here.
      if (recipients.length === 0) continue;
      this.#observe?.(broadcast, recipients.length);
      const encoded = this.#encode(broadcast);
      const hold = this.#holdBack(broadcast);
      const job: Job = { sockets: new Set(), notBefore: hold > 0 ? performance.now() + hold : 0 };
      for (const socket of recipients) {
        const owed = this.#owed.get(socket);
        if (owed === undefined) {
          job.sockets.add(socket);
          this.#owed.set(socket, { job, packets: [encoded] });
          continue;
        }
        owed.packets.push(encoded);
        // A socket goes with the job that will reach it first, with all it is owed: a job that may go now
        // before one that waits, a smaller before a larger.
        if (job.notBefore === 0 && (owed.job.notBefore > 0 || owed.job.sockets.size > recipients.length)) {
          owed.job.sockets.delete(socket);
          job.sockets.add(socket);
          owed.job = job;
        }
      }
      if (job.sockets.size > 0) this.#jobs.push(job);
    }
    this.#slice();
  }

  /** Writes `broadcasts` to one socket that no job owes anything, now, in order, in one write where they merge. */
  writeTo(socket: FanOutSocket, broadcasts: readonly Broadcast[]): void {
    if (broadcasts.length > 0)
      this.#write(
        socket,
        broadcasts.map((broadcast) => this.#encode(broadcast)),
        new Map(),
      );
  }

  #encode({ packet, options }: Broadcast): Encoded {
    const packetOptions: PacketOptions = {
      preEncoded: true,
      volatile: options.flags?.volatile,
      compress: options.flags?.compress,
    };
    return { seq: this.#seq++, packets: this.#adapter._encode(packet, packetOptions), options: packetOptions };
  }

  /** Writes sockets' packets for a slice's time at most, smallest ready job first, and comes back for the rest. */
  #slice(): void {
    const merged = new Map<string, Encoded>();
    const now = performance.now();
    const deadline = now + this.#sliceMs;
    let job = this.#smallestReady(now);
    while (job !== undefined) {
      for (const socket of job.sockets) {
        job.sockets.delete(socket);
        const owed = this.#owed.get(socket);
        this.#owed.delete(socket);
        if (owed !== undefined) this.#write(socket, owed.packets, merged);
        if (performance.now() >= deadline) break;
      }
      job = performance.now() < deadline ? this.#smallestReady(now) : undefined;
    }
    for (let i = this.#jobs.length - 1; i >= 0; i--) if (this.#jobs[i]?.sockets.size === 0) this.#jobs.splice(i, 1);
    this.#schedule(now);
  }

  /** Again at once while a job is ready, else when the first waiting one is. */
  #schedule(now: number): void {
    const next = Math.min(...this.#jobs.map((job) => job.notBefore));
    if (next === Number.POSITIVE_INFINITY) return;
    if (next <= now) {
      if (this.#immediate) return;
      this.#immediate = true;
      setImmediate(() => {
        this.#immediate = false;
        this.#slice();
      });
      return;
    }
    if (this.#timer !== undefined && this.#timer.at <= next) return;
    clearTimeout(this.#timer?.timeout);
    this.#timer = {
      at: next,
      timeout: setTimeout(() => {
        this.#timer = undefined;
        this.#slice();
      }, next - now),
    };
  }

  #smallestReady(now: number): Job | undefined {
    let smallest: Job | undefined;
    for (const job of this.#jobs) {
      if (job.sockets.size === 0 || job.notBefore > now) continue;
      if (smallest === undefined || job.sockets.size < smallest.sockets.size) smallest = job;
    }
    return smallest;
  }

  /** Sockets in the same rooms are owed the same packets: one merged buffer serves all of them. */
  #write(socket: FanOutSocket, packets: Encoded[], merged: Map<string, Encoded>): void {
    if (packets.length === 1 || socket.client.conn.transport.name !== 'websocket' || !packets.every(mergeable)) {
      for (const part of packets) socket.client.writeToEngine(part.packets, part.options);
      return;
    }
    const key = packets.map(({ seq }) => seq).join();
    let run = merged.get(key);
    if (run === undefined) {
      run = merge(packets);
      merged.set(key, run);
    }
    socket.client.writeToEngine(run.packets, run.options);
  }
}

/**
 * Several packets as one for Engine.IO: their WebSocket frames back to back in one buffer, which the
 * transport writes as it is, so the socket gets them, still as separate frames, in one write. The packet's
 * own data is never read (the frame replaces it), so it is left empty.
 */
function merge(parts: readonly Encoded[]): Encoded {
  const frames = parts.flatMap(({ options }) => options.wsPreEncodedFrame ?? []);
  return { seq: -1, packets: [''], options: { preEncoded: true, wsPreEncodedFrame: [Buffer.concat(frames)] } };
}

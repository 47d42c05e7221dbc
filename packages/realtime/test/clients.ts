import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientToServer, Handshake, ServerToClient } from './events.js';

export type ClientSocket = Socket<ServerToClient, ClientToServer>;
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;
export type EventName = keyof ServerToClient & string;

/** An event as a client got it: the arguments it was emitted with, and the stream offset, if one followed. */
export interface Arrival {
  event: EventName;
  args: unknown[];
  offset: string | undefined;
}

const STREAM_ID = /^\d+-\d+$/;
export const WAIT_MS = 5000;

/** A socket.io-client socket that records every event it gets, in order, and can wait for one. */
export class TestClient {
  readonly socket: ClientSocket;
  readonly arrivals: Arrival[] = [];
  readonly #wakers = new Set<() => void>();
  #connectedOnce = false;

  constructor(url: string, handshake: Partial<Handshake>, options: ClientOptions = {}) {
    this.socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      // Reconnects at once: a test that cuts a connection waits for the reconnection, not for a backoff.
      reconnectionDelay: 10,
      reconnectionDelayMax: 50,
      randomizationFactor: 0,
      auth: handshake,
      ...options,
    });
    this.socket.onAny((event: EventName, ...args: unknown[]) => {
      // The payloads of events.ts end in a number: a last string shaped like an entry id is the offset.
      const last = args.at(-1);
      const offset = typeof last === 'string' && STREAM_ID.test(last) ? last : undefined;
      this.arrivals.push({ event, args: offset === undefined ? args : args.slice(0, -1), offset });
      for (const wake of this.#wakers) wake();
    });
  }

  /** The arrivals of `event`, in order. */
  of(event: EventName): Arrival[] {
    return this.arrivals.filter((arrival) => arrival.event === event);
  }

  /** The arguments of each arrival of `event`, offsets left out. */
  payloads(event: EventName): unknown[][] {
    return this.of(event).map(({ args }) => args);
  }

  /** Resolves once `done` holds for what has arrived (now or later); rejects after `timeoutMs`. */
  until(done: (client: TestClient) => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    if (done(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!done(this)) return;
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#wakers.delete(wake);
        reject(new Error(`${what}: not within ${timeoutMs} ms; got ${JSON.stringify(this.arrivals)}`));
      }, timeoutMs);
      this.#wakers.add(wake);
    });
  }

  /** Waits for `count` arrivals of `event` in all. */
  received(event: EventName, count: number, timeoutMs = WAIT_MS): Promise<void> {
    return this.until((client) => client.of(event).length >= count, `${count} × ${event}`, timeoutMs);
  }

  /** The next `connect`: the first one (rejecting if refused), or the one after a cut connection. */
  connection(timeoutMs = WAIT_MS): Promise<this> {
    const first = !this.#connectedOnce;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        this.#connectedOnce = true;
        resolve(this);
      });
      // Reconnecting, a refused attempt is retried: only the first connection takes a refusal as final.
      if (first) {
        this.socket.once('connect_error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      }
    });
  }

  /** What the client sends to be recovered: its session id and last offset (socket.io-client keeps them private). */
  get credentials(): { pid: string; offset: string } {
    const { _pid: pid, _lastOffset: offset } = this.socket as unknown as { _pid: string; _lastOffset: string };
    return { pid, offset };
  }

  /** The reason of the next `disconnect`. */
  disconnection(timeoutMs = WAIT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not disconnected within ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  /**
   * Closes the transport, as a network cut does, and resolves once the client has reconnected (through
   * its URL, which a relay may point to another server by then): the socket was recovered or not.
   */
  async cut(beforeReconnecting: () => unknown = () => {}): Promise<boolean> {
    const reconnected = this.connection();
    this.socket.io.engine.close();
    await beforeReconnecting();
    await reconnected;
    return this.socket.recovered;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/**
 * Sends a marker (`send` emits `marker` with the id it is given) and waits until every client has it.
 * What went into the stream before the marker reaches every socket before it, so once the marker is in,
 * "nothing else arrived" is a fact rather than a guess after a sleep.
 */
export async function settle(send: (id: number) => unknown, clients: readonly TestClient[]): Promise<void> {
  const id = Math.floor(Math.random() * 1e9);
  const arrivals = clients.map((client) =>
    client.until((c) => c.of('marker').some(({ args }) => args[0] === id), `marker ${id}`),
  );
  await send(id);
  await Promise.all(arrivals);
}

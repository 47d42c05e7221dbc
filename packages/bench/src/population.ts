import { CUSTOMER_TYPES, routeOf } from '@care-chat/contract';
import { signToken } from '@care-chat/testkit/tools';
import { nowMicros } from './clock.js';
import { LightClient } from './light-client.js';

export interface Latencies {
  endToEnd: number[];
  /** The message each `endToEnd` sample is of, at the same index. */
  messages: number[];
  fromStream: number[];
}

const noLatencies = (): Latencies => ({ endToEnd: [], messages: [], fromStream: [] });

/**
 * Dashboards spread over the gateways and the four type rooms, and what each received: for message m, the
 * clients of its type's room must each receive it once.
 */
export class Population {
  readonly clients: LightClient[] = [];
  /** Index into CUSTOMER_TYPES of each client's room, or -1 for idle clients in no room. */
  readonly typeOf: number[] = [];
  readonly perType = [0, 0, 0, 0];
  #seen: Uint8Array;
  #duplicates = 0;
  /** First receipts, all clients and messages together. */
  received = 0;
  /**
   * Latencies (ms) of receipts since the last `takeLatencies`: end to end, and from the packet's entry in
   * the broadcast stream (the fan-out's share; what comes before it is the webhook, queue and worker's).
   */
  #latencies: Latencies = noLatencies();

  /** `jwtSecret` signs each dashboard's token (HS256). */
  constructor(
    private readonly maxMessages: number,
    private readonly jwtSecret: string,
  ) {
    this.#seen = new Uint8Array(0);
  }

  takeLatencies(): Latencies {
    const taken = this.#latencies;
    this.#latencies = noLatencies();
    return taken;
  }

  /**
   * Connects clients `first` to `first + count - 1` (their numbers pick room and gateway), `parallel` at a
   * time; resolves with connections per second.
   */
  async connect(
    urls: readonly string[],
    count: number,
    { rooms = true, parallel = 200, first = this.typeOf.length } = {},
  ): Promise<number> {
    const start = performance.now();
    const connectOne = async (index: number) => {
      const type = rooms ? index % CUSTOMER_TYPES.length : -1;
      this.assign(index, type);
      const room = type === -1 ? null : routeOf(CUSTOMER_TYPES[type] ?? 'Partner').room;
      const client = new LightClient(
        urls[index % urls.length] ?? '',
        signToken({ sub: `bench_${index}` }, { key: this.jwtSecret }),
        room,
        (m, sent, streamMs) => this.record(index, m, sent, streamMs),
      );
      this.clients[index] = client;
      await client.connect();
    };
    for (let i = first; i < first + count; i += parallel) {
      await Promise.all(Array.from({ length: Math.min(parallel, first + count - i) }, (_, k) => connectOne(i + k)));
    }
    return count / ((performance.now() - start) / 1000);
  }

  /** Puts client `index` in the room of customer type `type` (an index into CUSTOMER_TYPES; -1: none). */
  assign(index: number, type: number): void {
    this.typeOf[index] = type;
    if (type >= 0) this.perType[type] = (this.perType[type] ?? 0) + 1;
    if (this.#seen.length < (index + 1) * this.maxMessages) {
      const grown = new Uint8Array(Math.max((index + 1) * this.maxMessages, this.#seen.length * 2));
      grown.set(this.#seen);
      this.#seen = grown;
    }
  }

  /**
   * Client `client` received message `message`, sent at `sentMicros` (µs since the epoch) if given, that
   * entered the broadcast stream at `streamMs` (ms since the epoch) if known.
   */
  record(client: number, message: number, sentMicros?: number, streamMs?: number): void {
    if (message >= this.maxMessages) return;
    const at = client * this.maxMessages + message;
    if (this.#seen[at] === 1) this.#duplicates++;
    else this.received++;
    this.#seen[at] = 1;
    const now = nowMicros();
    if (sentMicros !== undefined) {
      this.#latencies.endToEnd.push((now - sentMicros) / 1000);
      this.#latencies.messages.push(message);
    }
    if (streamMs !== undefined) this.#latencies.fromStream.push(now / 1000 - streamMs);
  }

  /** Deliveries owed for messages [from, to): each goes to every client of its type's room. */
  owed(from: number, to: number): number {
    let owed = 0;
    for (let m = from; m < to; m++) owed += this.perType[m % CUSTOMER_TYPES.length] ?? 0;
    return owed;
  }

  /** Deliveries owed for messages [from, to) that never arrived, and deliveries that arrived twice. */
  tally(from: number, to: number): { expected: number; delivered: number; lost: number; duplicated: number } {
    let expected = 0;
    let delivered = 0;
    for (let c = 0; c < this.typeOf.length; c++) {
      const type = this.typeOf[c] ?? -1;
      if (type < 0) continue;
      for (let m = from; m < to; m++) {
        if (m % CUSTOMER_TYPES.length !== type) continue;
        expected++;
        delivered += this.#seen[c * this.maxMessages + m] ?? 0;
      }
    }
    return { expected, delivered, lost: expected - delivered, duplicated: this.#duplicates };
  }

  close(): void {
    // A thread's share starts past the others': the slots before it are empty.
    for (const client of this.clients) client?.close();
  }
}

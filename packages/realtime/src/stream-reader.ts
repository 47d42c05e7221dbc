import type { Redis } from 'ioredis';
import type { ClusterMessage } from 'socket.io-adapter';
import { type BroadcastData, decodeEntry, entryOrigin, isReplayable, type StreamEntry } from './codec.js';
import type { Logger } from './logger.js';

const READ_COUNT = 500;
const READ_BLOCK_MS = 5000;
const RETRY_MS = 200;

const pause = () => new Promise((resolve) => setTimeout(resolve, RETRY_MS));

export interface ReadBroadcast {
  data: BroadcastData;
  id: string;
  originMs?: number;
}

/** What a namespace's adapter takes from the stream. */
export interface StreamMember {
  /** A run of broadcasts, in stream order, with their entry ids (and origins, when their writers gave one). */
  deliver(run: readonly ReadBroadcast[]): void;
  /** Anything else the stream carries (joins, leaves, disconnections), in its place among the runs. */
  onEntry(message: ClusterMessage, id: string): void;
}

/**
 * One read loop over the broadcast stream for every namespace of a server. Each entry goes to the adapter
 * of its namespace; a run of broadcasts is handed over at once, so the fan-out can merge its writes.
 */
export class StreamReader {
  readonly #members = new Map<string, StreamMember>();
  /**
   * The last entry handed to the members: everything up to it has reached the fan-out, with its recipients
   * fixed then, so a socket joining now must have those entries replayed and will receive later ones live.
   */
  #delivered = '0-0';
  #running = false;
  #positioned: () => void = () => {};
  /** Resolves once the loop knows where the stream ends: from there on, nothing added is missed. */
  readonly ready = new Promise<void>((resolve) => {
    this.#positioned = resolve;
  });

  constructor(
    private readonly reader: Redis,
    private readonly stream: string,
    private readonly log: Logger,
  ) {}

  get delivered(): string {
    return this.#delivered;
  }

  add(nsp: string, member: StreamMember): void {
    this.#members.set(nsp, member);
    if (!this.#running) void this.#read();
  }

  remove(nsp: string): void {
    this.#members.delete(nsp);
  }

  async #read(): Promise<void> {
    this.#running = true;
    let offset = await this.#end();
    while (this.#members.size > 0 && offset !== null) {
      try {
        const reply = (await this.reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          this.stream,
          offset,
        )) as [string, StreamEntry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        const last = entries.at(-1);
        if (last === undefined) continue;
        offset = last[0];
        this.#handle(entries);
        this.#delivered = last[0];
      } catch (err) {
        if (this.#members.size === 0) break;
        this.log.debug({ err }, 'stream read failed; retrying');
        await pause();
      }
    }
    this.#running = false;
  }

  /**
   * The id of the stream's last entry, which is then delivered as far as this server is concerned:
   * reading from it (not from `$`, which is wherever the stream ends when XREAD arrives) misses nothing
   * added meanwhile, and a socket recovering here before the first read is replayed up to it.
   */
  async #end(): Promise<string | null> {
    while (this.#members.size > 0) {
      try {
        const [last] = (await this.reader.xrevrange(this.stream, '+', '-', 'COUNT', 1)) as StreamEntry[];
        this.#delivered = last?.[0] ?? '0-0';
        this.#positioned();
        return this.#delivered;
      } catch (err) {
        this.log.debug({ err }, 'stream end not read; retrying');
        await pause();
      }
    }
    return null;
  }

  /** Hands over runs of broadcasts; any other message ends the run, so everything keeps stream order. */
  #handle(entries: readonly StreamEntry[]): void {
    let member: StreamMember | undefined;
    let run: ReadBroadcast[] = [];
    const flush = () => {
      const batch = run;
      run = [];
      if (batch.length > 0) member?.deliver(batch);
    };
    for (const [id, fields] of entries) {
      const message = decodeEntry(fields);
      const owner = message === null ? undefined : this.#members.get(message.nsp);
      if (message === null || owner === undefined) continue;
      if (owner !== member) this.#guarded(flush);
      member = owner;
      if (isReplayable(message)) run.push({ data: message.data, id, originMs: entryOrigin(fields) });
      else {
        this.#guarded(flush);
        this.#guarded(() => owner.onEntry(message, id));
      }
    }
    this.#guarded(flush);
  }

  /** One entry that cannot be handled costs only itself: the others of its batch still reach their sockets. */
  #guarded(handle: () => void): void {
    try {
      handle();
    } catch (err) {
      this.log.error({ err }, 'stream entry not delivered');
    }
  }
}

import type { Redis } from 'ioredis';
import { Channels } from './channels.js';
import type { Broadcast, DeliveryObserver } from './fan-out.js';
import { type RealtimeKeys, realtimeKeys } from './keys.js';
import { type Logger, silentLogger } from './logger.js';
import { StockEmitterBridge } from './stock-emitter.js';
import { StreamAdapter } from './stream-adapter.js';
import { StreamReader } from './stream-reader.js';

export interface StreamAdapterOptions {
  /** Commands: XADD, XRANGE, SET, PUBLISH. */
  redis: Redis;
  /** Blocks on XREAD: a connection of its own. */
  reader: Redis;
  /** Pub/sub: a connection of its own. */
  subscriber: Redis;
  /** Of every Redis key and channel the adapter uses; its emitters must share it. */
  prefix: string;
  /** How long a cut connection can come back with its rooms and missed packets. */
  recoveryWindowMs: number;
  /**
   * How long past the recovery window a session's rooms and data are kept for `formerSession`, so a client
   * that comes back later can be put back where it was (though not given what it missed). Default 0: not kept.
   */
  formerSessionMs?: number;
  /**
   * How long (ms) a broadcast may wait for the next packet to each of its sockets, to go out in the same
   * write: for packets that are replaced soon anyway. None waits unless this says so.
   */
  holdBack?: (broadcast: Broadcast) => number;
  /**
   * Told of every broadcast that has sockets on this server, when they are fixed (before any is written):
   * for metrics, such as the time since the broadcast's `originMs`. It must not throw nor take long.
   */
  onDeliver?: DeliveryObserver;
  /** The key of stock `@socket.io/redis-emitter`s whose packets to deliver too (`socket.io`); null: none. */
  stockEmitterKey?: string | null;
  log?: Logger;
}

/** What the adapters of one server share: one stream read loop, one subscriber, one stock-emitter bridge. */
export interface Shared {
  options: StreamAdapterOptions & { log: Logger };
  keys: RealtimeKeys;
  reader: StreamReader;
  channels: Channels;
  bridge: StockEmitterBridge | null;
}

/**
 * A Socket.IO adapter on one Redis stream. Every broadcast (from any server, this one included, or from an
 * emitter) is an entry that each server reads and delivers locally, in stream order; its id is the offset
 * clients keep, so a client that reconnects to any server, even after the one it was on was killed, gets
 * back its rooms and exactly the packets it missed (its session comes from session-store.ts). Requests
 * between servers and their answers go over pub/sub: nothing but what must keep its order is in the stream.
 *
 * Pass the returned function as the Server's `adapter`.
 */
export function streamAdapter(options: StreamAdapterOptions) {
  const log = options.log ?? silentLogger;
  const keys = realtimeKeys(options.prefix);
  const channels = new Channels(options.subscriber, log);
  const stockKey = options.stockEmitterKey === undefined ? 'socket.io' : options.stockEmitterKey;
  const shared: Shared = {
    options: { ...options, log },
    keys,
    reader: new StreamReader(options.reader, keys.stream, log),
    channels,
    bridge: stockKey === null ? null : new StockEmitterBridge(channels, stockKey, log),
  };
  // Socket.IO calls this with `new`, which an arrow function refuses.
  return function adapterOf(nsp: unknown) {
    return new StreamAdapter(nsp, shared);
  };
}

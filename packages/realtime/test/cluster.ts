import { Emitter, type RealtimeKeys, realtimeKeys } from '@care-chat/realtime';
import { TcpSwitch, uniquePrefix } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { type ClientOptions, settle, TestClient } from './clients.js';
import type { Handshake, InterServer, ServerToClient } from './events.js';
import {
  startServer,
  TEST_RECOVERY_WINDOW_MS,
  type TestIo,
  type TestServer,
  type TestServerOptions,
} from './fixtures/server.js';

export type ClusterOptions = Omit<TestServerOptions, 'redisUrl' | 'prefix' | 'port'> & {
  /** The run's Redis unless set. */
  redisUrl?: string;
};

/**
 * Socket.IO servers in this process on one Redis prefix of their own, as the official adapters' suites
 * set them up, with the clients and relays a test opens, all closed by `close`.
 */
export class Cluster {
  readonly keys: RealtimeKeys;
  /** The test's own connection: to read the stream, write to it, publish. */
  readonly redis: Redis;
  readonly emitter: Emitter<ServerToClient>;
  readonly #clients = new Set<TestClient>();
  readonly #relays = new Set<TcpSwitch>();

  constructor(
    readonly prefix: string,
    readonly servers: TestServer[],
    private readonly options: ClusterOptions = {},
  ) {
    this.keys = realtimeKeys(prefix);
    this.redis = new Redis(this.redisUrl);
    const recoveryWindowMs = options.recoveryWindowMs ?? TEST_RECOVERY_WINDOW_MS;
    this.emitter = new Emitter<ServerToClient>(this.redis, { prefix, recoveryWindowMs });
  }

  get redisUrl(): string {
    return this.options.redisUrl ?? inject('redisUrl');
  }

  /** Starts one more server, as a replacement node joins; resolves with its index. */
  async addServer(): Promise<number> {
    const server = await startServer({ ...this.options, redisUrl: this.redisUrl, prefix: this.prefix });
    return this.servers.push(server) - 1;
  }

  get ports(): number[] {
    return this.servers.map(({ port }) => port);
  }

  server(index: number): TestServer {
    const server = this.servers[index];
    if (server === undefined) throw new Error(`no server ${index}`);
    return server;
  }

  io(index: number): TestIo {
    return this.server(index).io;
  }

  /** A connected client of server `target`, or of the URL given (a relay's). */
  async connect(target: number | string, handshake: Partial<Handshake> = {}, options: ClientOptions = {}) {
    const url = typeof target === 'number' ? this.server(target).url : target;
    const client = new TestClient(url, handshake, options);
    this.#clients.add(client);
    return client.connection();
  }

  /** A client on each server in turn (named c0, c1, …), the `i`th in the rooms `rooms[i]`. */
  connectEach(...rooms: string[][]): Promise<TestClient[]> {
    return Promise.all(
      rooms.map((inRooms, i) => this.connect(i % this.servers.length, { name: `c${i}`, rooms: inRooms })),
    );
  }

  /**
   * `settle` with a marker broadcast by server `via`: after whatever that server broadcast before, since
   * its entries keep their order on its connection.
   */
  settle(clients: readonly TestClient[], via = 0): Promise<void> {
    return settle((id) => this.io(via).emit('marker', id), clients);
  }

  /** Listens to a server-side event on every server (`listenerOf` gets the server's index); returns how to stop. */
  onEveryServer<E extends keyof InterServer>(event: E, listenerOf: (server: number) => InterServer[E]): () => void {
    const stops = this.servers.map(({ io }, i) => {
      const listener = listenerOf(i);
      io.on(event, listener as never);
      return () => void io.off(event, listener as never);
    });
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** A TCP relay to server `index`, which a test points to another server before cutting a connection. */
  relay(index: number): Promise<TcpSwitch> {
    return this.relayTo(this.server(index).port);
  }

  /** A TCP relay to any port: a server of another process. */
  async relayTo(port: number): Promise<TcpSwitch> {
    const relay = await TcpSwitch.start(port);
    this.#relays.add(relay);
    return relay;
  }

  /**
   * Cuts `client`'s connection through `relay`, as a network failure does, runs `whileAway` while the
   * client cannot reconnect, then lets it reconnect, to server `to` (known only then, if it is a server
   * started while the client was away). Resolves with whether it was recovered.
   */
  async reconnectElsewhere(
    client: TestClient,
    relay: TcpSwitch,
    to: number | (() => number),
    whileAway: () => unknown = () => {},
  ): Promise<boolean> {
    const back = client.connection();
    relay.disconnect();
    await whileAway();
    relay.switchTo(this.server(typeof to === 'number' ? to : to()).port);
    relay.reconnect();
    await back;
    return client.socket.recovered;
  }

  /** Entries of the stream, oldest first. */
  entries(): Promise<[string, string[]][]> {
    return this.redis.xrange(this.keys.stream, '-', '+');
  }

  async closeClients(): Promise<void> {
    for (const client of this.#clients) client.close();
    this.#clients.clear();
    await Promise.all([...this.#relays].map((relay) => relay.close()));
    this.#relays.clear();
  }

  async close(): Promise<void> {
    await this.closeClients();
    await Promise.all(this.servers.map((server) => server.close()));
    this.redis.disconnect();
  }
}

/** `size` servers on a prefix of their own. */
export async function startCluster(size: number, options: ClusterOptions = {}): Promise<Cluster> {
  const cluster = new Cluster(uniquePrefix(), [], options);
  await Promise.all(Array.from({ length: size }, () => cluster.addServer()));
  return cluster;
}

/** Starts a cluster before the file's (or describe block's) tests and closes it after; clients after each test. */
export function useCluster(size: number, options: ClusterOptions = {}): () => Cluster {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(size, options);
  });
  afterEach(() => cluster?.closeClients());
  afterAll(() => cluster?.close());
  return () => {
    if (cluster === undefined) throw new Error('the cluster is not started');
    return cluster;
  };
}

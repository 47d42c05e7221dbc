import {
  ClientEvent,
  QueueName,
  type Room,
  redisKeys,
  type ServerToClientEvents,
  type TypeRoom,
} from '@care-chat/contract';
import { Emitter } from '@care-chat/realtime';
import { createPool, dashboardStats } from '@care-chat/store';
import {
  type AppProcess,
  connectDashboard,
  createTestDatabase,
  type GatewayNode,
  request,
  signToken,
  startGateway,
  startWorker,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { expect, inject } from 'vitest';

/** Two gateways and a worker on a database and a Redis prefix of their own, as users start them. */
export class Tier {
  private constructor(
    readonly prefix: string,
    readonly database: TestDatabase,
    private readonly env: Record<string, string>,
    readonly nodes: [GatewayNode, GatewayNode],
    public worker: AppProcess,
    readonly db: pg.Pool,
    readonly redis: Redis,
    readonly emitter: Emitter<ServerToClientEvents, Room>,
    readonly queue: Queue,
  ) {}

  /**
   * `workerDatabase` may route the worker's connection elsewhere (through a relay a test can cut);
   * `redisUrl` puts the whole tier on a Redis of the test's own.
   */
  static async start(
    options: {
      workerEnv?: Record<string, string>;
      gatewayEnv?: Record<string, string>;
      workerDatabase?: (url: string) => string;
      redisUrl?: string;
    } = {},
  ): Promise<Tier> {
    const { workerEnv = {}, gatewayEnv = {}, workerDatabase = (url: string) => url, redisUrl } = options;
    const prefix = uniquePrefix();
    const database = await createTestDatabase();
    // Counts straight from the database, so a test can compare them with it.
    const env = {
      DATABASE_URL: database.url,
      STATS_CACHE_MS: '0',
      ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }),
    };
    const nodes = await Promise.all([1, 2].map(() => startGateway(prefix, { ...env, ...gatewayEnv })));
    const worker = await startWorker(prefix, { ...env, DATABASE_URL: workerDatabase(database.url), ...workerEnv });
    const redis = new Redis(redisUrl ?? inject('redisUrl'));
    // A test may take Redis away on purpose; this connection just waits for it.
    redis.on('error', () => undefined);
    const queue = new Queue(QueueName.Inbound, { connection: redis, prefix: redisKeys(prefix).queues });
    return new Tier(
      prefix,
      database,
      env,
      nodes as [GatewayNode, GatewayNode],
      worker,
      createPool(database.url, 4),
      redis,
      new Emitter<ServerToClientEvents, Room>(redis, { prefix: redisKeys(prefix).realtime }),
      queue,
    );
  }

  /** Another gateway on this tier's Redis and database (for a test to stop or kill). */
  gateway(env: Record<string, string> = {}): Promise<GatewayNode> {
    return startGateway(this.prefix, { ...this.env, ...env });
  }

  /** One more worker on this tier (for a test to stop or kill). */
  anotherWorker(workerEnv: Record<string, string> = {}): Promise<AppProcess> {
    return startWorker(this.prefix, { ...this.env, ...workerEnv });
  }

  async restartWorker(workerEnv: Record<string, string> = {}): Promise<void> {
    this.worker = await startWorker(this.prefix, { ...this.env, ...workerEnv });
  }

  /** A dashboard client on `node`, in `room` if one is given. */
  async client(node: GatewayNode, room: TypeRoom | null, claims: Record<string, unknown> = {}) {
    const client = await connectDashboard(node.url, signToken(claims));
    if (room !== null) expect(await request(client, ClientEvent.JoinRoom, { room })).toEqual({ status: 1, room });
    return client;
  }

  /** Resolves once the queue has nothing waiting, delayed or running: every job posted so far is done. */
  async drained(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
      if (Object.values(counts).every((count) => count === 0)) return;
      if (Date.now() > deadline) throw new Error(`queue not drained: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stats() {
    return dashboardStats(this.db);
  }

  async stop(): Promise<void> {
    await this.queue.close();
    this.redis.disconnect();
    await Promise.all([...this.nodes.map((node) => node.process.stop()), this.worker.stop()]);
    await this.db.end();
    await this.database.drop();
  }
}

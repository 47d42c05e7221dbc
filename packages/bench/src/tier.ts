import { randomUUID } from 'node:crypto';
import { type AppProcess, type GatewayNode, launchGateway, launchWorker, startNode } from '@care-chat/testkit/tools';
import { Redis } from 'ioredis';
import pg from 'pg';

/** What a scenario runs against: gateway URLs, and the local processes behind them where there are some. */
export interface BenchTier {
  /** `ours`: this tier, started here; `bare`: bare Socket.IO nodes; `remote`: running URLs. */
  kind: 'ours' | 'bare' | 'remote';
  urls: string[];
  /** Processes started here, probed for CPU and memory (none for running URLs). */
  gatewayPids: number[];
  workerPids: number[];
  /** The tier's database, where the bench can read it. */
  db: pg.Client | null;
  stop: () => Promise<void>;
}

const pidOf = (process: AppProcess) => process.child.pid ?? 0;
// BENCH_NODE_FLAGS go to the apps' node (`--profile` sets `--cpu-prof`).
const nodeFlags = () => process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];

/**
 * The tier as users start it (the built apps), on this machine's Redis (under a prefix of its own) and a
 * PostgreSQL database of its own, tuned for load: no limits in the way, logs at info.
 */
export async function startTier(
  gatewayCount: number,
  workerCount: number,
  extraEnv: Record<string, string> = {},
): Promise<BenchTier> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const env = {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: name,
    LOG_LEVEL: 'info',
    SOCKET_EVENTS_PER_SECOND: '100000',
    CONNECTIONS_PER_ADDRESS_PER_MINUTE: '1000000',
    // The default, not the tests' quicker one: dashboard_stats go to every dashboard.
    STATS_INTERVAL_MS: '1000',
    ...extraEnv,
  };
  const gateways: GatewayNode[] = [];
  for (let i = 0; i < gatewayCount; i++) gateways.push(await launchGateway(env, nodeFlags()));
  const workers: AppProcess[] = [];
  for (let i = 0; i < workerCount; i++) workers.push(await launchWorker(env, nodeFlags()));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  return {
    kind: 'ours',
    urls: gateways.map((node) => node.url),
    gatewayPids: gateways.map((node) => pidOf(node.process)),
    workerPids: workers.map(pidOf),
    db,
    stop: async () => {
      await Promise.all([...gateways.map((node) => node.process.stop()), ...workers.map((worker) => worker.stop())]);
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await forgetPrefix(env.REDIS_URL, name);
    },
  };
}

/**
 * Deletes what a run left in Redis under its prefix (sessions, the stream, jobs still delayed), which would
 * otherwise pile up in the shared Redis run after run.
 */
export async function forgetPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * Bare Socket.IO nodes (bare-node.ts), for comparison: one alone, or several sharing rooms through the
 * classic Redis adapter on this machine's Redis.
 */
export async function startBareTier(nodeCount: number, shareRooms: boolean): Promise<BenchTier> {
  const env: Record<string, string> = shareRooms
    ? {
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `bench_bare_${randomUUID().slice(0, 8)}`,
      }
    : {};
  const nodes: { process: AppProcess; url: string }[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const process = startNode('packages/bench/dist/bare-node.js', env, [], nodeFlags());
    const { port } = (await process.waitForLog((line) => typeof line.port === 'number')) as unknown as { port: number };
    nodes.push({ process, url: `http://127.0.0.1:${port}` });
  }
  return {
    kind: 'bare',
    urls: nodes.map((node) => node.url),
    gatewayPids: nodes.map((node) => pidOf(node.process)),
    workerPids: [],
    db: null,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.process.stop()));
    },
  };
}

/** A tier already running at `urls`; with `databaseUrl`, what it persists is counted too. */
export async function remoteTier(urls: readonly string[], databaseUrl: string | undefined): Promise<BenchTier> {
  const db = databaseUrl === undefined ? null : new pg.Client({ connectionString: databaseUrl });
  await db?.connect();
  return {
    kind: 'remote',
    urls: urls.map((url) => url.replace(/\/+$/, '')),
    gatewayPids: [],
    workerPids: [],
    db,
    stop: async () => {
      await db?.end();
    },
  };
}

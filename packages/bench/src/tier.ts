import { randomUUID } from 'node:crypto';
import { type AppProcess, type GatewayNode, launchGateway, launchWorker, startNode } from '@care-chat/testkit/tools';
import pg from 'pg';

export interface BenchTier {
  gateways: GatewayNode[];
  workers: AppProcess[];
  /** The tier's database, where there is one. */
  db: pg.Client | null;
  stop: () => Promise<void>;
}

/**
 * The tier as users start it (the built apps), on this machine's Redis (under a prefix of its own) and a
 * PostgreSQL database of its own, tuned for load: no limits in the way, logs at info.
 */
export async function startTier(gatewayCount: number, workerCount: number, extraEnv: Record<string, string> = {}) {
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
  // BENCH_NODE_FLAGS go to the apps' node: `--cpu-prof --cpu-prof-dir=/tmp/prof` profiles them.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const gateways: GatewayNode[] = [];
  for (let i = 0; i < gatewayCount; i++) gateways.push(await launchGateway(env, flags));
  const workers: AppProcess[] = [];
  for (let i = 0; i < workerCount; i++) workers.push(await launchWorker(env, flags));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  return {
    gateways,
    workers,
    db,
    stop: async () => {
      await Promise.all([...gateways.map((node) => node.process.stop()), ...workers.map((worker) => worker.stop())]);
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  } satisfies BenchTier;
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
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const gateways: GatewayNode[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const process = startNode('packages/bench/dist/bare-node.js', env, [], flags);
    const { port } = (await process.waitForLog((line) => typeof line.port === 'number')) as unknown as { port: number };
    gateways.push({ process, port, url: `http://127.0.0.1:${port}` });
  }
  return {
    gateways,
    workers: [],
    db: null,
    stop: async () => {
      await Promise.all(gateways.map((node) => node.process.stop()));
    },
  };
}

import { randomUUID } from 'node:crypto';
import { type AppProcess, type GatewayNode, launchGateway, launchWorker } from '@care-chat/testkit/tools';
import pg from 'pg';

export interface BenchTier {
  gateways: GatewayNode[];
  workers: AppProcess[];
  db: pg.Client;
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

import { boot, env, type Log, parseEnv } from '@care-chat/runtime';
import type pg from 'pg';
import { createPool } from './db.js';

/** The start of a command-line tool on the database: DATABASE_URL read like the apps, one connection. */
export function bootDatabaseCli(service: string, logLevel: 'info' | 'warn'): { log: Log; pool: pg.Pool } {
  const { log, config } = boot(service, () => {
    const raw = parseEnv(process.env, {
      DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
    });
    return { databaseUrl: raw.DATABASE_URL, logLevel };
  });
  return { log, pool: createPool(config.databaseUrl, 1) };
}

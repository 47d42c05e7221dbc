/** `npm run migrate`: brings the database at DATABASE_URL up to date, then exits. */
import { boot, env, parseEnv } from '@care-chat/runtime';
import { createPool } from './db.js';
import { migrate } from './migrate.js';

const { log, config } = boot('migrate', () => {
  const raw = parseEnv(process.env, {
    DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/postgres', ['postgres:', 'postgresql:']),
  });
  return { databaseUrl: raw.DATABASE_URL, logLevel: 'info' as const };
});
const pool = createPool(config.databaseUrl, 1);
try {
  const applied = await migrate(pool, log);
  log.info({ applied }, applied.length === 0 ? 'database already up to date' : 'database migrated');
} finally {
  await pool.end();
}

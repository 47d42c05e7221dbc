/** `npm run migrate`: brings the database at DATABASE_URL up to date, then exits. */
import { bootDatabaseCli } from './database-cli.js';
import { migrate } from './migrate.js';

const { log, pool } = bootDatabaseCli('migrate', 'info');
try {
  const applied = await migrate(pool, log);
  log.info({ applied }, applied.length === 0 ? 'database already up to date' : 'database migrated');
} finally {
  await pool.end();
}

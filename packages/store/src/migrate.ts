import { readdir, readFile } from 'node:fs/promises';
import type { Log } from '@care-chat/runtime';
import type pg from 'pg';

const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);
// Any fixed number: every process that migrates takes this lock, so replicas starting together take turns.
const LOCK_KEY = 7_210_455_001;

/**
 * Applies the SQL files in `migrations/` that this database has not had yet, in name order, each in its
 * own transaction. Safe to run from every process at start. Returns the names applied now.
 */
export async function migrate(pool: pg.Pool, log: Log): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
    for (const file of files.filter((name) => !done.has(name))) {
      const sql = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      applied.push(file);
      log.info({ migration: file }, 'migration applied');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}

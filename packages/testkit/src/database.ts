import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import './provided-context.js';

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file, so counts and lists see only that file's chats. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cc_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}

const IN_USE = '55006';

/**
 * Drops the database once the sessions of the pools a test has just ended are gone. pg's `Pool.end()`
 * resolves before its connections have closed: forcing the drop then terminates them mid-goodbye, and
 * the FATAL they receive is an uncaught error in the test's process. Force comes only after a wait, for
 * a session a test really left open.
 */
async function dropDatabase(name: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await asAdmin(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== IN_USE) throw error;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

import { startNode } from '@care-chat/testkit/tools';
import pg from 'pg';
import { DevStackProblem } from './problem.js';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The local server's database the dev stack keeps its chats in, apart from anything else there. */
const DEV_DATABASE = 'care_chat_dev';

export interface FoundPostgres {
  url: string;
  origin: string;
  stop: () => Promise<void>;
}

/** PGlite served on a free port by a process of ours (`pglite-server.ts`). */
async function startPglite(): Promise<FoundPostgres> {
  const server = startNode('apps/devstack/dist/pglite-server.js', {});
  const { port } = await server.waitForLog((line) => line.msg === 'pglite listening', 30_000);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port as number}/postgres`,
    origin: 'embedded PGlite, in memory: gone when the dev stack stops',
    stop: async () => {
      await server.stop();
    },
  };
}

async function connectError(url: string): Promise<Error | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
}

/**
 * DATABASE_URL when set; else the server on `local` (127.0.0.1:5432; its database `care_chat_dev`); else an embedded
 * PGlite (`pglite`: undefined, when nothing answers; true, always; false, never); else what to install.
 */
export async function findPostgres(
  configured: string | undefined,
  pglite: boolean | undefined,
  local = LOCAL_POSTGRES,
): Promise<FoundPostgres> {
  const none = async () => {};
  if (configured !== undefined) {
    const error = await connectError(configured);
    if (error !== null) throw new DevStackProblem(`DATABASE_URL is set but cannot be used: ${error.message}`);
    return { url: configured, origin: 'DATABASE_URL', stop: none };
  }
  if (pglite === true) return startPglite();
  if ((await connectError(local)) === null) {
    const url = await ensureDatabase(local, DEV_DATABASE);
    return { url, origin: `database ${DEV_DATABASE} on ${new URL(local).host}`, stop: none };
  }
  if (pglite === undefined) return startPglite();
  throw new DevStackProblem(
    [
      `no PostgreSQL: nothing answers on ${new URL(local).host} as user postgres, and DATABASE_URL is not set.`,
      'Install one (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql@16),',
      'or run one (docker run -d -p 127.0.0.1:5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16-alpine),',
      'or set DATABASE_URL, or leave PGLITE unset for an embedded one (PGLITE=false turned it off).',
    ].join('\n  '),
  );
}

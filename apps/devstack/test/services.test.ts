import { freePort } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { findPostgres } from '../src/postgres.js';
import { DevStackProblem } from '../src/problem.js';
import { findRedis } from '../src/redis.js';

// Where nothing answers: what the dev stack finds on a machine without the service.
const nowhere = async (scheme: string) => `${scheme}://postgres@127.0.0.1:${await freePort()}/postgres`;
const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

describe('Redis for npm start', () => {
  it('starts a redis-server of its own where none answers, and stops it', async () => {
    const found = await findRedis(undefined, (await nowhere('redis')).replace(/\/postgres$/, ''));
    expect(found.origin).toContain('redis-server started');
    const probe = new Redis(found.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await probe.connect();
    expect(await probe.ping()).toBe('PONG');
    probe.disconnect();
    await found.stop();
  });

  it('says what to install where none answers and there is no redis-server', async () => {
    process.env.PATH = '/nonexistent';
    const local = (await nowhere('redis')).replace(/\/postgres$/, '');
    const error = await findRedis(undefined, local).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevStackProblem);
    expect((error as Error).message).toContain('apt-get install redis-server');
  });
});

describe('PostgreSQL for npm start', () => {
  it('runs the embedded PGlite where none answers, which takes a query, and stops it', async () => {
    const found = await findPostgres(undefined, undefined, await nowhere('postgres'));
    expect(found.origin).toContain('embedded PGlite');
    const client = new pg.Client({ connectionString: found.url });
    await client.connect();
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    await found.stop();
  });

  it('says what to install where none answers and PGLITE=false', async () => {
    const error = await findPostgres(undefined, false, await nowhere('postgres')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevStackProblem);
    expect((error as Error).message).toContain('apt-get install postgresql');
  });
});

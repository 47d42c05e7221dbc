import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addExecutive,
  createPool,
  disableExecutive,
  findExecutiveForLogin,
  listExecutives,
  migrate,
  type NewExecutive,
  resetPassword,
  verifyPassword,
} from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 2);
  await migrate(pool, createLogger('executives-test', 'silent'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const executive = (overrides: Partial<NewExecutive> = {}): NewExecutive => ({
  username: 'asha',
  name: 'Asha Kumar',
  agentNumber: '919800000001',
  role: 'executive',
  customerTypes: ['Partner', 'Vendor'],
  password: 'first password',
  ...overrides,
});

describe('executives in PostgreSQL', () => {
  it('adds an executive and finds it for a login, whatever the case of the username', async () => {
    const id = await addExecutive(pool, executive({ username: 'Asha.K' }));
    expect(id).toMatch(/^\d+$/);
    const found = await findExecutiveForLogin(pool, 'ASHA.k');
    expect(found).toEqual({
      adminid: id,
      name: 'Asha Kumar',
      agentNumber: '919800000001',
      role: 'executive',
      customerTypes: ['Partner', 'Vendor'],
      passwordHash: expect.stringMatching(/^scrypt\$/),
      disabled: false,
    });
    expect(await verifyPassword('first password', found?.passwordHash ?? '')).toBe(true);
    expect(await findExecutiveForLogin(pool, 'nobody')).toBeUndefined();
  });

  it('refuses a username taken in any case, changing nothing', async () => {
    const id = await addExecutive(pool, executive({ username: 'ravi', name: 'Ravi' }));
    expect(await addExecutive(pool, executive({ username: 'RAVI', name: 'Other Ravi' }))).toBeUndefined();
    expect((await findExecutiveForLogin(pool, 'ravi'))?.adminid).toBe(id);
    expect((await findExecutiveForLogin(pool, 'ravi'))?.name).toBe('Ravi');
  });

  it('lists executives without their hashes', async () => {
    await addExecutive(pool, executive({ username: 'meena', role: 'admin', customerTypes: ['SRDP'] }));
    const listed = await listExecutives(pool);
    expect(listed.find((row) => row.username === 'meena')).toEqual({
      id: expect.stringMatching(/^\d+$/),
      username: 'meena',
      name: 'Asha Kumar',
      agentNumber: '919800000001',
      role: 'admin',
      customerTypes: ['SRDP'],
      disabledAt: null,
      createdAt: expect.any(Date),
    });
    expect(JSON.stringify(listed)).not.toContain('scrypt');
  });

  it('disables an executive, keeping the first time; an unknown username is reported', async () => {
    await addExecutive(pool, executive({ username: 'gone' }));
    expect(await disableExecutive(pool, 'GONE')).toBe(true);
    const first = (await listExecutives(pool)).find((row) => row.username === 'gone')?.disabledAt;
    expect(first).toBeInstanceOf(Date);
    expect(await disableExecutive(pool, 'gone')).toBe(true);
    expect((await listExecutives(pool)).find((row) => row.username === 'gone')?.disabledAt).toEqual(first);
    expect((await findExecutiveForLogin(pool, 'gone'))?.disabled).toBe(true);
    expect(await disableExecutive(pool, 'nobody')).toBe(false);
  });

  it('resets a password: the new one verifies, the old one no longer does', async () => {
    await addExecutive(pool, executive({ username: 'reset.me' }));
    expect(await resetPassword(pool, 'Reset.Me', 'second password')).toBe(true);
    const hash = (await findExecutiveForLogin(pool, 'reset.me'))?.passwordHash ?? '';
    expect(await verifyPassword('second password', hash)).toBe(true);
    expect(await verifyPassword('first password', hash)).toBe(false);
    expect(await resetPassword(pool, 'nobody', 'second password')).toBe(false);
  });

  it('refuses rows the contract does not allow', async () => {
    await expect(addExecutive(pool, executive({ username: 'bad1', agentNumber: '98-00' }))).rejects.toThrow(/check/);
    await expect(
      addExecutive(pool, executive({ username: 'bad2', customerTypes: ['Nobody' as 'Partner'] })),
    ).rejects.toThrow(/check/);
    await expect(addExecutive(pool, executive({ username: 'bad3', customerTypes: [] }))).rejects.toThrow(/check/);
  });
});

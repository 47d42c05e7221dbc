import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import { createTestDatabase, repoRoot, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, findExecutiveForLogin, verifyPassword } from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 1);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** `npm run executives -- …args` as an operator runs it, `input` piped to its standard input. */
async function executives(args: readonly string[], input = '') {
  const child = spawn(process.execPath, ['packages/store/dist/executives-cli.js', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(input);
  const [stdout, stderr, [code]] = await Promise.all([text(child.stdout), text(child.stderr), once(child, 'exit')]);
  return { code: code as number | null, stdout, stderr };
}

const add = (username: string, extra: readonly string[] = []) => [
  'add',
  '--username',
  username,
  '--name',
  'Asha Kumar',
  '--agent-number',
  '919800000001',
  ...extra,
  '--password-stdin',
];

describe('npm run executives', () => {
  it('adds an executive, printing only its id; a taken username exits 1', async () => {
    const added = await executives(add('asha', ['--role', 'admin', '--types', 'Partner,SRDP']), 'first password\n');
    expect(added).toEqual({ code: 0, stdout: expect.stringMatching(/^\d+\n$/), stderr: '' });
    const found = await findExecutiveForLogin(pool, 'asha');
    expect(found).toMatchObject({ adminid: added.stdout.trim(), role: 'admin', customerTypes: ['Partner', 'SRDP'] });
    // One trailing newline (as echo adds it) is not part of the password.
    expect(await verifyPassword('first password', found?.passwordHash ?? '')).toBe(true);

    const again = await executives(add('ASHA'), 'another password\n');
    expect(again).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('"asha" is taken') });
  });

  it.each([
    [['add', '--name', 'A', '--agent-number', '9198000', '--password-stdin'], '--username is required'],
    [['add', '--username', 'x y', '--name', 'A', '--agent-number', '9198000', '--password-stdin'], '--username must'],
    [['add', '--username', 'x', '--name', 'A', '--agent-number', '98-00', '--password-stdin'], '--agent-number must'],
    [['add', '--username', 'x', '--agent-number', '9198000', '--password-stdin'], '--name is required'],
    [add('x', ['--role', 'boss']), '--role must be one of: executive, admin'],
    [add('x', ['--types', 'Partner,Nobody']), '--types must be'],
    [add('x', ['--types', 'Partner,Partner']), '--types names a customer type twice'],
    [add('x', ['--colour', 'red']), "Unknown option '--colour'"],
    [['add', '--username'], "Option '--username <value>' argument missing"],
    [['disable'], '--username is required'],
    [['reset-password', '--username', 'x'], 'give the password with --password-stdin'],
    [['promote', '--username', 'x'], 'unknown command "promote"'],
  ])('refuses %j with exit 2 and a message naming the flag', async (args, message) => {
    const run = await executives(args, 'long enough password\n');
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(message) });
    expect(await findExecutiveForLogin(pool, 'x')).toBeUndefined();
  });

  it('refuses a password shorter than 8 characters', async () => {
    const run = await executives(add('shorty'), 'short\n');
    expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining('at least 8 characters') });
    expect(await findExecutiveForLogin(pool, 'shorty')).toBeUndefined();
  });

  it('lists executives one line each, never a hash or a password', async () => {
    await executives(add('lister', ['--types', 'Vendor']), 'lister password\n');
    const listed = await executives(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^id\s+username\s+name\s+agent_number\s+role\s+customer_types\s+status\n/);
    expect(listed.stdout).toMatch(/\n\d+\s+lister\s+Asha Kumar\s+919800000001\s+executive\s+Vendor\s+active\n/);
    expect(listed.stdout).not.toMatch(/scrypt|password/);
  });

  it('disables an executive; an unknown username exits 1', async () => {
    await executives(add('leaver'), 'leaver password\n');
    expect(await executives(['disable', '--username', 'Leaver'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await findExecutiveForLogin(pool, 'leaver'))?.disabled).toBe(true);
    expect((await executives(['list'])).stdout).toMatch(/leaver .* disabled \d{4}-/);
    expect(await executives(['disable', '--username', 'nobody'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no executive has the username "nobody"'),
    });
  });

  it('sets how many open chats are assigned to an executive at most, or no limit', async () => {
    await executives(add('busy'), 'busy password\n');
    const capacity = async () =>
      (await pool.query("SELECT max_open_chats FROM executives WHERE username = 'busy'")).rows[0]?.max_open_chats;
    expect(await executives(['capacity', '--username', 'Busy', '--max-open-chats', '8'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await capacity()).toBe(8);
    expect((await executives(['capacity', '--username', 'busy', '--max-open-chats', 'none'])).code).toBe(0);
    expect(await capacity()).toBeNull();
    expect(await executives(['capacity', '--username', 'busy', '--max-open-chats', '0'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--max-open-chats must be'),
    });
    expect((await executives(['capacity', '--username', 'nobody', '--max-open-chats', '3'])).code).toBe(1);
  });

  it('resets a password: the new one verifies, the old one does not', async () => {
    await executives(add('forgetful'), 'old password\n');
    const reset = await executives(['reset-password', '--username', 'forgetful', '--password-stdin'], 'new password\n');
    expect(reset).toEqual({ code: 0, stdout: '', stderr: '' });
    const hash = (await findExecutiveForLogin(pool, 'forgetful'))?.passwordHash ?? '';
    expect(await verifyPassword('new password', hash)).toBe(true);
    expect(await verifyPassword('old password', hash)).toBe(false);
    const unknown = await executives(['reset-password', '--username', 'nobody', '--password-stdin'], 'new password\n');
    expect(unknown.code).toBe(1);
  });
});

import { createLogger } from '@care-chat/runtime';
import { createTestDatabase, type TestDatabase } from '@care-chat/testkit';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addExecutive,
  createLogin,
  createPool,
  disableExecutive,
  loginStatus,
  migrate,
  revokeLogin,
  rotateRefreshToken,
} from '../src/index.js';

let database: TestDatabase;
let pool: pg.Pool;
let executiveId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 4);
  await migrate(pool, createLogger('logins-test', 'silent'));
  executiveId = (await addExecutive(pool, {
    username: 'asha',
    name: 'Asha Verma',
    agentNumber: '919876543210',
    role: 'admin',
    customerTypes: ['Customer'],
    password: 'a password',
  })) as string;
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const inS = (seconds: number) => new Date(Date.now() + seconds * 1000);
const newLogin = (refreshS = 3600, accessS = 600) =>
  createLogin(pool, {
    executiveId,
    loginFrom: 'customercare',
    refreshExpiresAt: inS(refreshS),
    accessExpiresAt: inS(accessS),
  });

describe('logins in PostgreSQL', () => {
  it('keeps only the hash of a refresh token', async () => {
    const { loginId, refreshToken } = await newLogin();
    const { rows } = await pool.query('SELECT hash FROM refresh_tokens WHERE login_id = $1', [loginId]);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0].hash).toString('base64url')).not.toBe(refreshToken);
    expect(JSON.stringify(rows)).not.toContain(refreshToken);
  });

  it('rotates with the executive as it is now, and moves the access expiry on', async () => {
    const { loginId, refreshToken } = await newLogin();
    const later = inS(1200);
    const outcome = await rotateRefreshToken(pool, refreshToken, later);
    expect(outcome).toEqual({
      kind: 'rotated',
      loginId,
      refreshToken: expect.any(String),
      executive: {
        adminid: executiveId,
        name: 'Asha Verma',
        agentNumber: '919876543210',
        role: 'admin',
        customerTypes: ['Customer'],
      },
    });
    expect((await loginStatus(pool, loginId))?.accessExpiresAt.getTime()).toBe(later.getTime());
  });

  it('of two refreshes with one token at once, rotates one and revokes the login for the other', async () => {
    const { loginId, refreshToken } = await newLogin();
    const outcomes = await Promise.all([
      rotateRefreshToken(pool, refreshToken, inS(600)),
      rotateRefreshToken(pool, refreshToken, inS(600)),
    ]);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['revoked', 'rotated']);
    expect(outcomes.find((outcome) => outcome.kind === 'revoked')).toMatchObject({ loginId, reason: 'reuse' });
    const next = outcomes.find((outcome) => outcome.kind === 'rotated');
    expect(await rotateRefreshToken(pool, (next as { refreshToken: string }).refreshToken, inS(600))).toEqual({
      kind: 'refused',
    });
    expect(await loginStatus(pool, loginId)).toMatchObject({ revoked: true });
  });

  it('refuses an unknown token and an expired login', async () => {
    expect(await rotateRefreshToken(pool, 'made-up', inS(600))).toEqual({ kind: 'refused' });
    const { refreshToken } = await newLogin(-1, 600);
    expect(await rotateRefreshToken(pool, refreshToken, inS(600))).toEqual({ kind: 'refused' });
  });

  it('keeps the first reason of a revocation, and says until when its tokens live', async () => {
    const { loginId } = await newLogin(3600, 600);
    const first = await revokeLogin(pool, loginId, 'reuse');
    expect(await revokeLogin(pool, loginId, 'logout')).toEqual(first);
    const { rows } = await pool.query('SELECT revoked_reason FROM logins WHERE id = $1', [loginId]);
    expect(rows[0].revoked_reason).toBe('reuse');
    expect(await revokeLogin(pool, '999999999', 'logout')).toBeUndefined();
  });

  it('forgets logins whose tokens have all expired when the next one starts', async () => {
    const { loginId } = await newLogin(-10, -10);
    expect(await loginStatus(pool, loginId)).toBeDefined();
    await newLogin();
    expect(await loginStatus(pool, loginId)).toBeUndefined();
  });

  it('revokes the login of a disabled executive at its next refresh', async () => {
    const { loginId, refreshToken } = await newLogin();
    await disableExecutive(pool, 'asha');
    expect(await rotateRefreshToken(pool, refreshToken, inS(600))).toMatchObject({
      kind: 'revoked',
      reason: 'disabled',
    });
    expect(await loginStatus(pool, loginId)).toMatchObject({ revoked: true });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type Queryable, withTransaction } from './db.js';
import type { ExecutiveLogin } from './executives.js';

/** Who a refreshed access token speaks for, as the executives table says now. */
export type LoginExecutive = Omit<ExecutiveLogin, 'passwordHash' | 'disabled'>;

export type RevokedReason = 'logout' | 'reuse' | 'disabled';

export interface NewLogin {
  executiveId: string;
  loginFrom: string | null;
  /** When the login's refresh tokens stop working, whatever is done with them. */
  refreshExpiresAt: Date;
  /** The exp of the access token issued with it. */
  accessExpiresAt: Date;
}

export type RefreshOutcome =
  | { kind: 'rotated'; loginId: string; refreshToken: string; executive: LoginExecutive }
  /** Revoked by this refresh: its caller must also cut the login's sockets and tell the other gateways. */
  | { kind: 'revoked'; loginId: string; reason: RevokedReason; accessExpiresAt: Date }
  /** Unknown, expired, or revoked before. */
  | { kind: 'refused' };

/** Login ids are bigints shown as strings; anything else names no login (and must not reach a bigint cast). */
export const isLoginId = (value: string): boolean => /^\d{1,18}$/.test(value);

const REFRESH_TOKEN_BYTES = 32;
const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

async function issueRefreshToken(db: Queryable, loginId: string): Promise<string> {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  await db.query('INSERT INTO refresh_tokens (hash, login_id) VALUES ($1, $2)', [hashOf(token), loginId]);
  return token;
}

/**
 * Starts a login and gives it its first refresh token. Logins whose refresh and access tokens have all
 * expired go at the same time: nothing can present them any more, so nothing needs to remember them.
 */
export async function createLogin(pool: pg.Pool, login: NewLogin): Promise<{ loginId: string; refreshToken: string }> {
  return withTransaction(pool, async (client) => {
    await client.query('DELETE FROM logins WHERE greatest(refresh_expires_at, access_expires_at) < now()');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO logins (executive_id, login_from, refresh_expires_at, access_expires_at)
       VALUES ($1, $2, $3, $4) RETURNING id::text`,
      [login.executiveId, login.loginFrom, login.refreshExpiresAt, login.accessExpiresAt],
    );
    const loginId = (rows[0] as { id: string }).id;
    return { loginId, refreshToken: await issueRefreshToken(client, loginId) };
  });
}

interface PresentedToken extends LoginExecutive {
  loginId: string;
  spent: boolean;
  revoked: boolean;
  expired: boolean;
  disabled: boolean;
  accessExpiresAt: Date;
}

/**
 * Revokes a login (its refresh tokens stop working); revoking twice is harmless. Returns until when its
 * access tokens could still be shown, or undefined when there is no such login.
 */
export async function revokeLogin(db: Queryable, loginId: string, reason: RevokedReason): Promise<Date | undefined> {
  // The first revocation's time and reason stay: a logout after a reuse was detected is still a reuse.
  const { rows } = await db.query<{ accessExpiresAt: Date }>(
    `UPDATE logins SET revoked_at = coalesce(revoked_at, now()), revoked_reason = coalesce(revoked_reason, $2)
     WHERE id = $1 RETURNING access_expires_at AS "accessExpiresAt"`,
    [loginId, reason],
  );
  return rows[0]?.accessExpiresAt;
}

/**
 * Spends a refresh token and gives the next one, with the executive as it is now, for an access token
 * expiring at `accessExpiresAt`. The rows are locked, so of two refreshes with one token one rotates and
 * the other is a reuse. A spent token revokes its login, and so does a disabled executive's.
 */
export async function rotateRefreshToken(
  pool: pg.Pool,
  refreshToken: string,
  accessExpiresAt: Date,
): Promise<RefreshOutcome> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<PresentedToken>(
      `SELECT l.id::text AS "loginId", t.spent_at IS NOT NULL AS spent, l.revoked_at IS NOT NULL AS revoked,
              l.refresh_expires_at <= now() AS expired, e.disabled_at IS NOT NULL AS disabled,
              l.access_expires_at AS "accessExpiresAt", e.id::text AS adminid, e.name,
              e.agent_number AS "agentNumber", e.role, e.customer_types AS "customerTypes"
       FROM refresh_tokens t JOIN logins l ON l.id = t.login_id JOIN executives e ON e.id = l.executive_id
       WHERE t.hash = $1
       FOR UPDATE OF t, l`,
      [hashOf(refreshToken)],
    );
    const presented = rows[0];
    if (presented === undefined || presented.revoked || presented.expired) return { kind: 'refused' };
    const { loginId, spent, disabled } = presented;
    if (spent || disabled) {
      const reason = spent ? 'reuse' : 'disabled';
      await revokeLogin(client, loginId, reason);
      return { kind: 'revoked', loginId, reason, accessExpiresAt: presented.accessExpiresAt };
    }
    await client.query('UPDATE refresh_tokens SET spent_at = now() WHERE hash = $1', [hashOf(refreshToken)]);
    await client.query(
      'UPDATE logins SET rotated_at = now(), access_expires_at = greatest(access_expires_at, $2) WHERE id = $1',
      [loginId, accessExpiresAt],
    );
    const { adminid, name, agentNumber, role, customerTypes } = presented;
    return {
      kind: 'rotated',
      loginId,
      refreshToken: await issueRefreshToken(client, loginId),
      executive: { adminid, name, agentNumber, role, customerTypes },
    };
  });
}

/** Whether a login is revoked, and until when its access tokens live; undefined when it is gone or never was. */
export async function loginStatus(
  db: Queryable,
  loginId: string,
): Promise<{ revoked: boolean; accessExpiresAt: Date } | undefined> {
  const { rows } = await db.query<{ revoked: boolean; accessExpiresAt: Date }>(
    `SELECT revoked_at IS NOT NULL AS revoked, access_expires_at AS "accessExpiresAt" FROM logins WHERE id = $1`,
    [loginId],
  );
  return rows[0];
}

import { randomBytes } from 'node:crypto';
import type { Log } from '@care-chat/runtime';
import {
  findExecutiveForLogin,
  hashPassword,
  type LoginExecutive,
  needsRehash,
  type Queryable,
  rehashPassword,
  verifyPassword,
} from '@care-chat/store';

export type CredentialCheck = (username: string, password: string) => Promise<LoginExecutive | undefined>;

/**
 * The executive a username and password name, or undefined: for an unknown user, a wrong password and a
 * disabled executive alike, after the same scrypt work (an unknown user's password is checked against a
 * hash of no one's, made with today's parameters), so neither the answer nor its time tells them apart.
 * A hash made with older parameters is replaced at the login that proves its password.
 */
export function createCredentialCheck(db: Queryable, log: Log): CredentialCheck {
  const nobody = hashPassword(randomBytes(16).toString('base64'));
  return async (username, password) => {
    const found = await findExecutiveForLogin(db, username);
    const matches = await verifyPassword(password, found?.passwordHash ?? (await nobody));
    if (found === undefined || !matches || found.disabled) return undefined;
    const { passwordHash, disabled: _, ...executive } = found;
    if (needsRehash(passwordHash)) {
      await rehashPassword(db, executive.adminid, password, passwordHash).catch((err: unknown) =>
        log.warn({ err, executive: executive.adminid }, 'password not rehashed; it will be at the next login'),
      );
    }
    return executive;
  };
}

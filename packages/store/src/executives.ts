import type { CustomerType, ExecutiveRole } from '@care-chat/contract';
import type { Queryable } from './db.js';
import { hashPassword } from './password.js';

export interface NewExecutive {
  username: string;
  name: string;
  agentNumber: string;
  role: ExecutiveRole;
  customerTypes: readonly CustomerType[];
  password: string;
}

/** An executive as `list` shows it: never the password hash. */
export interface ExecutiveListing {
  id: string;
  username: string;
  name: string;
  agentNumber: string;
  role: ExecutiveRole;
  customerTypes: CustomerType[];
  disabledAt: Date | null;
  createdAt: Date;
}

/** What a login checks and answers: `adminid` is the executive's id, the token's `sub`. */
export interface ExecutiveLogin {
  adminid: string;
  name: string;
  agentNumber: string;
  role: ExecutiveRole;
  customerTypes: CustomerType[];
  passwordHash: string;
  disabled: boolean;
}

/** Usernames are unique whatever their case: every lookup and insert goes through this. */
export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

/** Adds an executive; returns the new id, or undefined when the username is taken (any case). */
export async function addExecutive(db: Queryable, executive: NewExecutive): Promise<string | undefined> {
  const passwordHash = await hashPassword(executive.password);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO executives (username, name, agent_number, role, customer_types, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (username) DO NOTHING
     RETURNING id::text`,
    [
      normalizeUsername(executive.username),
      executive.name,
      executive.agentNumber,
      executive.role,
      executive.customerTypes,
      passwordHash,
    ],
  );
  return rows[0]?.id;
}

export async function listExecutives(db: Queryable): Promise<ExecutiveListing[]> {
  const { rows } = await db.query<ExecutiveListing>(
    `SELECT id::text, username, name, agent_number AS "agentNumber", role, customer_types AS "customerTypes",
            disabled_at AS "disabledAt", created_at AS "createdAt"
     FROM executives ORDER BY id`,
  );
  return rows;
}

/** Disables an executive (disabling twice keeps the first time); false when no executive has that name. */
export async function disableExecutive(db: Queryable, username: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE executives SET disabled_at = coalesce(disabled_at, now()), updated_at = now() WHERE username = $1`,
    [normalizeUsername(username)],
  );
  return rowCount === 1;
}

/** At most `maxOpenChats` open chats are assigned to the executive automatically (null: no limit); false for an unknown name. */
export async function setCapacity(db: Queryable, username: string, maxOpenChats: number | null): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE executives SET max_open_chats = $2, updated_at = now() WHERE username = $1',
    [normalizeUsername(username), maxOpenChats],
  );
  return rowCount === 1;
}

/** Gives an executive a new password; false when no executive has that name. */
export async function resetPassword(db: Queryable, username: string, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  const { rowCount } = await db.query(
    'UPDATE executives SET password_hash = $2, updated_at = now() WHERE username = $1',
    [normalizeUsername(username), passwordHash],
  );
  return rowCount === 1;
}

/** The executive a login names, disabled or not (the login refuses a disabled one as it refuses a wrong password). */
export async function findExecutiveForLogin(db: Queryable, username: string): Promise<ExecutiveLogin | undefined> {
  const { rows } = await db.query<ExecutiveLogin>(
    `SELECT id::text AS adminid, name, agent_number AS "agentNumber", role, customer_types AS "customerTypes",
            password_hash AS "passwordHash", disabled_at IS NOT NULL AS disabled
     FROM executives WHERE username = $1`,
    [normalizeUsername(username)],
  );
  return rows[0];
}

/**
 * Stores a new hash of a password just verified, made with today's parameters; a password reset in the
 * meantime (another hash than `verifiedHash`) is left alone.
 */
export async function rehashPassword(db: Queryable, adminid: string, password: string, verifiedHash: string) {
  const passwordHash = await hashPassword(password);
  await db.query('UPDATE executives SET password_hash = $3, updated_at = now() WHERE id = $1 AND password_hash = $2', [
    adminid,
    verifiedHash,
    passwordHash,
  ]);
}

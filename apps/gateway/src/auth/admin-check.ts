import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LIMITS } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import { type ExecutiveLogin, findExecutiveForLogin, normalizeUsername, type Queryable } from '@care-chat/store';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { LoginConfig } from '../env.js';
import { AdminFailure, type HttpFailure, LoginFailure } from '../errors.js';
import { type CredentialCheck, createCredentialCheck } from './credentials.js';
import { LoginAttempts } from './login-attempts.js';

/** The admin's id, or why not. */
export type AdminVerdict = { adminid: string } | { refused: HttpFailure };

// The login route's bounds: anything longer is no executive's credentials.
const MAX_PASSWORD = 1024;

// Long enough that a board polling every few seconds is not hashed each time, short enough that a
// verified password is forgotten soon after the page is closed.
const VERIFIED_MS = 10 * 60_000;

export interface AdminCheckDeps {
  db: Queryable;
  redis: Redis;
  prefix: string;
  login: LoginConfig;
  log: Log;
}

/**
 * Whether a username and password are those of an executive with role `admin`, checked as the login route
 * checks them: the same scrypt verification and the same brute-force allowances (per username and per
 * address, shared with `/api/auth/login`). An admin view asks again on every request (HTTP Basic sends the
 * credentials each time), so a pair already verified against the hash the table still holds is let
 * through without scrypt or an attempt; the row is read every time, so a disabled executive, a role taken
 * away or a password reset counts at once.
 */
export class AdminCheck {
  readonly #credentials: CredentialCheck;
  readonly #attempts: LoginAttempts;
  /** Proof of a verified pair → the hash it was verified against. Never the password itself. */
  readonly #verified = new LRUCache<string, string>({ max: 256, ttl: VERIFIED_MS });
  readonly #proofKey = randomBytes(32);

  constructor(private readonly deps: AdminCheckDeps) {
    this.#credentials = createCredentialCheck(deps.db, deps.log);
    this.#attempts = new LoginAttempts(deps.redis, deps.prefix, deps.login, deps.log);
  }

  async check(username: unknown, password: unknown, address: string): Promise<AdminVerdict> {
    if (!isCredential(username, LIMITS.id) || !isCredential(password, MAX_PASSWORD)) {
      return { refused: LoginFailure.wrongCredentials() };
    }
    const proof = this.#proof(username, password);
    const found = await findExecutiveForLogin(this.deps.db, username);
    if (found !== undefined && this.#verified.get(proof) === found.passwordHash) return verdictOf(found);

    const admission = await this.#attempts.admit(username, address);
    if ('refusedForMs' in admission) return { refused: LoginFailure.tooManyAttempts(admission.refusedForMs) };
    if (admission.delayMs > 0) await sleep(admission.delayMs);
    const executive = await this.#credentials(username, password);
    if (executive === undefined) return { refused: LoginFailure.wrongCredentials() };
    await this.#attempts.succeeded(username);
    // The hash read before the check: if a reset replaced it meanwhile, the pair is simply checked again.
    if (found !== undefined) this.#verified.set(proof, found.passwordHash);
    this.deps.log.info({ executive: executive.adminid, role: executive.role }, 'admin view credentials checked');
    return verdictOf({ ...executive, disabled: false });
  }

  close(): void {
    this.#attempts.close();
  }

  #proof(username: string, password: string): string {
    return createHmac('sha256', this.#proofKey)
      .update(JSON.stringify([normalizeUsername(username), password]))
      .digest('base64');
  }
}

const isCredential = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

function verdictOf(executive: Pick<ExecutiveLogin, 'adminid' | 'role' | 'disabled'>): AdminVerdict {
  if (executive.disabled) return { refused: LoginFailure.wrongCredentials() };
  if (executive.role !== 'admin') return { refused: AdminFailure.notAdmin() };
  return { adminid: executive.adminid };
}

/** The check of one admin view of `app`, closed with it. */
export function adminCheckFor(app: FastifyInstance, log: Log): AdminCheck {
  const check = new AdminCheck({
    db: app.pg,
    redis: app.redis.pub,
    prefix: app.config.redisKeyPrefix,
    login: app.config.login,
    log,
  });
  app.addHook('onClose', async () => check.close());
  return check;
}

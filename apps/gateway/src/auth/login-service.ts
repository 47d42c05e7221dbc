import { loginRoom } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import {
  createLogin,
  type LoginExecutive,
  type RevokedReason,
  revokeLogin,
  rotateRefreshToken,
} from '@care-chat/store';
import type pg from 'pg';
import type { LoginConfig } from '../env.js';
import { AuthError } from '../errors.js';
import type { GatewayServer } from '../socket/types.js';
import type { LoginRevocations } from './login-revocations.js';
import type { TokenSigner } from './token-signer.js';
import type { TokenVerifier } from './token-verifier.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface LoginServiceDeps {
  db: pg.Pool;
  io: GatewayServer;
  revocations: LoginRevocations;
  sign: TokenSigner;
  /** Verifies the token a logout names, past its exp too. */
  verifyForLogout: TokenVerifier;
  config: LoginConfig;
  log: Log;
}

/** Whole seconds from now: the login's row and its token's `exp` must agree. */
const secondsFromNow = (seconds: number) => new Date((Math.floor(Date.now() / 1000) + seconds) * 1000);

/** Logins, refreshes and logouts, once the caller is known to be who it says (or is refused). */
export class LoginService {
  constructor(private readonly deps: LoginServiceDeps) {}

  async login(executive: LoginExecutive, loginFrom: string | null): Promise<TokenPair> {
    const { db, config, sign, log } = this.deps;
    const accessExpiresAt = secondsFromNow(config.accessTtlS);
    const { loginId, refreshToken } = await createLogin(db, {
      executiveId: executive.adminid,
      loginFrom,
      refreshExpiresAt: secondsFromNow(config.refreshTtlS),
      accessExpiresAt,
    });
    log.info({ executive: executive.adminid, login: loginId }, 'logged in');
    return { accessToken: sign(executive, loginId, accessExpiresAt), refreshToken };
  }

  /** A new pair, or undefined when that refresh token cannot be used (any reason: the caller says no more). */
  async refresh(presented: string): Promise<TokenPair | undefined> {
    const { db, config, sign } = this.deps;
    const accessExpiresAt = secondsFromNow(config.accessTtlS);
    const outcome = await rotateRefreshToken(db, presented, accessExpiresAt);
    if (outcome.kind === 'refused') return undefined;
    if (outcome.kind === 'revoked') {
      await this.#revoked(outcome.loginId, outcome.accessExpiresAt, outcome.reason);
      return undefined;
    }
    return {
      accessToken: sign(outcome.executive, outcome.loginId, accessExpiresAt),
      refreshToken: outcome.refreshToken,
    };
  }

  /** Ends the login of `token`; a token that names none (invalid, foreign, already ended) ends nothing. */
  async logout(token: string): Promise<void> {
    let loginId: string | null;
    try {
      loginId = this.deps.verifyForLogout(token).loginId;
    } catch (error) {
      if (error instanceof AuthError) return;
      throw error;
    }
    if (loginId === null) return;
    const accessExpiresAt = await revokeLogin(this.deps.db, loginId, 'logout');
    if (accessExpiresAt !== undefined) await this.#revoked(loginId, accessExpiresAt, 'logout');
  }

  /** A login PostgreSQL has revoked: every gateway refuses its tokens and drops its sockets. */
  async #revoked(loginId: string, accessExpiresAt: Date, reason: RevokedReason): Promise<void> {
    await this.deps.revocations.revoked(loginId, accessExpiresAt);
    // Through the adapter: the sockets of this login on every gateway. Closing the connection, not just
    // the Socket.IO session, so the client does not reconnect on its own.
    this.deps.io.in(loginRoom(loginId)).disconnectSockets(true);
    this.deps.log.info({ login: loginId, reason }, 'login revoked');
  }
}

import { type Log, withTimeout } from '@care-chat/runtime';
import { loginStatus, type Queryable } from '@care-chat/store';
import type { Redis } from 'ioredis';

const REDIS_TIMEOUT_MS = 500;
/**
 * How long a gateway takes "not revoked" from Redis before asking PostgreSQL again. A revocation
 * overwrites it at once; this bounds how long one could go unseen if Redis failed just as it was written.
 */
const LIVE_FOR_MS = 60_000;

const LIVE = 'live';
const REVOKED = 'revoked';

/**
 * Whether a login is revoked, asked at every handshake and authenticated request. PostgreSQL holds the
 * truth; Redis keeps what it said (per login, until its access tokens expire), so the usual answer costs
 * one GET. A key that is missing (never asked, expired, or Redis lost its data) sends the question to
 * PostgreSQL, so a lost key never lets a revoked login back in.
 */
export class LoginRevocations {
  constructor(
    private readonly redis: Redis,
    private readonly db: Queryable,
    private readonly keyOf: (loginId: string) => string,
    private readonly log: Log,
  ) {}

  async isRevoked(loginId: string): Promise<boolean> {
    const known = await withTimeout(this.redis.get(this.keyOf(loginId)), REDIS_TIMEOUT_MS, 'Redis (logins)').catch(
      (err: unknown) => {
        this.log.warn({ err }, 'login asked of PostgreSQL: Redis did not answer');
        return null;
      },
    );
    if (known === REVOKED) return true;
    if (known === LIVE) return false;
    const status = await loginStatus(this.db, loginId);
    // Gone: every token it had expired long ago (the verifier refuses them first), or it was never ours.
    if (status === undefined) return true;
    await this.#remember(loginId, status.revoked ? REVOKED : LIVE, status.accessExpiresAt);
    return status.revoked;
  }

  /** Tells every gateway that a login PostgreSQL has just revoked is revoked. */
  revoked(loginId: string, accessExpiresAt: Date): Promise<void> {
    return this.#remember(loginId, REVOKED, accessExpiresAt);
  }

  async #remember(loginId: string, state: typeof LIVE | typeof REVOKED, accessExpiresAt: Date): Promise<void> {
    const lifeMs = accessExpiresAt.getTime() - Date.now();
    if (lifeMs <= 0) return;
    const key = this.keyOf(loginId);
    // "live" must never overwrite "revoked": a revocation written while PostgreSQL was being asked wins.
    const written =
      state === LIVE
        ? this.redis.set(key, LIVE, 'PX', Math.min(lifeMs, LIVE_FOR_MS), 'NX')
        : this.redis.set(key, REVOKED, 'PX', lifeMs);
    await withTimeout(written, REDIS_TIMEOUT_MS, 'Redis (logins)').catch((err: unknown) =>
      this.log.warn({ err, login: loginId }, `login not remembered as ${state} in Redis`),
    );
  }
}

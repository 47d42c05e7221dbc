import { redisKeys } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import { normalizeUsername } from '@care-chat/store';
import type { Redis } from 'ioredis';
import type { LoginConfig } from '../env.js';
import { RateLimiter } from '../limits/rate-limiter.js';

/** Refused for this long, or let through after this delay. */
export type Admission = { refusedForMs: number } | { delayMs: number };

/**
 * Brute force, held back per username and per client address across every gateway: each attempt takes
 * from both allowances (refilled over the window); past `slowAfter` of a username's, attempts wait before
 * the password is checked, success or not, so a guesser cannot cut the wait short; past the allowance
 * they are refused. A login that succeeds gives its username the allowance back.
 */
export class LoginAttempts {
  readonly #byUsername: RateLimiter;
  readonly #byAddress: RateLimiter;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly config: LoginConfig,
    private readonly log: Log,
  ) {
    const keyOf = redisKeys(prefix).loginAttempts;
    // Each allowance refills evenly over the window.
    const limiter = (kind: string, burst: number) =>
      new RateLimiter(
        redis,
        (subject) => keyOf(`${kind}:${subject}`),
        { burst, intervalMs: (config.windowS * 1000) / burst },
        'login attempts',
        log,
      );
    this.#byUsername = limiter('username', config.perUsername);
    this.#byAddress = limiter('address', config.perAddress);
  }

  async admit(username: string, address: string): Promise<Admission> {
    const fromAddress = await this.#byAddress.take(address);
    if (!fromAddress.allowed) return { refusedForMs: fromAddress.retryAfterMs };
    const ofUsername = await this.#byUsername.take(normalizeUsername(username));
    if (!ofUsername.allowed) return { refusedForMs: ofUsername.retryAfterMs };
    return { delayMs: ofUsername.used > this.config.slowAfter ? this.config.slowMs : 0 };
  }

  async succeeded(username: string): Promise<void> {
    await this.#byUsername
      .reset(normalizeUsername(username))
      .catch((err: unknown) => this.log.warn({ err }, 'login attempts not reset: Redis did not answer'));
  }

  close(): void {
    this.#byUsername.close();
    this.#byAddress.close();
  }
}

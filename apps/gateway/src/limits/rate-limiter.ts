import { type Log, withTimeout } from '@care-chat/runtime';
import type { Redis, Result } from 'ioredis';
import { TokenBucket } from './token-bucket.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gatewayRateTake(key: string, intervalMs: number, burst: number): Result<[number, number, number], Context>;
  }
}

// A token bucket as GCRA, on Redis's clock so every gateway agrees: the key holds the moment the bucket
// is full again ("theoretical arrival time"); an action is allowed while that is less than a full
// bucket away, and moves it one interval on. The key expires when the bucket is full: idle subjects
// cost nothing. Answers: allowed (1 or 0), the ms until one more would be, and the tokens now in use.
const TAKE = `
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local interval = tonumber(ARGV[1])
local room = interval * (tonumber(ARGV[2]) - 1)
local full = tonumber(redis.call('GET', KEYS[1]) or now)
if full < now then full = now end
if full - now > room then return {0, math.ceil(full - now - room), math.ceil((full - now) / interval)} end
full = full + interval
redis.call('SET', KEYS[1], tostring(full), 'PX', math.ceil(full - now))
return {1, 0, math.ceil((full - now) / interval)}`;

/** Long enough for a loaded Redis; short enough that a lost one does not hold up the caller. */
const REDIS_TIMEOUT_MS = 500;
const SWEEP_MS = 60_000;

/** `burst` actions at once, then one every `intervalMs`. */
export interface Allowance {
  burst: number;
  intervalMs: number;
}

export interface Taken {
  allowed: boolean;
  /** How long until one more would be allowed: 0 when this one was. */
  retryAfterMs: number;
  /** The allowance in use, this action included when it was allowed. */
  used: number;
}

/**
 * Actions per subject (a client address, an executive at one, a username), counted in Redis so the
 * allowance holds across every gateway rather than per node. While Redis does not answer, each node
 * counts on its own, so the limit still holds there.
 */
export class RateLimiter {
  readonly #local = new Map<string, TokenBucket>();
  readonly #sweep: NodeJS.Timeout;
  #redisDown = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (subject: string) => string,
    private readonly allowance: Allowance,
    /** What is counted, for logs: "handshakes". */
    private readonly what: string,
    private readonly log: Log,
  ) {
    if (typeof (redis as { gatewayRateTake?: unknown }).gatewayRateTake !== 'function') {
      redis.defineCommand('gatewayRateTake', { numberOfKeys: 1, lua: TAKE });
    }
    this.#sweep = setInterval(() => {
      for (const [subject, bucket] of this.#local) if (bucket.full()) this.#local.delete(subject);
    }, SWEEP_MS);
    this.#sweep.unref();
  }

  async take(subject: string): Promise<Taken> {
    const { burst, intervalMs } = this.allowance;
    try {
      const [allowed, retryAfterMs, used] = await withTimeout(
        this.redis.gatewayRateTake(this.keyOf(subject), intervalMs, burst),
        REDIS_TIMEOUT_MS,
        `Redis (${this.what} limit)`,
      );
      this.#redisDown = false;
      return { allowed: allowed === 1, retryAfterMs, used };
    } catch (err) {
      if (!this.#redisDown) this.log.warn({ err }, `${this.what} counted on this node alone until Redis answers`);
      this.#redisDown = true;
      return this.#localBucket(subject).takeOne();
    }
  }

  /** Gives `subject` its whole allowance back. */
  async reset(subject: string): Promise<void> {
    this.#local.delete(subject);
    await withTimeout(this.redis.del(this.keyOf(subject)), REDIS_TIMEOUT_MS, `Redis (${this.what} limit)`);
  }

  #localBucket(subject: string): TokenBucket {
    let bucket = this.#local.get(subject);
    if (bucket === undefined) {
      const { burst, intervalMs } = this.allowance;
      bucket = new TokenBucket(1000 / intervalMs, burst);
      this.#local.set(subject, bucket);
    }
    return bucket;
  }

  close(): void {
    clearInterval(this.#sweep);
  }
}

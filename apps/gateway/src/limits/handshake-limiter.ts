import { type Log, withTimeout } from '@care-chat/runtime';
import type { Redis, Result } from 'ioredis';
import { TokenBucket } from './token-bucket.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gatewayHandshakeAllowed(key: string, intervalMs: number, burst: number): Result<number, Context>;
  }
}

// A token bucket as GCRA, on Redis's clock so every gateway agrees: the key holds the moment the bucket
// is full again ("theoretical arrival time"); a handshake is allowed while that is less than a full
// bucket away, and moves it one interval on. The key expires when the bucket is full: idle addresses
// cost nothing.
const ALLOW = `
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local interval = tonumber(ARGV[1])
local full = tonumber(redis.call('GET', KEYS[1]) or now)
if full < now then full = now end
if full - now > interval * (tonumber(ARGV[2]) - 1) then return 0 end
full = full + interval
redis.call('SET', KEYS[1], tostring(full), 'PX', math.ceil(full - now))
return 1`;

/** Long enough for a loaded Redis; short enough that a lost one does not hold up handshakes. */
const REDIS_TIMEOUT_MS = 500;
const SWEEP_MS = 60_000;

/**
 * New sessions per subject (a client address, or an executive at one), `perMinute` on average and at
 * once, counted in Redis so the allowance holds across every gateway rather than per node. While Redis
 * does not answer, each node counts on its own, so the limit still holds there.
 */
export class HandshakeLimiter {
  readonly #local = new Map<string, TokenBucket>();
  readonly #sweep: NodeJS.Timeout;
  #redisDown = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (subject: string) => string,
    private readonly perMinute: number,
    private readonly log: Log,
  ) {
    if (typeof (redis as { gatewayHandshakeAllowed?: unknown }).gatewayHandshakeAllowed !== 'function') {
      redis.defineCommand('gatewayHandshakeAllowed', { numberOfKeys: 1, lua: ALLOW });
    }
    this.#sweep = setInterval(() => {
      for (const [subject, bucket] of this.#local) if (bucket.full()) this.#local.delete(subject);
    }, SWEEP_MS);
    this.#sweep.unref();
  }

  async allow(subject: string): Promise<boolean> {
    try {
      const allowed = await withTimeout(
        this.redis.gatewayHandshakeAllowed(this.keyOf(subject), 60_000 / this.perMinute, this.perMinute),
        REDIS_TIMEOUT_MS,
        'Redis (handshake limit)',
      );
      this.#redisDown = false;
      return allowed === 1;
    } catch (err) {
      if (!this.#redisDown) this.log.warn({ err }, 'handshakes counted on this node alone until Redis answers');
      this.#redisDown = true;
      return this.#localBucket(subject).take();
    }
  }

  #localBucket(subject: string): TokenBucket {
    let bucket = this.#local.get(subject);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.perMinute / 60, this.perMinute);
      this.#local.set(subject, bucket);
    }
    return bucket;
  }

  close(): void {
    clearInterval(this.#sweep);
  }
}

/** Allows `burst` actions at once and `perSecond` on average; `take` says whether one more is allowed now. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  take(now = Date.now()): boolean {
    return this.takeOne(now).allowed;
  }

  /** `take`, saying also how long until one more is allowed and how much of the burst is in use. */
  takeOne(now = Date.now()): { allowed: boolean; retryAfterMs: number; used: number } {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    const allowed = this.#tokens >= 1;
    if (allowed) this.#tokens -= 1;
    const retryAfterMs = allowed ? 0 : Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
    return { allowed, retryAfterMs, used: Math.ceil(this.burst - this.#tokens) };
  }

  /** Whether it has refilled completely: an idle bucket that can be forgotten. */
  full(now = Date.now()): boolean {
    return this.#tokens + ((now - this.#at) / 1000) * this.perSecond >= this.burst;
  }
}

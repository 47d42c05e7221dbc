import type { IncomingMessage } from 'node:http';
import { TokenBucket } from './token-bucket.js';

const SWEEP_MS = 60_000;

/**
 * Connection attempts per client address, so one address cannot flood a node with handshakes. A call
 * centre's executives often share one public address, so the default allowance is generous.
 */
export class AddressLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #sweep: NodeJS.Timeout;

  constructor(
    private readonly perMinute: number,
    private readonly trustProxy: boolean,
  ) {
    this.#sweep = setInterval(() => {
      for (const [address, bucket] of this.#buckets) if (bucket.full()) this.#buckets.delete(address);
    }, SWEEP_MS);
    this.#sweep.unref();
  }

  /** The client's address: behind a trusted proxy, the first hop of X-Forwarded-For. */
  addressOf(req: IncomingMessage): string {
    const forwarded = this.trustProxy ? req.headers['x-forwarded-for'] : undefined;
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    return first || req.socket.remoteAddress || 'unknown';
  }

  allow(req: IncomingMessage): boolean {
    const address = this.addressOf(req);
    let bucket = this.#buckets.get(address);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.perMinute / 60, this.perMinute);
      this.#buckets.set(address, bucket);
    }
    return bucket.take();
  }

  close(): void {
    clearInterval(this.#sweep);
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UrlSignerOptions {
  /** Where the URLs point: scheme://host[:port], no path. */
  origin: string;
  /** At least 32 bytes: HMAC-SHA256 gains nothing from more, and is guessable with less. */
  secret: string;
  /** A URL works at least this long after it is made. */
  lifetimeSeconds: number;
  /**
   * Expiry times are rounded up to a multiple of this, so one resource keeps one URL for that long and a
   * browser that loads it again hits its cache instead of a new address. A URL then works for up to
   * `lifetimeSeconds + granularitySeconds`.
   */
  granularitySeconds: number;
}

export type SignatureCheck = 'valid' | 'expired' | 'forged';

/**
 * Short-lived links a browser can load without headers (`<img src>`): `origin + path?exp=<unix s>&sig=<mac>`,
 * the MAC an HMAC-SHA256 over the path and the expiry. Whoever holds the secret makes them; whoever serves
 * the path checks them. The path is signed whole, so a signature is good for one resource only.
 */
export class UrlSigner {
  constructor(private readonly options: UrlSignerOptions) {}

  url(path: string, nowMs = Date.now()): string {
    const { lifetimeSeconds, granularitySeconds } = this.options;
    const earliest = Math.ceil(nowMs / 1000) + lifetimeSeconds;
    const exp = Math.ceil(earliest / granularitySeconds) * granularitySeconds;
    return `${this.options.origin}${path}?exp=${exp}&sig=${this.mac(path, String(exp))}`;
  }

  /** Whether `sig` signs `path` until `exp` and that time is still ahead. A malformed one is forged. */
  check(path: string, exp: unknown, sig: unknown, nowMs = Date.now()): SignatureCheck {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return 'forged';
    const expected = Buffer.from(this.mac(path, exp));
    const given = Buffer.from(sig);
    // Lengths are public (every MAC has the same); the bytes are compared in constant time.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return Number(exp) * 1000 > nowMs ? 'valid' : 'expired';
  }

  /** Seconds until a URL checked as valid expires, for a cache to keep it no longer. */
  secondsLeft(exp: string, nowMs = Date.now()): number {
    return Math.max(0, Math.floor(Number(exp) - nowMs / 1000));
  }

  private mac(path: string, exp: string): string {
    return createHmac('sha256', this.options.secret).update(`${path}\n${exp}`).digest('base64url');
  }
}

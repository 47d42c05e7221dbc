import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Is `header` (X-Hub-Signature-256) Meta's HMAC-SHA256 of exactly these bytes? Checked on the raw body,
 * never on re-serialised JSON (Meta escapes non-ASCII), and in constant time.
 */
export function isSignedBy(secret: string, raw: Buffer, header: string | undefined): boolean {
  const match = header === undefined ? null : HEADER.exec(header);
  if (match?.[1] === undefined) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}

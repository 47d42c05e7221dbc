import { createHash, timingSafeEqual } from 'node:crypto';

// RFC 6750 §2.1; the scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer\s+(\S+)$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

// Hashed first, so every comparison is of 32 bytes: neither a token's length nor its bytes leak in time.
const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Whether an `Authorization` header carries one of `tokens` as its Bearer token. Every token is compared,
 * none skipped, so the time taken says nothing of which one (or how much of it) matched.
 */
export function bearerMatcher(tokens: readonly string[]): (authorization: string | undefined) => boolean {
  const known = tokens.map(digest);
  return (authorization) => {
    const given = digest(bearerToken(authorization) ?? '');
    return known.reduce((found, token) => timingSafeEqual(token, given) || found, false);
  };
}

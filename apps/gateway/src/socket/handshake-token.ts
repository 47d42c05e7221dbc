import type { GatewaySocket } from './types.js';

const BEARER = /^Bearer\s+(\S+)$/i;

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** The JWT from the first of: `auth.token`, the `token` query parameter, an `Authorization: Bearer` header. */
export function handshakeToken(handshake: GatewaySocket['handshake']): string | undefined {
  const auth: Record<string, unknown> = handshake.auth;
  const header = nonEmpty(handshake.headers.authorization);
  return nonEmpty(auth.token) ?? nonEmpty(handshake.query.token) ?? (header && BEARER.exec(header)?.[1]);
}
